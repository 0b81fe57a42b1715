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
import { simulatedProvider } from '../testing/simulated-provider';

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
    dispatcher = new OutboxDispatcher(db, riskHandlers({ risk, ledger: new Ledger(db), provider: simulatedProvider().provider }) as JobHandler[]);
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

  it('evaluates the gifts after the fact: a recharge gifted away within minutes is decided review and raises its alert', async () => {
    await risk.seedDefaultRules();
    const sender = `drainer_${stamp}`;
    await risk.observe({ kind: 'recharge', id: `r_${stamp}`, userId: sender, method: 'card', amountMinor: 1999n, currency: 'USD', coins: 1400n, occurredAt: new Date(Date.now() - 60_000) });
    const gifts = [{ gift_id: `g_drain_${stamp}`, sender_id: sender, creator_id: `creator_drain_${stamp}`, coins: '1300', occurred_at: new Date().toISOString() }];
    const outboxId = await db.transaction((manager) => enqueue(manager, JOBS.giftsPosted, { gifts }));
    await dispatcher.dispatch({ id: `outbox-${outboxId}`, name: JOBS.giftsPosted.name, queueName: JOBS.giftsPosted.queue, data: { outbox_id: outboxId, payload: { gifts } } } as Job<OutboxJobData>);
    const [decision] = await db.query(`SELECT decision, features FROM risk_decisions WHERE subject_type = 'gift' AND subject_id = $1`, [`g_drain_${stamp}`]);
    expect(decision.decision).toBe('review');
    const alerts = await db.query(`SELECT rule_key FROM risk_alerts WHERE subject_id = $1`, [`g_drain_${stamp}`]);
    expect(alerts.map((a: { rule_key: string }) => a.rule_key)).toContain('recharge_gifted_away');
  });
});
