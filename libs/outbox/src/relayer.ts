import { Queue, type ConnectionOptions } from 'bullmq';
import type { DataSource } from 'typeorm';
import { jobIdOf } from './jobs';

export interface RelayerOptions {
  dataSource: DataSource;
  connection: ConnectionOptions;
  queuePrefix: string;
  batchSize: number;
  pollMs: number;
  /** Called after each failed attempt (Redis down); the rows stay and are retried. */
  onError?: (error: unknown) => void;
  onPublished?: (count: number) => void;
  /** A published row with no receipt this long after publishing is looked up in Redis, and published again if Redis lost it. */
  republishAfterMs?: number;
}

const MAX_BACKOFF_MS = 5_000;
const DEFAULT_REPUBLISH_AFTER_MS = 30_000;

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with SKIP LOCKED so several relayers
 * (one per worker process) share the work; each row is published with its outbox id as the job id
 * and marked published in the same transaction that claimed it. If Redis is down the transaction
 * rolls back and the rows wait: a Redis outage delays work and loses none. A crash between the
 * publish and the commit republishes the same job id, which BullMQ ignores while the job is kept
 * (and the processor's receipt makes harmless after that).
 */
export class OutboxRelayer {
  private readonly queues = new Map<string, Queue>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private failures = 0;
  private lastRepublishAt = Date.now();
  /** Rows below this id all had their receipt when last looked at: the lost-job scan starts here. */
  private republishFrom = '0';

  constructor(private readonly options: RelayerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
  }

  /** Publishes one batch; returns how many rows it published. */
  async relayOnce(): Promise<number> {
    const { dataSource, batchSize } = this.options;
    return dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; queue: string; job_name: string; payload: unknown }> = await manager.query(
        `SELECT id, queue, job_name, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      await this.publish(rows);
      await manager.query(`UPDATE outbox SET published_at = now(), publish_attempts = publish_attempts + 1 WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => String(r.id)),
      ]);
      return rows.length;
    });
  }

  /**
   * Publishes again the rows Redis lost: published a while ago, no receipt, and no job under their id in
   * Redis (a Redis restart without persistence, a failover that dropped writes). A job still in Redis —
   * waiting, delayed, active, or failed after its attempts — is left alone. Returns how many it republished.
   */
  async republishLost(): Promise<number> {
    const { dataSource, batchSize } = this.options;
    const olderThanMs = this.options.republishAfterMs ?? DEFAULT_REPUBLISH_AFTER_MS;
    return dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; queue: string; job_name: string; payload: unknown }> = await manager.query(
        `SELECT o.id, o.queue, o.job_name, o.payload FROM outbox o
          WHERE o.id >= $1 AND o.published_at < now() - $2 * interval '1 millisecond'
            AND NOT EXISTS (SELECT 1 FROM job_receipts j WHERE j.outbox_id = o.id)
          ORDER BY o.id LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [this.republishFrom, olderThanMs, batchSize],
      );
      const lost: typeof rows = [];
      for (const row of rows) if (!(await this.queue(row.queue).getJob(jobIdOf(row.id)))) lost.push(row);
      if (lost.length) {
        await this.publish(lost);
        await manager.query(`UPDATE outbox SET publish_attempts = publish_attempts + 1 WHERE id = ANY($1::bigint[])`, [lost.map((r) => String(r.id))]);
      }
      // A full batch may hide more behind it: start after it next time round; otherwise at the oldest row still open.
      this.republishFrom = rows.length >= batchSize ? String(rows[rows.length - 1].id) : rows.length ? String(rows[0].id) : this.republishFrom;
      return lost.length;
    });
  }

  private async publish(rows: Array<{ id: string; queue: string; job_name: string; payload: unknown }>): Promise<void> {
    const byQueue = new Map<string, typeof rows>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    for (const [queueName, queueRows] of byQueue) {
      await this.queue(queueName).addBulk(
        queueRows.map((row) => ({
          name: row.job_name,
          data: { outbox_id: String(row.id), payload: row.payload },
          opts: {
            jobId: jobIdOf(row.id),
            attempts: 10,
            backoff: { type: 'exponential', delay: 1_000 },
            // Kept a week so a republished id is still recognised as a duplicate.
            removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        })),
      );
    }
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.queuePrefix });
      // Errors surface through addBulk's rejection; this keeps ioredis from logging unhandled events.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.relayOnce();
        this.failures = 0;
        const republishAfterMs = this.options.republishAfterMs ?? DEFAULT_REPUBLISH_AFTER_MS;
        if (Date.now() - this.lastRepublishAt >= republishAfterMs / 2) {
          this.lastRepublishAt = Date.now();
          published += await this.republishLost();
        }
        if (published > 0) this.options.onPublished?.(published);
      } catch (error) {
        this.failures += 1;
        this.options.onError?.(error);
      }
      if (published >= this.options.batchSize) continue;
      const delay = this.failures ? Math.min(MAX_BACKOFF_MS, this.options.pollMs * 2 ** this.failures) : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/** Rows not yet published: the backlog a Redis outage leaves behind. */
export async function outboxBacklog(dataSource: DataSource): Promise<number> {
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL`);
  return count;
}
