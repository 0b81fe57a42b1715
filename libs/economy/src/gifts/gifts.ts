import { NotFound } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { iso, type Page } from '../listing/page';

export interface GiftDto {
  id: string;
  event_id: string;
  sender_id: string;
  creator_id: string;
  coins: string;
  diamonds: string;
  /** Coins worth less than a whole diamond, booked to platform:coins:rounding. */
  rounding_coins: string;
  gift_type: string | null;
  live_session_id: string | null;
  ledger_transaction_id: string;
  occurred_at: string;
  created_at: string;
}

export const GIFTS_LIST: ListSpec = {
  resource: 'gifts',
  sortable: { id: 'g.id', created_at: 'g.created_at', occurred_at: 'g.occurred_at', coins: 'g.coins', diamonds: 'g.diamonds' },
  filters: {
    id: { column: 'g.id', type: 'text' },
    event_id: { column: 'g.event_id', type: 'text' },
    sender_id: { column: 'g.sender_id', type: 'text' },
    creator_id: { column: 'g.creator_id', type: 'text' },
    gift_type: { column: 'g.gift_type', type: 'text' },
    live_session_id: { column: 'g.live_session_id', type: 'text' },
    ledger_transaction_id: { column: 'g.ledger_transaction_id', type: 'bigint' },
    coins_gte: { column: 'g.coins', type: 'bigint', op: 'gte' },
    coins_lte: { column: 'g.coins', type: 'bigint', op: 'lte' },
    created_at_gte: { column: 'g.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'g.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['g.id', 'g.sender_id', 'g.creator_id', 'g.event_id', 'g.live_session_id'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'g.id',
};

type GiftRow = Omit<GiftDto, 'occurred_at' | 'created_at'> & { occurred_at: Date; created_at: Date };

function toGiftDto(row: GiftRow): GiftDto {
  return { ...row, occurred_at: iso(row.occurred_at) as string, created_at: iso(row.created_at) as string };
}

function giftsQuery(dataSource: DataSource) {
  return dataSource
    .createQueryBuilder()
    .from('gifts', 'g')
    .select(['g.id AS id', 'g.event_id AS event_id', 'g.sender_id AS sender_id', 'g.creator_id AS creator_id', 'g.gift_type AS gift_type', 'g.live_session_id AS live_session_id'])
    .addSelect(['g.coins::text AS coins', 'g.diamonds::text AS diamonds', 'g.rounding_coins::text AS rounding_coins', 'g.ledger_transaction_id::text AS ledger_transaction_id'])
    .addSelect(['g.occurred_at AS occurred_at', 'g.created_at AS created_at']);
}

export class GiftsService {
  constructor(private readonly dataSource: DataSource) {}

  list(list: ListQuery): Promise<Page<GiftDto>> {
    return rawPage(giftsQuery(this.dataSource), list, GIFTS_LIST, toGiftDto);
  }

  async get(id: string): Promise<GiftDto> {
    const row = await giftsQuery(this.dataSource).where('g.id = :id', { id }).getRawOne<GiftRow>();
    if (!row) throw new NotFound('gift', id);
    return toGiftDto(row);
  }
}
