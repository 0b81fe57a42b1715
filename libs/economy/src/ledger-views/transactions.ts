import { NotFound } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { iso, type Page } from '../listing/page';

export interface LedgerPostingDto {
  id: string;
  account_id: string;
  account_code: string;
  asset: string;
  /** posted moves the balance; hold reserves; release ends a hold. */
  kind: string;
  amount: string;
  /** The account's posted balance just after this posting. */
  running_balance: string;
  created_at: string;
}

export interface LedgerTransactionDto {
  id: string;
  idempotency_key: string;
  type: string;
  phase: string;
  /** posted, pending (a hold not yet resolved) or voided. */
  state: string;
  pending_id: string | null;
  reverses_id: string | null;
  reversed_by_id: string | null;
  reason: string | null;
  reference_type: string | null;
  reference_id: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  postings: LedgerPostingDto[];
}

/** One line of an account's journal: a posting, what it belonged to, and the balance it left. */
export interface JournalLineDto {
  id: string;
  transaction_id: string;
  type: string;
  phase: string;
  kind: string;
  amount: string;
  running_balance: string;
  reference_type: string | null;
  reference_id: string | null;
  idempotency_key: string;
  reason: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
}

const values = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map(String);

export const LEDGER_TRANSACTIONS_LIST: ListSpec = {
  resource: 'ledger-transactions',
  sortable: { id: 't.id', created_at: 't.created_at', type: 't.type' },
  filters: {
    id: { column: 't.id', type: 'bigint' },
    type: { column: 't.type', type: 'text' },
    phase: { column: 't.phase', type: 'enum', values: ['single', 'pending', 'post', 'void'] },
    idempotency_key: { column: 't.idempotency_key', type: 'text' },
    reference_type: { column: 't.reference_type', type: 'text' },
    reference_id: { column: 't.reference_id', type: 'text' },
    pending_id: { column: 't.pending_id', type: 'bigint' },
    reverses_id: { column: 't.reverses_id', type: 'bigint' },
    // Custom (see below): transactions with a posting on this account id, or on this code and its shards.
    account_id: { column: 't.id', type: 'bigint' },
    account: { column: 't.id', type: 'text' },
    created_at_gte: { column: 't.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 't.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['t.id', 't.idempotency_key', 't.reference_id'],
  defaultSort: ['id', 'DESC'],
  idColumn: 't.id',
};

export const JOURNAL_LIST: ListSpec = {
  resource: 'journal',
  sortable: { id: 'p.id', created_at: 'p.created_at' },
  filters: {
    type: { column: 't.type', type: 'text' },
    kind: { column: 'p.kind', type: 'enum', values: ['posted', 'hold', 'release'] },
    reference_id: { column: 't.reference_id', type: 'text' },
    created_at_gte: { column: 'p.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'p.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['t.idempotency_key', 't.reference_id'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'p.id',
};

const STATE = `CASE
  WHEN t.phase = 'void' THEN 'voided'
  WHEN t.phase = 'pending' THEN coalesce((SELECT CASE r.phase WHEN 'post' THEN 'posted' ELSE 'voided' END FROM ledger_transactions r WHERE r.pending_id = t.id), 'pending')
  ELSE 'posted' END`;

type TransactionRow = Omit<LedgerTransactionDto, 'created_at' | 'postings'> & { created_at: Date };

function transactionsQuery(dataSource: DataSource) {
  return dataSource
    .createQueryBuilder()
    .from('ledger_transactions', 't')
    .select(['t.id::text AS id', 't.idempotency_key AS idempotency_key', 't.type AS type', 't.phase AS phase', `(${STATE}) AS state`])
    .addSelect(['t.pending_id::text AS pending_id', 't.reverses_id::text AS reverses_id', '(SELECT rv.id::text FROM ledger_transactions rv WHERE rv.reverses_id = t.id) AS reversed_by_id'])
    .addSelect(['t.reason AS reason', 't.reference_type AS reference_type', 't.reference_id AS reference_id', 't.metadata AS metadata', 't.created_at AS created_at']);
}

export class LedgerTransactionsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(list: ListQuery): Promise<Page<LedgerTransactionDto>> {
    const page = await rawPage(transactionsQuery(this.dataSource), list, LEDGER_TRANSACTIONS_LIST, (row: TransactionRow) => row, {
      account_id: (qb, value, param) =>
        qb.andWhere(`t.id IN (SELECT fp.transaction_id FROM ledger_postings fp WHERE fp.account_id = ANY(CAST(:${param} AS bigint[])))`, { [param]: values(value) }),
      account: (qb, value, param) =>
        qb.andWhere(
          `t.id IN (SELECT fp.transaction_id FROM ledger_postings fp JOIN ledger_accounts fa ON fa.id = fp.account_id
                    WHERE split_part(fa.code, '#', 1) = ANY(CAST(:${param} AS text[])))`,
          { [param]: values(value) },
        ),
    });
    return { rows: await this.withPostings(page.rows), total: page.total };
  }

  async get(id: string): Promise<LedgerTransactionDto> {
    const row = await transactionsQuery(this.dataSource).where('t.id = :id', { id }).getRawOne<TransactionRow>();
    if (!row) throw new NotFound('ledger transaction', id);
    return (await this.withPostings([row]))[0];
  }

  /** An account's postings with the running balance each left (newest first by default), paginated. */
  journal(accountId: string, list: ListQuery): Promise<Page<JournalLineDto>> {
    const qb = this.dataSource
      .createQueryBuilder()
      .from('ledger_postings', 'p')
      .innerJoin('ledger_transactions', 't', 't.id = p.transaction_id')
      .where('p.account_id = :account', { account: accountId })
      .select(['p.id::text AS id', 'p.transaction_id::text AS transaction_id', 't.type AS type', 't.phase AS phase', 'p.kind AS kind'])
      .addSelect(['p.amount::text AS amount', 'p.running_balance::text AS running_balance', 't.reference_type AS reference_type', 't.reference_id AS reference_id'])
      .addSelect(['t.idempotency_key AS idempotency_key', 't.reason AS reason', 't.metadata AS metadata', 'p.created_at AS created_at']);
    return rawPage(qb, list, JOURNAL_LIST, (row: Omit<JournalLineDto, 'created_at'> & { created_at: Date }) => ({ ...row, created_at: iso(row.created_at) as string }));
  }

  private async withPostings(rows: readonly TransactionRow[]): Promise<LedgerTransactionDto[]> {
    if (rows.length === 0) return [];
    const postings: Array<LedgerPostingDto & { transaction_id: string; created_at: Date }> = await this.dataSource.query(
      `SELECT p.id::text AS id, p.transaction_id::text AS transaction_id, p.account_id::text AS account_id, a.code AS account_code, p.asset, p.kind,
              p.amount::text AS amount, p.running_balance::text AS running_balance, p.created_at
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
       WHERE p.transaction_id = ANY($1::bigint[]) ORDER BY p.id`,
      [rows.map((row) => row.id)],
    );
    const byTransaction = new Map<string, LedgerPostingDto[]>();
    for (const { transaction_id, created_at, ...posting } of postings) {
      const list = byTransaction.get(transaction_id) ?? [];
      list.push({ ...posting, created_at: iso(created_at) as string });
      byTransaction.set(transaction_id, list);
    }
    return rows.map((row) => ({ ...row, created_at: iso(row.created_at) as string, postings: byTransaction.get(row.id) ?? [] }));
  }
}
