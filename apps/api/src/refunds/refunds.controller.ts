import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES, REFUND_APPROVER_ROLES, REFUND_REQUESTER_ROLES } from '@coinops/contracts';
import { REFUNDS_LIST, RefundService } from '@coinops/payments';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { RefundApproveDto, RefundReasonDto, RefundRequestDto, RefundRetryDto } from './refunds.dto';

/**
 * Refunds of recharges (docs/refunds.md). Support asks; up to REFUND_APPROVAL_THRESHOLD_USD_MINOR it is
 * approved at once, above it a second operator (support, finance, admin; never the requester: 403
 * FourEyesRequired) approves. The worker calls the provider; the provider's webhook confirms.
 */
@ApiTags('refunds')
@ApiBearerAuth()
@Controller('refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(REFUNDS_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, REFUNDS_LIST);
    return sendPage(response, REFUNDS_LIST, list, await this.refunds.list(list));
  }

  @Get('refundable/:rechargeId')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "What a new refund of the recharge may take: the cash left and the recharge's unspent coins (the attribution rule)" })
  refundable(@Param('rechargeId', UuidParam) rechargeId: string) {
    return this.refunds.refundable(rechargeId);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'A refund with its provider calls' })
  get(@Param('id', UuidParam) id: string) {
    return this.refunds.get(id);
  }

  @Post()
  @Roles(...REFUND_REQUESTER_ROLES)
  @ApiOperation({
    summary: 'Ask for a refund of a recharge, whole or in part',
    description: "Only the recharge's unspent coins can be taken back (409 CoinsAlreadySpent otherwise, unless override_spent_coins asks an approver). Up to the threshold it is approved and sent at once.",
  })
  request(@CurrentActor() actor: Actor, @Body() body: RefundRequestDto) {
    return this.refunds.request(actor, {
      rechargeId: body.recharge_id,
      amountMinor: body.amount === undefined ? null : BigInt(body.amount),
      reason: body.reason,
      overrideSpentCoins: body.override_spent_coins ?? false,
    });
  }

  @Post(':id/approve')
  @Roles(...REFUND_APPROVER_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'requested → approved → processing, by a second operator', description: '403 FourEyesRequired for the requester; 409 naming the state when already decided.' })
  approve(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RefundApproveDto) {
    return this.refunds.approve(actor, id, body.reason, body.override_reason ?? null);
  }

  @Post(':id/reject')
  @Roles(...REFUND_APPROVER_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'requested | failed → rejected: the reserved coins are released' })
  reject(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RefundReasonDto) {
    return this.refunds.reject(actor, id, body.reason);
  }

  @Post(':id/retry')
  @Roles(...REFUND_APPROVER_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'failed → processing: the worker calls the provider again', description: 'A new idempotency key after a refusal; the same one after an outage.' })
  retry(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RefundRetryDto) {
    return this.refunds.retry(actor, id, body.reason ?? null);
  }
}
