import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { LEDGER_TRANSACTIONS_LIST, LedgerTransactionsService } from '@coinops/economy';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { listQuery, sendPage } from '../infrastructure/list';
import { BigintIdParam } from '../infrastructure/validation';

/** Read-only: the journal is append-only in the database; each transaction comes with its postings. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger-transactions')
@Roles(...ALL_ROLES)
export class LedgerTransactionsController {
  constructor(private readonly transactions: LedgerTransactionsService) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, type, phase, idempotency_key, reference_type, reference_id, pending_id, reverses_id, account_id, account (code), created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["id","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, LEDGER_TRANSACTIONS_LIST);
    return sendPage(response, LEDGER_TRANSACTIONS_LIST, list, await this.transactions.list(list));
  }

  @Get(':id')
  get(@Param('id', BigintIdParam) id: string) {
    return this.transactions.get(id);
  }
}
