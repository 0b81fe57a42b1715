import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { DomainError, ValidationFailed } from '@coinops/contracts';
import { AccountSpec, shardCode } from '../accounts/account-codes';
import { AccountRegistry, AccountRow } from '../accounts/account-registry';
import { PreparedCommand, prepareCommand } from '../transactions/prepare';
import { BatchResult, LedgerCommand, LedgerPosting, LedgerTransaction, LIMITS } from '../transactions/types';
import { Decision, plan, PlannedTransaction } from './plan';
import { atomically, SqlRunner } from './sql-runner';
import { loadTransactions, StoredTransaction, toLedgerTransaction } from './load';
import {
  AccountInfo, AccountState, insertRejections, insertTransactionsAndPostings, lockAccounts, lookupKeys, lookupResolutions,
  PostingColumns, RejectionColumns, TransactionColumns,
} from './store';

export interface BatchContext {
  readonly pool: Pool;
  readonly registry: AccountRegistry;
  readonly shardCount: number;
  /** The shard every sharded account of the next batch goes to. */
  nextShard(): number;
  readonly stats: LedgerStats;
}

/** Counters since the Ledger was built: batches committed, and attempts started again (by cause). */
export interface LedgerStats {
  batches: number;
  commands: number;
  retriedRaces: number;
  retriedDeadlocks: number;
}

const RETRYABLE_CODES = new Set([
  '40P01', // deadlock detected: cannot happen with ordered locks, retried if it ever does
  '40001', // serialization failure
  '23505', // unique violation: a concurrent batch used the same key, or resolved or reversed the same transaction, first
  'coinops_ledger_race', // see confirmRefusals
]);

/**
 * The one way value moves: a batch of commands in one database transaction, each command its own
 * result. Round trips per batch: BEGIN, look up the keys, lock the accounts, insert the transactions and
 * their postings (one statement), COMMIT; plus refusals, holds and reversals when the batch has them.
 */
export async function executeBatch(ctx: BatchContext, commands: readonly LedgerCommand[], manager?: EntityManager): Promise<BatchResult[]> {
  if (commands.length > LIMITS.commandsPerBatch) {
    throw ValidationFailed.field('commands', `a batch holds at most ${LIMITS.commandsPerBatch} commands`);
  }
  if (commands.length === 0) return [];
  const prepared = commands.map(prepareSafely);
  const legAccounts = await resolveLegAccounts(ctx, prepared, ctx.nextShard() % ctx.shardCount);

  for (let attempt = 1; ; attempt += 1) {
    try {
      const results = await atomically(ctx.pool, manager, (runner) => attemptBatch(runner, prepared, legAccounts));
      ctx.stats.batches += 1;
      ctx.stats.commands += commands.length;
      return results;
    } catch (error) {
      if (attempt >= LIMITS.attemptsPerBatch || !isRetryable(error)) throw error;
      if ((error as { code?: unknown }).code === '40P01') ctx.stats.retriedDeadlocks += 1;
      else ctx.stats.retriedRaces += 1;
    }
  }
}

