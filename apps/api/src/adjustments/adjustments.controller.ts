import { Roles, type Actor } from '@coinops/access';
import { ADJUSTMENT_APPROVER_ROLES, ADJUSTMENT_REQUESTER_ROLES, ALL_ROLES } from '@coinops/contracts';
import { ADJUSTMENTS_LIST, AdjustmentService } from '@coinops/payments';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { AdjustmentReasonDto, AdjustmentRequestDto } from './adjustments.dto';

/**
 * Manual adjustments of a user's coins or a creator's diamonds against `platform:adjustments`
 * (docs/refunds.md). Up to the threshold approved and posted at once; above it a second operator.
 */
@ApiTags('adjustments')
@ApiBearerAuth()
@Controller('adjustments')
export class AdjustmentsController {
  constructor(private readonly adjustments: AdjustmentService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: `JSON: q, ${Object.keys(ADJUSTMENTS_LIST.filters).join(', ')}` })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, ADJUSTMENTS_LIST);
    return sendPage(response, ADJUSTMENTS_LIST, list, await this.adjustments.list(list));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  get(@Param('id', UuidParam) id: string) {
    return this.adjustments.get(id);
  }

  @Post()
  @Roles(...ADJUSTMENT_REQUESTER_ROLES)
  @ApiOperation({ summary: "Credit or debit a user's coins or a creator's diamonds, with a reason code and a note" })
  request(@CurrentActor() actor: Actor, @Body() body: AdjustmentRequestDto) {
    return this.adjustments.request(actor, {
      target: body.target,
      targetId: body.target_id,
      direction: body.direction,
      amount: BigInt(body.amount),
      reasonCode: body.reason_code,
      note: body.note,
    });
  }

  @Post(':id/approve')
  @Roles(...ADJUSTMENT_APPROVER_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'requested → approved → posted, by a second operator (403 FourEyesRequired for the requester)' })
  approve(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: AdjustmentReasonDto) {
    return this.adjustments.approve(actor, id, body.reason);
  }

  @Post(':id/reject')
  @Roles(...ADJUSTMENT_APPROVER_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'requested → rejected' })
  reject(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: AdjustmentReasonDto) {
    return this.adjustments.reject(actor, id, body.reason);
  }
}
