import { NotFound } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { iso, type Page } from '../listing/page';

/** A ledger account with its materialized balances (decimal strings of the asset's minor units). */
export interface LedgerAccountDto {
  id: string;
  code: string;
  /** The account a shard belongs to: `platform:coins:spent#3` → `platform:coins:spent`. */
  logical_code: string;
  asset: string;
  kind: string;
  owner_id: string | null;
  overdraft: string;
  posted: string;
  pending_debits: string;
  pending_credits: string;
  /** posted − pending debits: what can be spent. */
  available: string;
  version: string;
  created_at: string;
  updated_at: string;
}

export const LEDGER_ACCOUNTS_LIST: ListSpec = {
  resource: 'ledger-accounts',
  sortable: { id: 'a.id', code: 'a.code', asset: 'a.asset', kind: 'a.kind', posted: 'a.posted', available: '(a.posted - a.pending_debits)', created_at: 'a.created_at', updated_at: 'a.updated_at' },
  filters: {
    id: { column: 'a.id', type: 'bigint' },
    code: { column: 'a.code', type: 'text' },
    logical_code: { column: `split_part(a.code, '#', 1)`, type: 'text' },
    owner_id: { column: 'a.owner_id', type: 'text' },
    asset: { column: 'a.asset', type: 'text' },
    kind: { column: 'a.kind', type: 'enum', values: ['user', 'creator', 'platform', 'provider'] },
    overdraft: { column: 'a.overdraft', type: 'enum', values: ['forbid', 'allow'] },
    negative: { column: '(a.posted < 0)', type: 'bool' },
  },
  search: ['a.code', 'a.owner_id'],
  defaultSort: ['id', 'ASC'],
  idColumn: 'a.id',
};

type AccountRow = Omit<LedgerAccountDto, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

function toAccountDto(row: AccountRow): LedgerAccountDto {
  return { ...row, created_at: iso(row.created_at) as string, updated_at: iso(row.updated_at) as string };
}

function accountsQuery(dataSource: DataSource) {
  return dataSource
    .createQueryBuilder()
    .from('ledger_accounts', 'a')
    .select(['a.id::text AS id', 'a.code AS code', `split_part(a.code, '#', 1) AS logical_code`, 'a.asset AS asset', 'a.kind AS kind', 'a.owner_id AS owner_id', 'a.overdraft AS overdraft'])
    .addSelect(['a.posted::text AS posted', 'a.pending_debits::text AS pending_debits', 'a.pending_credits::text AS pending_credits', '(a.posted - a.pending_debits)::text AS available'])
    .addSelect(['a.version::text AS version', 'a.created_at AS created_at', 'a.updated_at AS updated_at']);
}

export class LedgerAccountsService {
  constructor(private readonly dataSource: DataSource) {}

  list(list: ListQuery): Promise<Page<LedgerAccountDto>> {
    return rawPage(accountsQuery(this.dataSource), list, LEDGER_ACCOUNTS_LIST, toAccountDto);
  }

  async get(id: string): Promise<LedgerAccountDto> {
    const row = await accountsQuery(this.dataSource).where('a.id = :id', { id }).getRawOne<AccountRow>();
    if (!row) throw new NotFound('ledger account', id);
    return toAccountDto(row);
  }

  /** The account id of a code, or null when no posting ever opened it. */
  async idOf(code: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT id::text AS id FROM ledger_accounts WHERE code = $1`, [code]);
    return row?.id ?? null;
  }
}
