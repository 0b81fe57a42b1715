import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { PAYOUT_BATCHES_LIST, PayoutService } from '@coinops/payments';
import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';

/** The worker's execution batches: one method each, with their payouts' states and totals; CSV for finance. */
@ApiTags('payouts')
@ApiBearerAuth()
@Controller('payout-batches')
export class PayoutBatchesController {
  constructor(private readonly payouts: PayoutService) {}

  @Get()
  @Roles(...ALL_ROLES)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, PAYOUT_BATCHES_LIST);
    return sendPage(response, PAYOUT_BATCHES_LIST, list, await this.payouts.batches(list));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  get(@Param('id', UuidParam) id: string) {
    return this.payouts.batch(id);
  }

  @Get(':id/export')
  @Roles('finance', 'admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "The batch's payouts as CSV (one row each: amounts in minor units, states, provider ids)" })
  async export(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) response: Response) {
    const csv = await this.payouts.batchCsv(id);
    response.setHeader('Content-Disposition', `attachment; filename="payout-batch-${id}.csv"`);
    return csv;
  }
}
