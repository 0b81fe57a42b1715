import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { PAYOUTS_LIST, PayoutService } from '@coinops/payments';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { BulkApprovePayoutsDto, PayoutReasonDto, RequestPayoutDto } from './payouts.dto';

/** Finance decides; admins may stand in. */
export const PAYOUT_DECIDERS = ['finance', 'admin'] as const;
/** Support asks and cancels on a creator's behalf; finance and admins too. */
export const PAYOUT_REQUESTERS = ['support', 'finance', 'admin'] as const;

/**
 * Creator payouts (docs/payouts.md). Everyone reads; finance (and admins) approve, reject and release
 * holds; support requests and cancels for a creator. Every illegal transition of PAYOUT_MACHINE is a 409
 * whose body names the current `state`; above the dual-approval threshold a second, different operator
 * approves (403 `requested_by` / "already approved" otherwise).
 */
@ApiTags('payouts')
@ApiBearerAuth()
@Controller('payouts')
export class PayoutsController {
  constructor(private readonly payouts: PayoutService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(PAYOUTS_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, PAYOUTS_LIST);
    return sendPage(response, PAYOUTS_LIST, list, await this.payouts.list(list));
  }

  @Get('totals')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Count, cash and diamonds by currency and method of the payouts a list filter selects' })
  @ApiQuery({ name: 'filter', required: false, description: 'the same filter as the list' })
  totals(@Query() query: Record<string, unknown>) {
    return this.payouts.totals(query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'A payout with its holds (active and released: who, when, why) and its approvals' })
  get(@Param('id', UuidParam) id: string) {
    return this.payouts.get(id);
  }

  @Post()
  @Roles(...PAYOUT_REQUESTERS)
  @ApiOperation({ summary: "Request a payout on a creator's behalf", description: 'Diamonds reserved by a ledger hold (409 with `available` when short); holds evaluated at once.' })
  request(@CurrentActor() actor: Actor, @Body() body: RequestPayoutDto) {
    return this.payouts.request(actor, { creatorId: body.creator_id, diamonds: BigInt(body.diamonds), method: body.method, payoutId: body.payout_id, reason: body.reason });
  }

  @Post('bulk-approve')
  @Roles(...PAYOUT_DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a selection: one result per payout (each its own transaction; four-eyes applies to each)' })
  bulkApprove(@CurrentActor() actor: Actor, @Body() body: BulkApprovePayoutsDto) {
    return this.payouts.bulkApprove(actor, body.ids, body.reason);
  }

  @Post(':id/approve')
  @Roles(...PAYOUT_DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'pending_approval → approved (above the threshold: the second distinct approver)' })
  approve(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: PayoutReasonDto) {
    return this.payouts.approve(actor, id, body.reason);
  }

  @Post(':id/reject')
  @Roles(...PAYOUT_DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'on_hold | pending_approval → rejected: the reservation is voided' })
  reject(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: PayoutReasonDto) {
    return this.payouts.reject(actor, id, body.reason);
  }

  @Post(':id/cancel')
  @Roles(...PAYOUT_REQUESTERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'requested | on_hold | pending_approval → canceled for the creator: the reservation is voided' })
  cancel(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: PayoutReasonDto) {
    return this.payouts.cancel(actor, id, body.reason);
  }

  @Post(':id/holds/:holdId/release')
  @Roles(...PAYOUT_DECIDERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Release one hold with a reason; without active holds the payout goes to pending_approval' })
  release(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Param('holdId') holdId: string, @Body() body: PayoutReasonDto) {
    return this.payouts.releaseHold(actor, id, holdId, body.reason);
  }
}
