import { TooManyRequests } from '@coinops/contracts';
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

interface Waiting {
  readonly command: LedgerCommand;
  readonly resolve: (result: BatchResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for independent callers (the events API posting gifts one by one): commands arriving
 * together share one database transaction. Not for posting inside a caller's transaction.
 */
export class LedgerBatcher {
  private readonly maxBatchSize: number;
  private readonly maxWaitMs: number;
  private readonly maxConcurrentBatches: number;
  private readonly maxQueued: number;
  private queue: Waiting[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ledger: Ledger, options: BatcherOptions = {}) {
    this.maxBatchSize = Math.min(options.maxBatchSize ?? 250, 1000);
    this.maxWaitMs = options.maxWaitMs ?? 2;
    // Two: one batch holds its locks while the next prepares; 1, 2 and 3 measured alike on 2 cores (docs/ledger.md).
    this.maxConcurrentBatches = options.maxConcurrentBatches ?? 2;
    this.maxQueued = options.maxQueued ?? 20_000;
  }

  /** Resolves with this command's own result, once its batch has committed. */
  submit(command: LedgerCommand): Promise<BatchResult> {
    if (this.queue.length >= this.maxQueued) return Promise.reject(new TooManyRequests('ledger batcher queue is full'));
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.schedule();
    });
  }

  /** Like `Ledger.post`: the transaction, or its error thrown. */
  async post(command: LedgerCommand): Promise<LedgerTransaction> {
    const result = await this.submit(command);
    if (!result.ok) throw result.error;
    return result.transaction;
  }

  /** Flushes full batches at once; after a batch completes, whatever waited during it (group commit). */
  private schedule(afterCompletion = false): void {
    while (this.inFlight < this.maxConcurrentBatches && (this.queue.length >= this.maxBatchSize || (afterCompletion && this.queue.length > 0))) {
      this.flush();
    }
    if (this.queue.length > 0 && this.timer === null && this.inFlight < this.maxConcurrentBatches) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.inFlight < this.maxConcurrentBatches && this.queue.length > 0) this.flush();
        this.schedule();
      }, this.maxWaitMs);
    }
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatchSize);
    this.inFlight += 1;
    this.ledger
      .postBatch(batch.map((w) => w.command))
      .then(
        (results) => batch.forEach((w, i) => w.resolve(results[i])),
        (error) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.schedule(true);
      });
  }
}
