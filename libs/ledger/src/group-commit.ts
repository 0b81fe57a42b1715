import { TooManyRequests } from '@coinops/contracts';

export interface GroupCommitOptions {
  /** Items per batch. */
  readonly maxBatchSize: number;
  /** How long the first item of a batch waits for company, in milliseconds. */
  readonly maxWaitMs: number;
  /** Batches in flight at once (each usually holds one pooled connection). */
  readonly maxConcurrentBatches: number;
  /** Items waiting beyond this are refused (TooManyRequests) rather than queued without end. */
  readonly maxQueued: number;
  /** The refusal's message when the queue is full. */
  readonly fullMessage: string;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for independent callers: items arriving together go to `run` as one batch, and each
 * caller gets its own output back (the output at its index). Full batches go at once; a partial one
 * after `maxWaitMs`, or as soon as a batch in flight completes. Used by the ledger's batcher and the
 * gift poster.
 */
export class GroupCommit<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: (items: I[]) => Promise<readonly O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves with this item's own output, once its batch has run. */
  submit(item: I): Promise<O> {
    if (this.queue.length >= this.options.maxQueued) return Promise.reject(new TooManyRequests(this.options.fullMessage));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(afterCompletion = false): void {
    const { maxBatchSize, maxConcurrentBatches, maxWaitMs } = this.options;
    while (this.inFlight < maxConcurrentBatches && (this.queue.length >= maxBatchSize || (afterCompletion && this.queue.length > 0))) {
      this.flush();
    }
    if (this.queue.length > 0 && this.timer === null && this.inFlight < maxConcurrentBatches) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.inFlight < maxConcurrentBatches && this.queue.length > 0) this.flush();
        this.schedule();
      }, maxWaitMs);
    }
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.options.maxBatchSize);
    this.inFlight += 1;
    this.run(batch.map((w) => w.item))
      .then(
        (outputs) => batch.forEach((w, i) => w.resolve(outputs[i])),
        (error) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.schedule(true);
      });
  }
}
