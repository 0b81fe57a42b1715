import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import {
  confirmReport, dismissReport, listReports, recoverReport, reportEvidence, reportUnauthorizedActivity, toReportDto,
  UNAUTHORIZED_ACTIVITY_LIST, type ReportDeps,
} from '@coinops/payments';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { PlatformIdParam } from '../users/platform-id.param';
import { ConfirmReportDto, DismissReportDto, RecoverReportDto, ReportUnauthorizedActivityDto } from './unauthorized-activity.dto';

export const REPORT_DEPS = Symbol('REPORT_DEPS');

/** Support hears the user and records the report; trust and safety decide it (DESIGN §1). */
const REPORTERS = ['support', 'trust_safety', 'admin'] as const;
const DECIDERS = ['trust_safety', 'admin'] as const;

/**
 * Reported unauthorized activity (DESIGN §4, docs/unauthorized-activity.md): a report freezes gifting at
 * once and opens a review item; trust and safety confirm an account takeover (unspent coins refunded
 * through the refund flow, the intruder's instruments blocked) or close it as not confirmed, and later
 * mark the account recovered. Every illegal step is a 409 naming the report's `state`.
 */
@ApiTags('unauthorized-activity')
@ApiBearerAuth()
@Controller()
export class UnauthorizedActivityController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REPORT_DEPS) private readonly deps: ReportDeps,
  ) {}

  @Post('users/:id/unauthorized-activity')
  @Roles(...REPORTERS)
  @ApiOperation({ summary: "Record a user's report of recharges or gifts that were not theirs", description: 'Freezes gifting and opens a review item in the same transaction. 409 when the user already has an open report.' })
  async report(@CurrentActor() actor: Actor, @Param('id', PlatformIdParam) userId: string, @Body() body: ReportUnauthorizedActivityDto) {
    const report = await this.dataSource.transaction((manager) =>
      reportUnauthorizedActivity(manager, this.deps, actor, {
        userId,
        description: body.description,
        rechargeIds: body.recharge_ids,
        giftIds: body.gift_ids,
        since: body.since ? new Date(body.since) : null,
      }),
    );
    return toReportDto(report);
  }

  @Get('unauthorized-activity')
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(UNAUTHORIZED_ACTIVITY_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["reported_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, UNAUTHORIZED_ACTIVITY_LIST);
    return sendPage(response, UNAUTHORIZED_ACTIVITY_LIST, list, await listReports(this.dataSource, list));
  }

  @Get('unauthorized-activity/:id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'A report with its evidence: recent recharges, gifts, devices, cards, IPs, linked accounts and security changes' })
  async get(@Param('id', UuidParam) id: string) {
    const evidence = await reportEvidence(this.dataSource, id);
    return { ...evidence.report, security_changes: evidence.security_changes, evidence: evidence.evidence };
  }

  @Post('unauthorized-activity/:id/confirm')
  @Roles(...DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm an account takeover', description: "Refunds the named recharges' unspent coins through the refund flow, block-lists the given devices, cards and IPs, records the outcome for backtests, approves the review item." })
  async confirm(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: ConfirmReportDto) {
    const report = await this.dataSource.transaction((manager) =>
      confirmReport(manager, this.deps, actor, id, {
        reason: body.reason,
        refundRechargeIds: body.refund_recharge_ids,
        blockDevices: body.block_devices,
        blockCards: body.block_cards,
        blockIps: body.block_ips,
      }),
    );
    return toReportDto(report);
  }

  @Post('unauthorized-activity/:id/dismiss')
  @Roles(...DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Close as not confirmed', description: 'Rejects the review item, records the outcome for backtests, unfreezes the user if this report froze them (unless unfreeze is false).' })
  async dismiss(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: DismissReportDto) {
    return toReportDto(await this.dataSource.transaction((manager) => dismissReport(manager, this.deps, actor, id, body)));
  }

  @Post('unauthorized-activity/:id/recover')
  @Roles(...DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'The user has their account back: unfreeze gifting', description: 'Only after a confirmed takeover; unfreezes only if this report froze the user.' })
  async recover(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RecoverReportDto) {
    return toReportDto(await this.dataSource.transaction((manager) => recoverReport(manager, this.deps, actor, id, body)));
  }
}
