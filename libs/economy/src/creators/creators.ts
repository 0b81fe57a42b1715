import { NotFound } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { KYC_STATUSES, type EventData } from '../events/event-schemas';
import type { Queryable } from '../events/event-store';
import { iso, type Page } from '../listing/page';
import { balanceColumns, checkPlatformId } from '../users/users';

/** A creator: the platform's profile and KYC state, and the diamonds earned, from the ledger. */
export interface CreatorDto {
  id: string;
  user_id: string | null;
  country: string | null;
  payout_currency: string | null;
  kyc_status: (typeof KYC_STATUSES)[number];
  tax_form: string | null;
  profile_received: boolean;
  created_at: string;
  updated_at: string;
  balance_diamonds: string;
  available_diamonds: string;
  held_diamonds: string;
  debt_diamonds: string;
}

const CREATOR_BALANCES = balanceColumns('diamonds');

export const CREATORS_LIST: ListSpec = {
  resource: 'creators',
  sortable: { id: 'c.id', created_at: 'c.created_at', updated_at: 'c.updated_at', country: 'c.country', kyc_status: 'c.kyc_status', ...CREATOR_BALANCES },
  filters: {
    id: { column: 'c.id', type: 'text' },
    user_id: { column: 'c.user_id', type: 'text' },
    country: { column: 'c.country', type: 'text' },
    payout_currency: { column: 'c.payout_currency', type: 'text' },
    kyc_status: { column: 'c.kyc_status', type: 'enum', values: KYC_STATUSES },
    profile_received: { column: 'c.profile_received', type: 'bool' },
    has_debt: { column: '(coalesce(la.posted, 0) < 0)', type: 'bool' },
    created_at_gte: { column: 'c.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'c.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['c.id', 'c.user_id'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'c.id',
};

type CreatorRow = Omit<CreatorDto, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

function toCreatorDto(row: CreatorRow): CreatorDto {
  return {
    ...row,
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
    balance_diamonds: String(row.balance_diamonds),
    available_diamonds: String(row.available_diamonds),
    held_diamonds: String(row.held_diamonds),
    debt_diamonds: String(row.debt_diamonds),
  };
}

function creatorsQuery(dataSource: DataSource) {
  const qb = dataSource
    .createQueryBuilder()
    .from('creators', 'c')
    .leftJoin('ledger_accounts', 'la', `la.code = 'creator:' || c.id || ':diamonds'`)
    .select(['c.id AS id', 'c.user_id AS user_id', 'c.country AS country', 'c.payout_currency AS payout_currency', 'c.kyc_status AS kyc_status', 'c.tax_form AS tax_form'])
    .addSelect(['c.profile_received AS profile_received', 'c.created_at AS created_at', 'c.updated_at AS updated_at']);
  for (const [name, expression] of Object.entries(CREATOR_BALANCES)) qb.addSelect(`(${expression})::text`, name);
  return qb;
}

export class CreatorsService {
  constructor(private readonly dataSource: DataSource) {}

  list(list: ListQuery): Promise<Page<CreatorDto>> {
    return rawPage(creatorsQuery(this.dataSource), list, CREATORS_LIST, toCreatorDto);
  }

  async get(id: string): Promise<CreatorDto> {
    checkPlatformId(id, 'id');
    const row = await creatorsQuery(this.dataSource).where('c.id = :id', { id }).getRawOne<CreatorRow>();
    if (!row) throw new NotFound('creator', id);
    return toCreatorDto(row);
  }
}

/** Applies creator.created / creator.kyc_updated; an event older than the one last applied changes nothing. */
export async function applyCreatorProfile(manager: Queryable, data: EventData<'creator.created'>, occurredAt: Date): Promise<void> {
  await manager.query(
    `INSERT INTO creators (id, user_id, country, payout_currency, kyc_status, tax_form, profile_received, profile_occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, true, $7)
     ON CONFLICT (id) DO UPDATE SET
       user_id = coalesce(EXCLUDED.user_id, creators.user_id),
       country = EXCLUDED.country,
       payout_currency = EXCLUDED.payout_currency,
       kyc_status = EXCLUDED.kyc_status,
       tax_form = coalesce(EXCLUDED.tax_form, creators.tax_form),
       profile_received = true,
       profile_occurred_at = EXCLUDED.profile_occurred_at,
       updated_at = now()
     WHERE creators.profile_occurred_at IS NULL OR creators.profile_occurred_at <= EXCLUDED.profile_occurred_at`,
    [data.creator_id, data.user_id ?? null, data.country, data.payout_currency, data.kyc_status, data.tax_form ?? null, occurredAt.toISOString()],
  );
}