function prepareSafely(command: LedgerCommand): PreparedCommand | DomainError {
  try {
    return prepareCommand(command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/**
 * The account of every transfer leg, opened if new. A sharded account's legs all go to this batch's
 * shard (the body hash was taken on the logical code, so a replay matches whatever shard it used).
 */
async function resolveLegAccounts(ctx: BatchContext, prepared: readonly (PreparedCommand | DomainError)[], shard: number): Promise<(AccountInfo[] | null)[]> {
  const wanted = new Map<string, AccountSpec>();
  const legCodes = prepared.map((command) => {
    if (command instanceof DomainError || command.op !== 'transfer') return null;
    return command.legs.map(({ account }) => {
      const code = account.sharded ? shardCode(account.code, shard) : account.code;
      if (!wanted.has(code)) wanted.set(code, account);
      return code;
    });
  });
  const rows = await ctx.registry.resolve(wanted);
  return legCodes.map((codes) => codes && codes.map((code) => rows.get(code) as AccountRow));
}

async function attemptBatch(runner: SqlRunner, prepared: readonly (PreparedCommand | DomainError)[], legAccounts: readonly (AccountInfo[] | null)[]): Promise<BatchResult[]> {
  const pendingIds: bigint[] = [];
  const reversedIds: bigint[] = [];
  const keys: string[] = [];
  const infos = new Map<string, AccountInfo>();
  for (const [index, command] of prepared.entries()) {
    if (command instanceof DomainError) continue;
    keys.push(command.key);
    if (command.op === 'post_pending' || command.op === 'void_pending') pendingIds.push(command.pendingId);
    if (command.op === 'reverse') reversedIds.push(command.transactionId);
    for (const account of legAccounts[index] ?? []) infos.set(account.idText, account);
  }
  // Postings never change, so what a hold or a reversed transaction touched can be read before locking.
  const referenced = new Map<bigint, StoredTransaction>();
  if (pendingIds.length + reversedIds.length > 0) {
    for (const stored of await loadTransactions(runner, [...pendingIds, ...reversedIds])) {
      referenced.set(BigInt(stored.id), stored);
      for (const posting of stored.postings) infos.set(posting.account.idText, posting.account);
    }
  }
  // Keys are looked up before the locks, outside the window in which batches touching the same accounts
  // wait for each other. A key committed meanwhile by a concurrent batch is caught below (refusals) or
  // by the unique index (the batch starts again and then replays it).
  const known = await lookupKeys(runner, keys);
  const sorted = [...infos.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const balances = await lockAccounts(runner, sorted.map((a) => a.idText));
  const accounts = new Map<string, AccountState>();
  for (const info of sorted) {
    const balance = balances.get(info.idText);
    if (!balance) throw new Error(`ledger: account ${info.code} vanished`);
    accounts.set(info.idText, { ...info, posted: balance.posted, pendingDebits: balance.pendingDebits });
  }
  // Read after the locks: a concurrent batch resolving or reversing the same transaction held its accounts.
  const resolutions = referenced.size > 0 ? await lookupResolutions(runner, pendingIds, reversedIds) : { resolved: new Map(), reversed: new Set<bigint>() };

  const decisions = plan({ commands: prepared, legAccounts, accounts, known, referenced, resolutions });
  await confirmRefusals(runner, decisions);
  const inserted = await write(runner, decisions);
  const replayIds = decisions.flatMap((d) => (d.kind === 'replay' ? [d.transactionId] : []));
  const replays = new Map((await loadTransactions(runner, replayIds)).map((t) => [t.id, toLedgerTransaction(t)]));

  const results: BatchResult[] = [];
  for (const decision of decisions) results.push(resultOf(decision, results, inserted, replays));
  return results;
}

/**
 * A refusal for funds is remembered under its key, so it must not answer a key that a concurrent batch
 * (same body, same accounts, so it committed before our locks) has just posted: start again and replay it.
 */
async function confirmRefusals(runner: SqlRunner, decisions: readonly Decision[]): Promise<void> {
  const refusedKeys = decisions.flatMap((d) => (d.kind === 'reject' ? [d.key] : []));
  if (refusedKeys.length === 0) return;
  const known = await lookupKeys(runner, refusedKeys);
  if (known.size > 0) throw new BatchRace(`idempotency key ${[...known.keys()][0]} was used by a concurrent batch`);
}

/** A batch lost a race it can win by starting again. */
class BatchRace extends Error {
  readonly code = 'coinops_ledger_race';
}

function resultOf(decision: Decision, earlier: readonly BatchResult[], inserted: ReadonlyMap<string, LedgerTransaction>, replays: ReadonlyMap<string, LedgerTransaction>): BatchResult {
  switch (decision.kind) {
    case 'insert':
      return { ok: true, transaction: inserted.get(decision.transaction.key) as LedgerTransaction, replayed: false };
    case 'replay':
      return { ok: true, transaction: replays.get(decision.transactionId.toString()) as LedgerTransaction, replayed: true };
    case 'same_as': {
      const first = earlier[decision.index];
      return first.ok ? { ...first, replayed: true } : first;
    }
    case 'reject':
    case 'error':
      return { ok: false, error: decision.error };
  }
}

/** Writes the batch: transactions, then their postings (the trigger checks and applies them), then refusals. */
async function write(runner: SqlRunner, decisions: readonly Decision[]): Promise<Map<string, LedgerTransaction>> {
  const planned: PlannedTransaction[] = [];
  const rejections: Extract<Decision, { kind: 'reject' }>[] = [];
  for (const decision of decisions) {
    if (decision.kind === 'insert') planned.push(decision.transaction);
    else if (decision.kind === 'reject') rejections.push(decision);
  }
  const written = new Map<string, LedgerTransaction>();
  if (planned.length > 0) {
    const columns = columnsOf(planned);
    const inserted = await insertTransactionsAndPostings(runner, columns.transactions, columns.postings);
    if (inserted.transactionIds.size !== planned.length || inserted.postingIds.length !== columns.postings.accountIds.length) {
      throw new Error(`ledger: inserted ${inserted.transactionIds.size} of ${planned.length} transactions, ${inserted.postingIds.length} of ${columns.postings.accountIds.length} postings`);
    }
    let next = 0;
    for (const transaction of planned) {
      const postings: LedgerPosting[] = [];
      for (const leg of transaction.legs) {
        postings.push({ id: inserted.postingIds[next++], accountCode: leg.account.code, asset: leg.account.asset, kind: leg.kind, amount: leg.amount, runningBalance: leg.runningBalance });
      }
      written.set(transaction.key, {
        id: inserted.transactionIds.get(transaction.key) as string,
        idempotencyKey: transaction.key,
        type: transaction.type,
        phase: transaction.phase,
        state: transaction.phase === 'pending' ? 'pending' : transaction.phase === 'void' ? 'voided' : 'posted',
        pendingId: transaction.pendingId === null ? null : transaction.pendingId.toString(),
        reversesId: transaction.reversesId === null ? null : transaction.reversesId.toString(),
        reason: transaction.reason,
        reference: transaction.referenceType !== null && transaction.referenceId !== null ? { type: transaction.referenceType, id: transaction.referenceId } : null,
        metadata: transaction.metadata,
        createdAt: inserted.createdAt,
        postings,
      });
    }
  }
  if (rejections.length > 0) {
    const columns: RejectionColumns = { keys: [], hashes: [], accountIds: [], available: [], requested: [] };
    for (const rejection of rejections) {
      columns.keys.push(rejection.key);
      columns.hashes.push(rejection.hash);
      columns.accountIds.push(rejection.accountId);
      columns.available.push(rejection.error.available.toString());
      columns.requested.push(rejection.error.requested.toString());
    }
    await insertRejections(runner, columns);
  }
  return written;
}

/** The batch as columns: one array per column, postings pointing at their transaction by position. */
function columnsOf(planned: readonly PlannedTransaction[]): { transactions: TransactionColumns; postings: PostingColumns } {
  const transactions: TransactionColumns = { keys: [], hashes: [], types: [], phases: [], pendingIds: [], reversesIds: [], reasons: [], referenceTypes: [], referenceIds: [], metadata: [] };
  const postings: PostingColumns = { transactionIndexes: [], accountIds: [], assets: [], kinds: [], amounts: [], runningBalances: [], releasedIds: [] };
  for (let i = 0; i < planned.length; i += 1) {
    const t = planned[i];
    transactions.keys.push(t.key);
    transactions.hashes.push(t.hash);
    transactions.types.push(t.type);
    transactions.phases.push(t.phase);
    transactions.pendingIds.push(t.pendingId === null ? null : t.pendingId.toString());
    transactions.reversesIds.push(t.reversesId === null ? null : t.reversesId.toString());
    transactions.reasons.push(t.reason);
    transactions.referenceTypes.push(t.referenceType);
    transactions.referenceIds.push(t.referenceId);
    transactions.metadata.push(t.metadataJson === '{}' ? null : t.metadataJson);
    const position = String(i + 1);
    for (const leg of t.legs) {
      postings.transactionIndexes.push(position);
      postings.accountIds.push(leg.account.idText);
      postings.assets.push(leg.account.asset);
      postings.kinds.push(leg.kind);
      postings.amounts.push(leg.amount.toString());
      postings.runningBalances.push(leg.runningBalance.toString());
      postings.releasedIds.push(leg.releasedId);
    }
  }
  return { transactions, postings };
}
