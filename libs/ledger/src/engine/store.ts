import type { OverdraftPolicy } from '../accounts/account-codes';
import type { Asset } from '../money/assets';
import type { PostingKind } from '../transactions/types';
import type { SqlRunner } from './sql-runner';
import { LEDGER_SQL } from './sql';

/**
 * The posting path's statements (SQL in ./sql.ts), one function each. Arrays of numbers and plain tokens
 * travel as array literals built here (no per-element escaping in the driver).
 */

/** What the engine knows of an account it posts to. */
export interface AccountInfo {
  readonly id: bigint;
  readonly idText: string;
  readonly code: string;
  readonly asset: Asset;
  readonly overdraft: OverdraftPolicy;
}

/** An account under lock, with the balances the overdraft check and the running balances need. */
export interface AccountState extends AccountInfo {
  posted: bigint;
  pendingDebits: bigint;
}

/** `{1,2,NULL}`: for values that need no quoting (numbers, hex, lowercase tokens). */
export function arrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) literal += ',';
    literal += values[i] ?? 'NULL';
  }
  return literal + '}';
}

/** Locks the accounts in ascending id order (the one global order: no deadlock) and reads their balances. */
export async function lockAccounts(runner: SqlRunner, sortedIds: readonly string[]): Promise<Map<string, { posted: bigint; pendingDebits: bigint }>> {
  const [row] = await runner.query<{ ids: string[] | null; posted: string[] | null; pending_debits: string[] | null }>(
    LEDGER_SQL.lockAccounts,
    [arrayLiteral(sortedIds)],
    'coinops_ledger_lock',
  );
  const balances = new Map<string, { posted: bigint; pendingDebits: bigint }>();
  const ids = row.ids ?? [];
  for (let i = 0; i < ids.length; i += 1) {
    balances.set(ids[i], { posted: BigInt((row.posted as string[])[i]), pendingDebits: BigInt((row.pending_debits as string[])[i]) });
  }
  return balances;
}

export interface KnownKey {
  readonly source: 'transaction' | 'rejection';
  readonly hash: string;
  readonly transactionId: bigint | null;
  readonly accountCode: string | null;
  readonly asset: string | null;
  readonly available: bigint | null;
  readonly requested: bigint | null;
}

/**
 * What earlier calls did with these keys: a transaction, or a remembered refusal. One index probe per key
 * (LATERAL with OFFSET 0 is never flattened into a join): never a scan of the journal, whatever the
 * planner's statistics say about a young table.
 */
export async function lookupKeys(runner: SqlRunner, keys: readonly string[]): Promise<Map<string, KnownKey>> {
  const rows = await runner.query<{ source: 'transaction' | 'rejection'; key: string; hash: string; id: string | null; code: string | null; asset: string | null; available: string | null; requested: string | null }>(
    LEDGER_SQL.lookupKeys,
    [keys],
    'coinops_ledger_lookup_keys',
  );
  const known = new Map<string, KnownKey>();
  for (const row of rows) {
    // A key with both (a refusal, then a success by a racing batch) counts as its transaction.
    if (known.get(row.key)?.source === 'transaction') continue;
    known.set(row.key, {
      source: row.source,
      hash: row.hash,
      transactionId: row.id === null ? null : BigInt(row.id),
      accountCode: row.code,
      asset: row.asset,
      available: row.available === null ? null : BigInt(row.available),
      requested: row.requested === null ? null : BigInt(row.requested),
    });
  }
  return known;
}

export interface Resolutions {
  /** pending transaction id → how it was resolved */
  readonly resolved: Map<bigint, 'post' | 'void'>;
  readonly reversed: Set<bigint>;
}

export async function lookupResolutions(runner: SqlRunner, pendingIds: readonly bigint[], reversedIds: readonly bigint[]): Promise<Resolutions> {
  const rows = await runner.query<{ target: string; how: 'post' | 'void' | 'reversed' }>(
    LEDGER_SQL.lookupResolutions,
    [arrayLiteral(pendingIds.map(String)), arrayLiteral(reversedIds.map(String))],
  );
  const resolutions: Resolutions = { resolved: new Map(), reversed: new Set() };
  for (const row of rows) {
    if (row.how === 'reversed') resolutions.reversed.add(BigInt(row.target));
    else resolutions.resolved.set(BigInt(row.target), row.how);
  }
  return resolutions;
}

/** Transaction rows to insert, as columns (one array per column: one statement whatever the batch size). */
export interface TransactionColumns {
  keys: string[];
  hashes: string[];
  types: string[];
  phases: string[];
  pendingIds: (string | null)[];
  reversesIds: (string | null)[];
  reasons: (string | null)[];
  referenceTypes: (string | null)[];
  referenceIds: (string | null)[];
  metadata: (string | null)[];
}

export interface PostingColumns {
  /** Index (1-based) of the posting's transaction in TransactionColumns. */
  transactionIndexes: string[];
  accountIds: string[];
  assets: string[];
  kinds: PostingKind[];
  amounts: string[];
  runningBalances: string[];
  releasedIds: (string | null)[];
}

export interface Inserted {
  /** Transaction id by idempotency key. */
  readonly transactionIds: Map<string, string>;
  /** Posting ids, in the order the postings were given. */
  readonly postingIds: string[];
  readonly createdAt: Date;
}

/**
 * Inserts the batch's transactions and their postings in one statement; the postings trigger then checks
 * and applies them (it sees the transactions of the same statement). Postings go in the given order, so
 * their ids follow it. Keys were looked up under the account locks: a duplicate here is a concurrent batch
 * with the same key and other accounts, a unique violation, and the batch starts again.
 */
export async function insertTransactionsAndPostings(runner: SqlRunner, transactions: TransactionColumns, postings: PostingColumns): Promise<Inserted> {
  const [row] = await runner.query<{ transaction_ids: string[]; keys: string[]; posting_ids: string[]; created_at: Date }>(
    LEDGER_SQL.insertTransactionsAndPostings,
    [
      transactions.keys, arrayLiteral(transactions.hashes), arrayLiteral(transactions.types), arrayLiteral(transactions.phases),
      arrayLiteral(transactions.pendingIds), arrayLiteral(transactions.reversesIds), transactions.reasons, transactions.referenceTypes,
      transactions.referenceIds, transactions.metadata,
      arrayLiteral(postings.transactionIndexes), arrayLiteral(postings.accountIds), arrayLiteral(postings.assets), arrayLiteral(postings.kinds),
      arrayLiteral(postings.amounts), arrayLiteral(postings.runningBalances), arrayLiteral(postings.releasedIds),
    ],
    'coinops_ledger_insert',
  );
  const transactionIds = new Map<string, string>();
  const keys = row.keys ?? [];
  for (let i = 0; i < keys.length; i += 1) transactionIds.set(keys[i], row.transaction_ids[i]);
  return { transactionIds, postingIds: row.posting_ids ?? [], createdAt: row.created_at };
}

export interface RejectionColumns {
  keys: string[];
  hashes: string[];
  accountIds: string[];
  available: string[];
  requested: string[];
}

export async function insertRejections(runner: SqlRunner, columns: RejectionColumns): Promise<void> {
  await runner.query(
    LEDGER_SQL.insertRejections,
    [columns.keys, arrayLiteral(columns.hashes), arrayLiteral(columns.accountIds), arrayLiteral(columns.available), arrayLiteral(columns.requested)],
  );
}
