import { Roles } from '@coinops/access';
import { ALL_ROLES, NotFound } from '@coinops/contracts';
import { RiskEngine, type SubjectRef } from '@coinops/risk';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { listQuery, sendPage } from '../../infrastructure/list';
import { BigintIdParam } from '../../infrastructure/validation';
import { rawPage } from '../listing';
import { decisionDto } from '../wire';
import { ALERTS_LIST, alertsQuery, toAlertDto, type AlertRow } from './alerts-list';

/** Read-only: alerts are written by the engine with each recorded decision, and the database refuses changes. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
@Roles(...ALL_ROLES)
export class AlertsController {
  constructor(
    private readonly engine: RiskEngine,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, rule (key), rule_id, severity, action, subject_type, subject, user_id, decision_id, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, ALERTS_LIST);
    return sendPage(response, ALERTS_LIST, list, await rawPage(alertsQuery(this.dataSource), list, ALERTS_LIST, toAlertDto));
  }

  @Get(':id')
  @ApiOperation({ summary: 'An alert with the explanation of its decision: every matching rule with its values, and every feature the rules saw' })
  async get(@Param('id', BigintIdParam) id: string) {
    const row = await alertsQuery(this.dataSource).where('a.id = :id', { id }).getRawOne<AlertRow>();
    if (!row) throw new NotFound('alert', id);
    if (row.source !== 'rule') return { ...toAlertDto(row), explanation: null };
    const subject = { type: row.subject_type, id: row.subject_id } as SubjectRef;
    const [decision, features] = await Promise.all([this.engine.getDecision(subject), this.engine.getDecisionFeatures(subject)]);
    if (!decision) throw new NotFound('decision', row.decision_id ?? '');
    return { ...toAlertDto(row), explanation: { ...decisionDto(decision), decision_id: decision.decisionId, subject, features } };
  }
}
