import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import {
  chargebackRatio, decisionsOverTime, flaggedGiftCreators, liability, parseDays, parseMonths, payoutsByState, rechargesByMethod, refreshRollups, reviewQueue,
} from '@coinops/reporting';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The console's dashboard, one route per chart, read from the rollups the worker keeps
 * (docs/reporting.md); every role may read it.
 */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
@Roles(...ALL_ROLES)
export class DashboardController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('recharges')
  @ApiOperation({ summary: 'Recharge volume and value by method, per day (per hour for days ≤ 2)' })
  @ApiQuery({ name: 'days', required: false, example: 30 })
  recharges(@Query('days') days?: string) {
    return rechargesByMethod(this.dataSource, parseDays(days, 30));
  }

  @Get('decisions')
  @ApiOperation({ summary: 'Risk decisions on recharges (allow, review, block), per day (per hour for days ≤ 2)' })
  @ApiQuery({ name: 'days', required: false, example: 30 })
  decisions(@Query('days') days?: string) {
    return decisionsOverTime(this.dataSource, parseDays(days, 30));
  }

  @Get('reviews')
  @ApiOperation({ summary: 'Review queue depth and SLA breaches, now and per day' })
  @ApiQuery({ name: 'days', required: false, example: 30 })
  reviews(@Query('days') days?: string) {
    return reviewQueue(this.dataSource, parseDays(days, 30));
  }

  @Get('chargeback-ratio')
  @ApiOperation({ summary: 'Chargeback ratio by month against the card programmes’ thresholds' })
  @ApiQuery({ name: 'months', required: false, example: 12 })
  chargebackRatio(@Query('months') months?: string) {
    return chargebackRatio(this.dataSource, parseMonths(months, 12));
  }

  @Get('payouts')
  @ApiOperation({ summary: 'Payouts by state' })
  payouts() {
    return payoutsByState(this.dataSource);
  }

  @Get('liability')
  @ApiOperation({ summary: 'Coins outstanding and diamonds owed, now (from the ledger) and per day' })
  @ApiQuery({ name: 'days', required: false, example: 30 })
  liability(@Query('days') days?: string) {
    return liability(this.dataSource, parseDays(days, 30));
  }

  @Get('flagged-creators')
  @ApiOperation({ summary: 'Top creators by coins gifted from flagged accounts (last 30 days)' })
  flaggedCreators() {
    return flaggedGiftCreators(this.dataSource);
  }

  /** What the minute's schedule does, now (after a bulk import, or in a demo). Idempotent and locked: a concurrent run is skipped. */
  @Post('refresh')
  @Roles('finance', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring the rollups up to date now', description: 'The worker does it every minute; a run already in progress makes this one a no-op (ran: false).' })
  refresh() {
    return refreshRollups(this.dataSource);
  }
}
