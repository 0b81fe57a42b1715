import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { Ledger, userCoins } from '@coinops/ledger';
import { JOBS } from '@coinops/outbox';
import { recordRecharge } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import type { Job } from 'bullmq';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { JobHandler, OutboxJobData } from '../job-handlers';
import { OutboxDispatcher } from '../outbox/outbox-processor';
import { simulatedProvider } from '../testing/simulated-provider';
import { paymentHandlers } from './payments.handlers';

describe('recharge.received: the risk decision moves the coins', () => {
  let db: DataSource;
  let redis: Redis;
  let risk: RiskEngine;
  let ledger: Ledger;
  let dispatcher: OutboxDispatcher;
  const stamp = Date.now().toString(36);

  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 6 });
    await db.initialize();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    risk = new RiskEngine({ dataSource: db, redis, keyPrefix: process.env.QUEUE_PREFIX!, onError: () => undefined });
    await risk.seedDefaultRules();
    ledger = new Ledger(db);
    dispatcher = new OutboxDispatcher(db, paymentHandlers({ risk, ledger, provider: simulatedProvider().provider }) as JobHandler[]);
  });
  afterAll(async () => {
    await risk.close();
    redis.disconnect();
    await db.destroy();
  });

  async function user(id: string, facts: { birthYear?: number; createdHoursAgo?: number } = {}) {
    await db.query(`INSERT INTO users (id, country, birth_year, profile_received, created_at) VALUES ($1, 'US', $2, true, now() - make_interval(hours => $3))`, [
      id,
      facts.birthYear ?? 1990,
      facts.createdHoursAgo ?? 24 * 90,
    ]);
  }

  async function recharge(userId: string, coins: bigint, amountMinor: bigint) {
    const { rechargeId } = await db.transaction((manager) =>
      recordRecharge(manager, {
        provider: 'stripe', providerRef: `ch_${stamp}_${userId}_${coins}`, userId, method: 'card', coins, amountMinor, currency: 'USD',
        cardFingerprint: `fp_${userId}`, cardBrand: 'visa', binCountry: 'US', occurredAt: new Date(),
      }),
    );
    const [outbox] = await db.query(`SELECT id::text, payload FROM outbox WHERE job_name = $1 AND payload->>'recharge_id' = $2`, [JOBS.rechargeReceived.name, rechargeId]);
    const job = { id: `outbox-${outbox.id}`, name: JOBS.rechargeReceived.name, queueName: JOBS.rechargeReceived.queue, data: { outbox_id: outbox.id, payload: outbox.payload } } as Job<OutboxJobData>;
    return { rechargeId, job };
  }

  const state = async (rechargeId: string) => (await db.query(`SELECT state, decision, ledger_transaction_id FROM recharges WHERE id = $1`, [rechargeId]))[0];

  it('credits an ordinary recharge once, even when the job is delivered twice at the same time', async () => {
    await user(`u_ok_${stamp}`);
    const { rechargeId, job } = await recharge(`u_ok_${stamp}`, 700n, 999n);
    const results = await Promise.all([dispatcher.dispatch(job), dispatcher.dispatch(job)]);
    expect(results.map((r) => r.applied).sort()).toEqual([false, true]);
    expect(await state(rechargeId)).toMatchObject({ state: 'credited', decision: 'allow', ledger_transaction_id: expect.any(String) });
    const balance = await ledger.balance(userCoins(`u_ok_${stamp}`));
    expect(balance.posted).toBe(700n);
    const audit = await db.query(`SELECT action, after FROM audit_events WHERE entity = 'recharge' AND entity_id = $1`, [rechargeId]);
    expect(audit).toEqual([{ action: 'recharge.evaluated', after: expect.objectContaining({ state: 'credited', decision: 'allow' }) }]);
  });

  it('blocks a buyer under 18: no coins, waiting for its refund', async () => {
    await user(`u_minor_${stamp}`, { birthYear: new Date().getUTCFullYear() - 15 });
    const { rechargeId, job } = await recharge(`u_minor_${stamp}`, 700n, 999n);
    await dispatcher.dispatch(job);
    expect(await state(rechargeId)).toMatchObject({ state: 'blocked_pending_refund', decision: 'block', ledger_transaction_id: null });
    expect((await ledger.balance(userCoins(`u_minor_${stamp}`))).posted).toBe(0n);
  });

  it('holds a large first recharge on a new account and opens a review item for it', async () => {
    await user(`u_new_${stamp}`, { createdHoursAgo: 1 });
    const { rechargeId, job } = await recharge(`u_new_${stamp}`, 35_000n, 49_999n);
    await dispatcher.dispatch(job);
    expect(await state(rechargeId)).toMatchObject({ state: 'held', decision: 'review' });
    const balance = await ledger.balance(userCoins(`u_new_${stamp}`));
    expect(balance.posted).toBe(0n);
    expect(balance.pendingCredits).toBe(35_000n);
    const [item] = await db.query(
      `SELECT r.state, r.rule_keys FROM review_items r JOIN review_item_recharges rr ON rr.review_id = r.id WHERE rr.recharge_id = $1`,
      [rechargeId],
    );
    expect(item.state).toBe('open');
    expect(item.rule_keys).toContain('large_first_recharge_new_account');
  });
});
