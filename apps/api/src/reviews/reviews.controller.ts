import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { DECIDING_ROLES, REVIEWS_LIST, ReviewService } from '@coinops/reviews';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { AssignDto, BulkApproveDto, BulkRejectDto, OptionalReasonDto, ReasonDto, RejectDto } from './reviews.dto';

const rejectExtras = (body: RejectDto) => ({ blockCard: body.block_card, blockDevice: body.block_device, blockIp: body.block_ip, freezeUser: body.freeze_user });

/**
 * Trust and safety's queue (docs/reviews.md). Everyone reads it; trust and safety and admins claim, assign
 * and decide. A claimed item belongs to its holder: anyone else gets a 409 naming them (an admin reassigns
 * first). Every illegal transition of REVIEW_MACHINE is a 409 whose body names the current `state`.
 */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(REVIEWS_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["sla_due_at","ASC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, REVIEWS_LIST);
    return sendPage(response, REVIEWS_LIST, list, await this.reviews.list(list));
  }

  @Get('counts')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Items per state, the caller\'s active items (mine) and the overdue ones' })
  counts(@CurrentActor() actor: Actor) {
    return this.reviews.counts(actor.operatorId);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'An item with its recharges, each with the risk decision that held it (rules and feature values)' })
  get(@Param('id', UuidParam) id: string) {
    return this.reviews.detail(id);
  }

  @Get(':id/evidence')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The user's recharges, gifts, creators gifted, cards, devices, IPs and linked accounts" })
  evidence(@Param('id', UuidParam) id: string) {
    return this.reviews.evidence(id);
  }

  @Post('bulk-approve')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a selection: one result per item', description: 'Unclaimed items are claimed for the caller first; items claimed by others or already decided fail alone.' })
  bulkApprove(@CurrentActor() actor: Actor, @Body() body: BulkApproveDto) {
    return this.reviews.bulk(actor, 'approve', body.ids, body.reason);
  }

  @Post('bulk-reject')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a selection: one result per item' })
  bulkReject(@CurrentActor() actor: Actor, @Body() body: BulkRejectDto) {
    return this.reviews.bulk(actor, 'reject', body.ids, body.reason, rejectExtras(body));
  }

  @Post(':id/claim')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'open | escalated → in_review, held by the caller', description: '409 when someone holds it already (the body names them).' })
  claim(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string) {
    return this.reviews.claim(actor, id);
  }

  @Post(':id/unassign')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'in_review → open: by its holder, or an admin' })
  unassign(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: OptionalReasonDto) {
    return this.reviews.unassign(actor, id, body.reason ?? null);
  }

  @Post(':id/assign')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the item to an operator', description: "A claimed item changes hands only from its holder or an admin." })
  assign(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: AssignDto) {
    return this.reviews.assign(actor, id, body.operator_id, body.reason ?? null);
  }

  @Post(':id/escalate')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'open | in_review → escalated (the worker does it past the SLA)' })
  escalate(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: ReasonDto) {
    return this.reviews.escalate(actor, id, body.reason);
  }

  @Post(':id/approve')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'in_review → approved: posts each hold (coins available), recharges credited' })
  approve(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: ReasonDto) {
    return this.reviews.approve(actor, id, body.reason);
  }

  @Post(':id/reject')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'in_review → rejected: voids each hold, recharges wait for their refund', description: 'May block the cards, devices or IPs and freeze the user in the same transaction.' })
  reject(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RejectDto) {
    return this.reviews.reject(actor, id, body.reason, rejectExtras(body));
  }
}
