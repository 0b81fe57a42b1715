import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { Ledger } from '@coinops/ledger';
import { enqueue, JOBS } from '@coinops/outbox';
import { RiskEngine } from '@coinops/risk';
import type { Job } from 'bullmq';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { JobHandler, OutboxJobData } from '../job-handlers';
import { OutboxDispatcher } from '../outbox/outbox-processor';
import { riskHandlers } from './risk.handlers';

describe('gifts.posted: gifts become risk observations', () => {
  let db: DataSource;
  let redis: Redis;
  let risk: RiskEngine;
  let dispatcher: OutboxDispatcher;
  const stamp = Date.now().toString(36);

  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 4 });
    await db.initialize();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    risk = new RiskEngine({ dataSource: db, redis, keyPrefix: process.env.QUEUE_PREFIX!, onError: () => undefined });
    dispatcher = new OutboxDispatcher(db, riskHandlers({ risk, ledger: new Ledger(db) }) as JobHandler[]);
  });
  afterAll(async () => {
    await risk.close();
    redis.disconnect();
    await db.destroy();
  });

  it('observes each gift of a batch once, even when the job is delivered twice', async () => {
    const gifts = [1, 2, 3].map((n) => ({ gift_id: `g_${stamp}_${n}`, sender_id: `payer_${stamp}_${n}`, creator_id: `creator_${stamp}`, coins: '100', occurred_at: new Date().toISOString() }));
    const outboxId = await db.transaction((manager) => enqueue(manager, JOBS.giftsPosted, { gifts }));
    const job = { id: `outbox-${outboxId}`, name: JOBS.giftsPosted.name, queueName: JOBS.giftsPosted.queue, data: { outbox_id: outboxId, payload: { gifts } } } as Job<OutboxJobData>;
    const results = await Promise.all([dispatcher.dispatch(job), dispatcher.dispatch(job)]);
    expect(results.map((r) => r.applied).sort()).toEqual([false, true]);
    const [{ observed }] = await db.query(`SELECT count(*)::int AS observed FROM risk_events WHERE kind = 'gift' AND creator_id = $1`, [`creator_${stamp}`]);
    expect(observed).toBe(3);
    const features = await risk.explainFeatures(
      { kind: 'gift', id: `probe_${stamp}`, userId: `payer_${stamp}_9`, creatorId: `creator_${stamp}`, coins: 1n, occurredAt: new Date() },
      { createdAt: new Date(Date.now() - 86_400_000) },
    );
    // The three observed payers plus the probed gift's own sender.
    expect((features as unknown as { creator: Record<string, string> }).creator).toMatchObject({ distinct_payers_24h: '4', gift_coins_24h: '301' });
  });
});
