import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { getRecharge, listRecharges, RECHARGES_LIST } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { decisionDto } from '../risk/wire';

@ApiTags('recharges')
@ApiBearerAuth()
@Controller('recharges')
@Roles(...ALL_ROLES)
export class RechargesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly risk: RiskEngine,
  ) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(RECHARGES_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, RECHARGES_LIST);
    return sendPage(response, RECHARGES_LIST, list, await listRecharges(this.dataSource, list));
  }

  /** One recharge with its risk decision: each matching rule and the feature values that made it match. */
  @Get(':id')
  async get(@Param('id', UuidParam) id: string) {
    const recharge = await getRecharge(this.dataSource, id);
    const decision = await this.risk.getDecision({ type: 'recharge', id });
    return { ...recharge, risk: decision ? { ...decisionDto(decision), decision_id: decision.decisionId } : null };
  }
}
