import { QUEUES } from '@coinops/outbox';
import { Queue } from 'bullmq';
import type { PrivatePostgres } from './services';
import { sleep } from './services';

export interface Backlog {
  /** Outbox rows not yet published to Redis. */
  unpublished: number;
  /** Outbox rows whose job has not been applied (no receipt): published or not. */
  unapplied: number;
  /** Recharges still waiting for their decision. */
  unevaluated: number;
  /** Stored provider webhooks (refunds, disputes, payouts) not yet handled. */
  unprocessedEvents: number;
  /** Refunds and payouts approved or processing: a provider call or its webhook still to come. */
  moneyInFlight: number;
  /** Webhooks the Stripe simulator still has to deliver (scheduled or being retried); filled in by the suite. */
  webhooksPending: number;
  /** Outbox jobs waiting, delayed (a retry's backoff), active or prioritized, all queues; the schedules' next runs are not counted. */
  queued: number;
  /** BullMQ jobs that exhausted their attempts. */
  failedJobs: number;
  /** Job schedulers (hourly ledger.verify, the SLA escalation) found in Redis. */
  schedules: number;
  /** A few of the queued outbox jobs, `queue:state:id`, to tell what the drain waits for. */
  queuedSample: string[];
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused'] as const;
const SCAN_LIMIT = 2_000;

export async function readBacklog(postgres: PrivatePostgres, database: string, redisUrl: string, queuePrefix: string): Promise<Backlog> {
  const [row] = await postgres.query<{ unpublished: number; unapplied: number; unevaluated: number; unprocessedEvents: number; moneyInFlight: number }>(
    database,
    `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int AS unpublished,
            (SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM job_receipts j WHERE j.outbox_id = o.id))::int AS unapplied,
            (SELECT count(*) FROM recharges WHERE state = 'received')::int AS unevaluated,
            (SELECT count(*) FROM provider_events WHERE processed_at IS NULL)::int AS "unprocessedEvents",
            ((SELECT count(*) FROM refunds WHERE state IN ('approved', 'processing'))
              + (SELECT count(*) FROM payouts WHERE state IN ('approved', 'processing')))::int AS "moneyInFlight"`,
  );
  let queued = 0;
  let failedJobs = 0;
  let schedules = 0;
  const queuedSample: string[] = [];
  const url = new URL(redisUrl);
  for (const name of Object.values(QUEUES)) {
    const queue = new Queue(name, { connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }, prefix: queuePrefix });
    queue.on('error', () => undefined);
    try {
      await queue.waitUntilReady();
      // Only outbox jobs: the schedules' own jobs (ledger.verify, reviews.escalate) come and go on their clock.
      for (const state of QUEUE_STATES) {
        const jobs = (await queue.getJobs([state], 0, SCAN_LIMIT)).filter((job) => job?.id?.startsWith('outbox-'));
        queued += jobs.length;
        for (const job of jobs.slice(0, 5 - queuedSample.length)) queuedSample.push(`${name}:${state}:${job.id}`);
      }
      failedJobs += (await queue.getJobCounts('failed')).failed ?? 0;
      schedules += (await queue.getJobSchedulers(0, 100)).length;
    } finally {
      await queue.close().catch(() => undefined);
    }
  }
  return { ...row, webhooksPending: 0, queued, failedJobs, schedules, queuedSample };
}

export const isDrained = (b: Backlog) =>
  b.unpublished === 0 && b.unapplied === 0 && b.unevaluated === 0 && b.queued === 0 && b.unprocessedEvents === 0 && b.moneyInFlight === 0 && b.webhooksPending === 0;

/** Polls until everything sent has been worked off, or the timeout; returns the last backlog read and how long it took. */
export async function waitForDrain(read: () => Promise<Backlog>, timeoutMs: number): Promise<{ backlog: Backlog; drainMs: number; drained: boolean }> {
  const startedAt = Date.now();
  let backlog: Backlog | undefined;
  while (Date.now() - startedAt < timeoutMs) {
    backlog = await read().catch(() => backlog);
    if (backlog && isDrained(backlog)) return { backlog, drainMs: Date.now() - startedAt, drained: true };
    await sleep(500);
  }
  backlog = await read();
  return { backlog, drainMs: Date.now() - startedAt, drained: isDrained(backlog) };
}
