import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { JOURNAL_LIST, LEDGER_ACCOUNTS_LIST, LedgerAccountsService, LedgerTransactionsService } from '@coinops/economy';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { listQuery, sendPage } from '../infrastructure/list';
import { BigintIdParam } from '../infrastructure/validation';

/** Read-only: accounts open and move only through ledger postings. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger-accounts')
@Roles(...ALL_ROLES)
export class LedgerAccountsController {
  constructor(
    private readonly accounts: LedgerAccountsService,
    private readonly transactions: LedgerTransactionsService,
  ) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, code, logical_code, owner_id, asset, kind, overdraft, negative' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["code","ASC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, LEDGER_ACCOUNTS_LIST);
    return sendPage(response, LEDGER_ACCOUNTS_LIST, list, await this.accounts.list(list));
  }

  @Get(':id')
  get(@Param('id', BigintIdParam) id: string) {
    return this.accounts.get(id);
  }

  @Get(':id/journal')
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, type, kind, reference_id, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  async journal(@Param('id', BigintIdParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, JOURNAL_LIST);
    await this.accounts.get(id);
    return sendPage(response, JOURNAL_LIST, list, await this.transactions.journal(id, list));
  }
}
