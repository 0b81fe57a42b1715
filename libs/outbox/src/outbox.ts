import type { EntityManager } from 'typeorm';
import type { JobDefinition } from './jobs';

/**
 * Inserts an outbox row with the caller's transaction manager: the job exists if and only if the
 * business write that asked for it committed. The relayer publishes it to BullMQ later.
 */
export async function enqueue<P>(manager: EntityManager, job: JobDefinition<P>, payload: P): Promise<string> {
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO outbox (queue, job_name, payload) VALUES ($1, $2, $3) RETURNING id`,
    [job.queue, job.name, JSON.stringify(payload)],
  );
  return String(rows[0].id);
}

/**
 * Runs a job's effect at most once per outbox row: the receipt and the effect commit in one
 * transaction, so a job delivered twice (a retry, a relayer crash after publishing) acts once.
 * Returns false when the row had already been processed.
 */
export async function runOnce(
  manager: EntityManager,
  outboxId: string,
  jobName: string,
  effect: (manager: EntityManager) => Promise<void>,
): Promise<boolean> {
  return manager.transaction(async (tx) => {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO job_receipts (outbox_id, job_name) VALUES ($1, $2) ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`,
      [outboxId, jobName],
    );
    if (inserted.length === 0) return false;
    await effect(tx);
    return true;
  });
}
