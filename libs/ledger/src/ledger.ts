import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { NotFound } from '@coinops/contracts';
import { AccountSpec, logicalCode } from './accounts/account-codes';
import { AccountRegistry } from './accounts/account-registry';
import { buildGift, GiftEntry } from './domain/gifts';
import { buildRechargeCredit, buildRechargeHold, RechargeEntry } from './domain/recharges';
import { DEFAULT_ECONOMY, EconomySettings } from './economy/economy';
import { BatchContext, executeBatch, LedgerStats } from './engine/batch';
import { clientRunner } from './engine/sql-runner';
import { loadTransactions, toLedgerTransaction } from './engine/load';
import { parseTransactionId } from './transactions/prepare';
import { BatchResult, LedgerCommand, LedgerTransaction, PostAmounts, TransactionInput, TransactionType } from './transactions/types';
import { accountBalance, accountBalanceAt, Balance } from './balances';

export interface LedgerOptions {
  readonly economy?: EconomySettings;
  /**
   * Shards per hot platform account, at most 64. Batched posting touches each hot row once per batch, so
   * the count hardly matters there; posting one gift per transaction, 16 shards did 3x the gifts/s of 1
   * (docs/ledger.md, "Hot accounts").
   */
  readonly shardCount?: number;
}

/** Runs inside the caller's open transaction (its business row, audit row and outbox row commit with it). */
export interface InTransaction {
  readonly manager?: EntityManager;
}

export const DEFAULT_SHARD_COUNT = 16;
const MAX_SHARD_COUNT = 64;

/**
 * The ledger engine (DESIGN §3). Every movement of value goes through `postBatch`; the other methods
 * are one-command batches or builders of the typical entries.
 */
export class Ledger {
  readonly economy: EconomySettings;
  private readonly context: BatchContext;

  constructor(private readonly dataSource: DataSource, options: LedgerOptions = {}) {
    this.economy = options.economy ?? DEFAULT_ECONOMY;
    const shardCount = options.shardCount ?? DEFAULT_SHARD_COUNT;
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARD_COUNT) {
      throw new Error(`ledger: shardCount must be 1-${MAX_SHARD_COUNT}`);
    }
    // Round-robin from a random start: concurrent batches of this process, and of other processes, spread over shards.
    let shardCursor = randomInt(shardCount);
    const pool = () => (this.dataSource.driver as unknown as { master: Pool }).master;
    this.context = {
      get pool() {
        return pool();
      },
      registry: new AccountRegistry(() => clientRunner(pool())),
      shardCount,
      nextShard: () => (shardCursor = (shardCursor + 1) % shardCount),
      stats: { batches: 0, commands: 0, retriedRaces: 0, retriedDeadlocks: 0 },
    };
  }

  /** Counters since this Ledger was built (a deadlock is never expected: locks are taken in one order). */
  stats(): Readonly<LedgerStats> {
    return { ...this.context.stats };
  }

  /** Many commands in one database transaction; each gets its own result (a refusal does not fail the others). */
  postBatch(commands: readonly LedgerCommand[], options: InTransaction = {}): Promise<BatchResult[]> {
    return executeBatch(this.context, commands, options.manager);
  }

  /** Posts one transaction (or a hold, with `pending: true`); the same key and body returns the first result. */
  post(input: TransactionInput, options: InTransaction = {}): Promise<LedgerTransaction> {
    return this.one({ op: 'transfer', input }, options);
  }

  /** Posts a hold, in full or for less (`amounts` per account code); exactly once. */
  postPending(pendingId: string, options: InTransaction & { idempotencyKey?: string; amounts?: PostAmounts; metadata?: Record<string, unknown> } = {}): Promise<LedgerTransaction> {
    const { manager, idempotencyKey, ...rest } = options;
    return this.one({ op: 'post_pending', pendingId, idempotencyKey: idempotencyKey ?? `post:${pendingId}`, ...rest }, { manager });
  }

  /** Voids a hold: the reserved amounts are released; exactly once, and never after it was posted. */
  voidPending(pendingId: string, options: InTransaction & { idempotencyKey?: string; reason?: string } = {}): Promise<LedgerTransaction> {
    const { manager, idempotencyKey, reason } = options;
    return this.one({ op: 'void_pending', pendingId, idempotencyKey: idempotencyKey ?? `void:${pendingId}`, reason }, { manager });
  }

  /** A new transaction with the negated postings, naming the one it reverses; once per transaction. */
  reverse(transactionId: string, reason: string, options: InTransaction & { idempotencyKey?: string; type?: TransactionType } = {}): Promise<LedgerTransaction> {
    const { manager, idempotencyKey, type } = options;
    return this.one({ op: 'reverse', transactionId, reason, type, idempotencyKey: idempotencyKey ?? `reverse:${transactionId}` }, { manager });
  }

  creditRecharge(entry: RechargeEntry, options: InTransaction = {}): Promise<LedgerTransaction> {
    return this.post(buildRechargeCredit(entry), options);
  }

  holdRecharge(entry: RechargeEntry, options: InTransaction = {}): Promise<LedgerTransaction> {
    return this.post(buildRechargeHold(entry), options);
  }

  postGift(entry: GiftEntry, options: InTransaction = {}): Promise<LedgerTransaction> {
    return this.post(buildGift(entry, this.economy), options);
  }

  async getTransaction(id: string): Promise<LedgerTransaction> {
    const [found] = await loadTransactions(clientRunner(this.context.pool), [parseTransactionId(id)]);
    if (!found) throw new NotFound('ledger transaction', id);
    return toLedgerTransaction(found);
  }

  async findTransaction(idempotencyKey: string): Promise<LedgerTransaction | null> {
    const [found] = await loadTransactions(clientRunner(this.context.pool), [], [idempotencyKey]);
    return found ? toLedgerTransaction(found) : null;
  }

  /** Current balances; a sharded platform account is the sum of its shards. */
  balance(account: AccountSpec | string): Promise<Balance> {
    return accountBalance(clientRunner(this.context.pool), logicalCode(typeof account === 'string' ? account : account.code));
  }

  /** The posted balance at a past moment, from the running balances (one indexed query per account or shard). */
  balanceAt(account: AccountSpec | string, at: Date): Promise<bigint> {
    return accountBalanceAt(clientRunner(this.context.pool), logicalCode(typeof account === 'string' ? account : account.code), at);
  }

  private async one(command: LedgerCommand, options: InTransaction): Promise<LedgerTransaction> {
    const [result] = await this.postBatch([command], options);
    if (!result.ok) throw result.error;
    return result.transaction;
  }
}
