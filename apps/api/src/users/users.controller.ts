import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { JOURNAL_LIST, LedgerAccountsService, LedgerTransactionsService, USERS_LIST, UsersService } from '@coinops/economy';
import { userCoins } from '@coinops/ledger';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { listQuery, sendPage } from '../infrastructure/list';
import { PlatformIdParam } from './platform-id.param';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@Roles(...ALL_ROLES)
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: LedgerAccountsService,
    private readonly transactions: LedgerTransactionsService,
  ) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, country, email, device_id, ip, frozen, profile_received, has_debt, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["available_coins","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, USERS_LIST);
    return sendPage(response, USERS_LIST, list, await this.users.list(list));
  }

  @Get(':id')
  get(@Param('id', PlatformIdParam) id: string) {
    return this.users.get(id);
  }

  /** The coin wallet's postings, each with the balance it left (newest first unless sorted otherwise). */
  @Get(':id/journal')
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, type, kind, reference_id, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async journal(@Param('id', PlatformIdParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, JOURNAL_LIST);
    const accountId = await this.accounts.idOf(userCoins(id).code);
    if (!accountId) {
      await this.users.get(id); // 404 for a user nobody ever named
      return sendPage(response, JOURNAL_LIST, list, { rows: [], total: 0 });
    }
    return sendPage(response, JOURNAL_LIST, list, await this.transactions.journal(accountId, list));
  }
}
