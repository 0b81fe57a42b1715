import { loadConfig } from '@coinops/config';
import { redisConnection, SCHEDULED_JOBS } from '@coinops/outbox';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../worker.module';

const rollup = SCHEDULED_JOBS.reportingRollup;
const reconcile = SCHEDULED_JOBS.reportingReconcile;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

describe('the reporting jobs', () => {
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let queue: Queue;
  let events: QueueEvents;

  beforeAll(async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    dataSource = worker.get(DataSource);
    const config = loadConfig();
    queue = new Queue(rollup.queue, { connection: redisConnection(config.REDIS_URL, 'failFast'), prefix: config.QUEUE_PREFIX });
    events = new QueueEvents(rollup.queue, { connection: redisConnection(config.REDIS_URL, 'worker'), prefix: config.QUEUE_PREFIX });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await worker?.close();
  });

  it('schedules the rollups every minute and the reconciliation every hour when the worker starts', async () => {
    let schedulers: Awaited<ReturnType<Queue['getJobSchedulers']>> = [];
    for (let i = 0; i < 50 && schedulers.length < 2; i++) {
      schedulers = await queue.getJobSchedulers();
      if (schedulers.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(schedulers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: rollup.schedulerId, name: rollup.name, every: rollup.everyMs }),
        expect.objectContaining({ key: reconcile.schedulerId, name: reconcile.name, every: reconcile.everyMs }),
      ]),
    );
  });

  it('brings the rollups up to date: a recharge received now is counted in its hour', async () => {
    const currency = 'QRX';
    await dataSource.query(
      `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, state, decision, occurred_at)
       VALUES ('stripe', $1, 'reporting_job_user', 'paypal', 70, 99, $2, 'credited', 'allow', now())`,
      [unique('ch'), currency],
    );
    const added = await queue.add(rollup.name, {}, { jobId: unique('rollup') });
    // The minute's scheduled run may hold the lock at that moment (ran: false); then the next one counts it.
    const run = await added.waitUntilFinished(events, 30_000);
    if (!run.ran) await (await queue.add(rollup.name, {}, { jobId: unique('rollup') })).waitUntilFinished(events, 30_000);
    const [row] = await dataSource.query(`SELECT sum(recharges)::int AS recharges FROM rollup_recharges_hourly WHERE currency = $1`, [currency]);
    expect(row.recharges).toBe(1);
  });

  it('reconciles yesterday for every provider that sent an event, and stores one report each', async () => {
    const provider = `prov_${randomBytes(4).toString('hex')}`;
    // A charge the provider reported yesterday and the ledger never booked: one difference.
    await dataSource.query(
      `INSERT INTO provider_events (provider, provider_event_id, type, handled, object_id, charge_id, provider_created_at, normalized, processed_at)
       VALUES ($1, $2, 'charge.succeeded', true, 'ch_1', 'ch_1', now() - interval '1 day', $3, now())`,
      [provider, unique('evt'), JSON.stringify({ kind: 'charge_succeeded', chargeId: 'ch_1', recharge: null, problems: ['no coinops metadata'] })],
    );
    const added = await queue.add(reconcile.name, {}, { jobId: unique('reconcile') });
    const result = await added.waitUntilFinished(events, 30_000);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(result).toMatchObject({ day: yesterday, differences: expect.any(Number) });
    const reports = await dataSource.query(`SELECT differences FROM reconciliation_reports WHERE day = $1 AND provider = $2`, [yesterday, provider]);
    expect(reports).toEqual([{ differences: 1 }]);
  });
});
