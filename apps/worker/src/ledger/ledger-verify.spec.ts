import { loadConfig } from '@coinops/config';
import { Ledger, userCoins } from '@coinops/ledger';
import { redisConnection, SCHEDULED_JOBS } from '@coinops/outbox';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../worker.module';
import { runScheduledVerification } from './ledger-verify';

const job = SCHEDULED_JOBS.ledgerVerify;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

/** What a superuser can do behind the ledger's back: triggers off (replica role) for one committed transaction. */
async function behindTheLedger(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    await manager.query(sql, parameters);
  });
}

describe('the hourly ledger verification job', () => {
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let queue: Queue;
  let events: QueueEvents;
  const userId = unique('u');

  beforeAll(async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    dataSource = worker.get(DataSource);
    const config = loadConfig();
    queue = new Queue(job.queue, { connection: redisConnection(config.REDIS_URL, 'failFast'), prefix: config.QUEUE_PREFIX });
    events = new QueueEvents(job.queue, { connection: redisConnection(config.REDIS_URL, 'worker'), prefix: config.QUEUE_PREFIX });
    await events.waitUntilReady();
    await new Ledger(dataSource).creditRecharge({ rechargeId: unique('r'), userId, coins: 25n, amountMinor: 99n, currency: 'USD', provider: 'stripe' });
  });
  afterAll(async () => {
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await worker?.close();
  });

  /** Runs the job through Redis and the worker's processor, as the scheduler would. */
  async function runJob(jobId: string) {
    const added = await queue.add(job.name, {}, { jobId });
    return added.waitUntilFinished(events, 30_000) as Promise<{ ok: boolean; violations: number; recorded: boolean }>;
  }
  const failedAudits = async () => (await dataSource.query(`SELECT actor_email, entity_id, reason, after FROM audit_events WHERE action = 'ledger.verify_failed' ORDER BY id`)) as Array<Record<string, unknown>>;

  it('is scheduled every hour in Redis when the worker starts', async () => {
    let schedulers: Awaited<ReturnType<Queue['getJobSchedulers']>> = [];
    for (let i = 0; i < 50 && schedulers.length === 0; i++) {
      schedulers = await queue.getJobSchedulers();
      if (schedulers.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(schedulers).toEqual([expect.objectContaining({ key: job.schedulerId, name: job.name, every: job.everyMs })]);
  });

  it('records a clean run without alerting', async () => {
    const result = await runJob(unique('clean'));
    expect(result).toEqual({ ok: true, violations: 0, recorded: true });
    expect(await failedAudits()).toEqual([]);
  });

  it('alerts on a corrupted balance: an audit row by the system actor, logged at error level, recorded once per slot', async () => {
    const code = userCoins(userId).code;
    const slot = unique('corrupt');
    await behindTheLedger(dataSource, `UPDATE ledger_accounts SET posted = posted + 5 WHERE code = $1`, [code]);
    const errors: string[] = [];
    try {
      const result = await runJob(slot);
      expect(result).toMatchObject({ ok: false, recorded: true });
      // Delivered again (a retry, a stalled job): same slot, no second run, no second alert.
      const again = await runScheduledVerification(dataSource, `schedule:${slot}`, { error: (m) => errors.push(m), log: () => undefined });
      expect(again.recorded).toBe(false);
      const other = await runScheduledVerification(dataSource, `schedule:${unique('next')}`, { error: (m) => errors.push(m), log: () => undefined });
      expect(other.report.ok).toBe(false);
    } finally {
      await behindTheLedger(dataSource, `UPDATE ledger_accounts SET posted = posted - 5 WHERE code = $1`, [code]);
    }
    expect(errors).toEqual([expect.stringMatching(/^LEDGER INVARIANT VIOLATED: \d+ violation\(s\) .*balance_equals_postings user:/)]);
    const audits = await failedAudits();
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actor_email: 'system:ledger-verify', reason: expect.stringMatching(/invariant violation/) });
    expect((audits[0].after as { violations: Array<{ subject: string }> }).violations).toEqual(expect.arrayContaining([expect.objectContaining({ subject: code })]));
    const [run] = await dataSource.query(`SELECT ok, violations, source FROM ledger_verify_runs WHERE slot = $1`, [`schedule:${slot}`]);
    expect(run).toMatchObject({ ok: false, source: 'schedule' });
    expect(run.violations).toBeGreaterThan(0);
    expect((await runJob(unique('after'))).ok).toBe(true);
  });
});
