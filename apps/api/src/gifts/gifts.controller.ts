import { Roles } from '@coinops/access';
import { ALL_ROLES, ValidationFailed } from '@coinops/contracts';
import { GIFT_ID, GIFTS_LIST, GiftsService } from '@coinops/economy';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { listQuery, sendPage } from '../infrastructure/list';

/** Read-only: gifts are written by signed `gift.sent` events only (POST /api/events). */
@ApiTags('gifts')
@ApiBearerAuth()
@Controller('gifts')
@Roles(...ALL_ROLES)
export class GiftsController {
  constructor(private readonly gifts: GiftsService) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, event_id, sender_id, creator_id, gift_type, live_session_id, ledger_transaction_id, coins_gte, coins_lte, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, GIFTS_LIST);
    return sendPage(response, GIFTS_LIST, list, await this.gifts.list(list));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    if (!GIFT_ID.test(id)) throw ValidationFailed.field('id', 'must be 1-100 letters, digits, dots, colons, dashes or underscores');
    return this.gifts.get(id);
  }
}
