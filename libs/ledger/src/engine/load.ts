import type { OverdraftPolicy } from '../accounts/account-codes';
import type { LedgerPosting, LedgerTransaction, PostingKind, TransactionPhase, TransactionState } from '../transactions/types';
import type { SqlRunner } from './sql-runner';
import { LEDGER_SQL } from './sql';
import { AccountInfo, arrayLiteral } from './store';

/** Reading stored transactions back: replays, holds to post or void, transactions to reverse, look-ups. */

export interface StoredPosting extends LedgerPosting {
  readonly accountId: bigint;
  readonly account: AccountInfo;
}

export interface StoredTransaction extends Omit<LedgerTransaction, 'postings'> {
  readonly bodyHash: string;
  readonly postings: readonly StoredPosting[];
}

interface TransactionRow {
  id: string;
  idempotency_key: string;
  body_hash: string;
  type: string;
  phase: TransactionPhase;
  pending_id: string | null;
  reverses_id: string | null;
  reason: string | null;
  reference_type: string | null;
  reference_id: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  resolved_by: 'post' | 'void' | null;
  posting_id: string | null;
  account_id: string | null;
  code: string | null;
  overdraft: OverdraftPolicy | null;
  asset: string | null;
  kind: PostingKind | null;
  amount: string | null;
  running_balance: string | null;
}

function stateOf(phase: TransactionPhase, resolvedBy: 'post' | 'void' | null): TransactionState {
  if (phase === 'void') return 'voided';
  if (phase !== 'pending') return 'posted';
  if (resolvedBy === 'post') return 'posted';
  return resolvedBy === 'void' ? 'voided' : 'pending';
}

/** Transactions with their postings, by id or by idempotency key (at most `ids.length + keys.length`). */
export async function loadTransactions(runner: SqlRunner, ids: readonly bigint[], keys: readonly string[] = []): Promise<StoredTransaction[]> {
  if (ids.length === 0 && keys.length === 0) return [];
  const rows = await runner.query<TransactionRow>(
    LEDGER_SQL.loadTransactions,
    [arrayLiteral(ids.map(String)), keys],
  );
  const byId = new Map<string, { transaction: StoredTransaction; postings: StoredPosting[] }>();
  for (const row of rows) {
    let entry = byId.get(row.id);
    if (!entry) {
      const postings: StoredPosting[] = [];
      entry = {
        postings,
        transaction: {
          id: row.id,
          idempotencyKey: row.idempotency_key,
          bodyHash: row.body_hash,
          type: row.type,
          phase: row.phase,
          state: stateOf(row.phase, row.resolved_by),
          pendingId: row.pending_id,
          reversesId: row.reverses_id,
          reason: row.reason,
          reference: row.reference_type && row.reference_id ? { type: row.reference_type, id: row.reference_id } : null,
          metadata: row.metadata ?? {},
          createdAt: row.created_at,
          postings,
        },
      };
      byId.set(row.id, entry);
    }
    if (row.posting_id !== null) {
      entry.postings.push({
        id: row.posting_id,
        accountId: BigInt(row.account_id as string),
        account: { id: BigInt(row.account_id as string), idText: row.account_id as string, code: row.code as string, asset: row.asset as string, overdraft: row.overdraft as OverdraftPolicy },
        accountCode: row.code as string,
        asset: row.asset as string,
        kind: row.kind as PostingKind,
        amount: BigInt(row.amount as string),
        runningBalance: BigInt(row.running_balance as string),
      });
    }
  }
  return [...byId.values()].map((entry) => entry.transaction);
}

/** The public shape: internal columns dropped. */
export function toLedgerTransaction(stored: StoredTransaction): LedgerTransaction {
  const { bodyHash: _bodyHash, postings, ...rest } = stored;
  return {
    ...rest,
    postings: postings.map(({ accountId: _accountId, account: _account, ...posting }) => posting),
  };
}
