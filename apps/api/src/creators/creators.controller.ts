import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { CREATORS_LIST, CreatorsService, JOURNAL_LIST, LedgerAccountsService, LedgerTransactionsService } from '@coinops/economy';
import { creatorDiamonds } from '@coinops/ledger';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { listQuery, sendPage } from '../infrastructure/list';
import { PlatformIdParam } from '../users/platform-id.param';

@ApiTags('creators')
@ApiBearerAuth()
@Controller('creators')
@Roles(...ALL_ROLES)
export class CreatorsController {
  constructor(
    private readonly creators: CreatorsService,
    private readonly accounts: LedgerAccountsService,
    private readonly transactions: LedgerTransactionsService,
  ) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, user_id, country, payout_currency, kyc_status, profile_received, has_debt, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["available_diamonds","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, CREATORS_LIST);
    return sendPage(response, CREATORS_LIST, list, await this.creators.list(list));
  }

  @Get(':id')
  get(@Param('id', PlatformIdParam) id: string) {
    return this.creators.get(id);
  }

  /** The diamond account's postings, each with the balance it left. */
  @Get(':id/journal')
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, type, kind, reference_id, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async journal(@Param('id', PlatformIdParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, JOURNAL_LIST);
    const accountId = await this.accounts.idOf(creatorDiamonds(id).code);
    if (!accountId) {
      await this.creators.get(id); // 404 for a creator nobody ever named
      return sendPage(response, JOURNAL_LIST, list, { rows: [], total: 0 });
    }
    return sendPage(response, JOURNAL_LIST, list, await this.transactions.journal(accountId, list));
  }
}
