import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { CHARGEBACKS_LIST, chargebackRatioSeries, getChargeback, listChargebacks, runChargebackRatioMonitor } from '@coinops/payments';
import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';

/** Chargebacks as the provider's disputes made them (docs/chargebacks.md); read-only: the provider decides them. */
@ApiTags('chargebacks')
@ApiBearerAuth()
@Controller('chargebacks')
@Roles(...ALL_ROLES)
export class ChargebacksController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Chargebacks with their state, evidence due date and ledger entries' })
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(CHARGEBACKS_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["evidence_due_by","ASC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, CHARGEBACKS_LIST);
    return sendPage(response, CHARGEBACKS_LIST, list, await listChargebacks(this.dataSource, list));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One chargeback with the creators\u2019 diamonds it put at risk' })
  get(@Param('id', UuidParam) id: string) {
    return getChargeback(this.dataSource, id);
  }
}

/** The monthly chargeback ratio per provider, method and card brand, with the thresholds (the console's chart). */
@ApiTags('chargebacks')
@ApiBearerAuth()
@Controller('chargeback-ratio')
@Roles(...ALL_ROLES)
export class ChargebackRatioController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Monthly disputes, fraud warnings and transactions per key, with the monitoring thresholds' })
  @ApiQuery({ name: 'from', required: false, example: '2026-01', description: 'YYYY-MM (default: 11 months before `to`)' })
  @ApiQuery({ name: 'to', required: false, example: '2026-11', description: 'YYYY-MM (default: this month)' })
  @ApiQuery({ name: 'provider', required: false })
  @ApiQuery({ name: 'method', required: false })
  @ApiQuery({ name: 'card_brand', required: false })
  series(@Query() query: Record<string, unknown>) {
    return chargebackRatioSeries(this.dataSource, query);
  }

  /** What the hourly job does, now: finance need not wait an hour after a wave of disputes. Idempotent. */
  @Post('refresh')
  @Roles('finance', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Recompute this and last month\u2019s ratios now and alert on crossed thresholds (once per level, key and month)' })
  refresh() {
    return runChargebackRatioMonitor(this.dataSource);
  }
}
