import { GroupCommit } from './group-commit';
import type { Ledger } from './ledger';
import type { BatchResult, LedgerCommand, LedgerTransaction } from './transactions/types';

export interface BatcherOptions {
  /** Commands per database transaction. */
  readonly maxBatchSize?: number;
  /** How long the first command of a batch waits for company. */
  readonly maxWaitMs?: number;
  /** Batches in flight at once (each holds one pooled connection). */
  readonly maxConcurrentBatches?: number;
  /** Commands waiting beyond this are refused (TooManyRequests) rather than queued without end. */
  readonly maxQueued?: number;
}

/**
 * Group commit for independent callers (the events API posting gifts one by one): commands arriving
 * together share one database transaction. Not for posting inside a caller's transaction.
 */
export class LedgerBatcher {
  private readonly group: GroupCommit<LedgerCommand, BatchResult>;

  constructor(ledger: Ledger, options: BatcherOptions = {}) {
    this.group = new GroupCommit((commands) => ledger.postBatch(commands), {
      maxBatchSize: Math.min(options.maxBatchSize ?? 250, 1000),
      maxWaitMs: options.maxWaitMs ?? 2,
      // Two: one batch holds its locks while the next prepares; 1, 2 and 3 measured alike on 2 cores (docs/ledger.md).
      maxConcurrentBatches: options.maxConcurrentBatches ?? 2,
      maxQueued: options.maxQueued ?? 20_000,
      fullMessage: 'ledger batcher queue is full',
    });
  }

  /** Resolves with this command's own result, once its batch has committed. */
  submit(command: LedgerCommand): Promise<BatchResult> {
    return this.group.submit(command);
  }

  /** Like `Ledger.post`: the transaction, or its error thrown. */
  async post(command: LedgerCommand): Promise<LedgerTransaction> {
    const result = await this.submit(command);
    if (!result.ok) throw result.error;
    return result.transaction;
  }
}
