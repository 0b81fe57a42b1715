import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

type Task = () => Promise<void>;

interface Pending {
  task: Task;
  /** Transaction depth when queued: a rolled-back savepoint drops what was queued inside it. */
  depth: number;
}

type RunnerWithDepth = QueryRunner & { transactionDepth?: number };

/**
 * Runs Redis side effects (feature mirror, list and rule cache updates) only once the caller's
 * PostgreSQL transaction has committed, so Redis never shows what was rolled back. Without a
 * transaction the task runs at once. A task's failure goes to `onError`, never to the caller,
 * whose data is already safe in PostgreSQL.
 */
export class AfterCommitHooks {
  private readonly pendingKey = Symbol('coinops-risk-after-commit');
  private readonly subscriber: EntitySubscriberInterface;

  constructor(
    private readonly db: DataSource,
    private readonly onError: (error: unknown) => void,
  ) {
    this.subscriber = {
      afterTransactionCommit: async ({ queryRunner }) => {
        if (queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction goes on
        const pending = this.pendingOf(queryRunner).splice(0);
        for (const { task } of pending) await this.runQuietly(task);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        const depth = (queryRunner as RunnerWithDepth).transactionDepth ?? 0;
        const pending = this.pendingOf(queryRunner);
        const kept = queryRunner.isTransactionActive ? pending.filter((p) => p.depth <= depth) : [];
        pending.splice(0, pending.length, ...kept);
      },
    };
    db.subscribers.push(this.subscriber);
  }

  /** Queues `task` after the commit of `manager`'s transaction, or runs it now outside one. */
  async run(manager: EntityManager | undefined, task: Task): Promise<void> {
    const queryRunner = manager?.queryRunner as RunnerWithDepth | undefined;
    if (queryRunner?.isTransactionActive) {
      this.pendingOf(queryRunner).push({ task, depth: queryRunner.transactionDepth ?? 1 });
      return;
    }
    await this.runQuietly(task);
  }

  detach(): void {
    const index = this.db.subscribers.indexOf(this.subscriber);
    if (index >= 0) this.db.subscribers.splice(index, 1);
  }

  private async runQuietly(task: Task): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.onError(error);
    }
  }

  private pendingOf(queryRunner: QueryRunner): Pending[] {
    const data = queryRunner.data as Record<symbol, Pending[] | undefined>;
    return (data[this.pendingKey] ??= []);
  }
}
