import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { Ledger, verifyLedger } from '@coinops/ledger';
import { JOBS } from '@coinops/outbox';
import { evaluateRecharge, processProviderEvent, receiveProviderEvent, requestRefund, type StripeJson } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import type { Job } from 'bullmq';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { WorkerDomain } from '../domain/domain.providers';
import type { JobHandler, OutboxJobData } from '../job-handlers';
import { OutboxDispatcher } from '../outbox/outbox-processor';
import { providerEventHandlers } from '../payments/provider-events.handlers';
import { simulatedProvider } from '../testing/simulated-provider';
import { refundHandlers } from './refunds.handlers';

/** `refund.execute` through the worker's dispatcher, and `charge.refunded` through the worker's provider-event map. */
describe('refund.execute and charge.refunded in the worker', () => {
  let db: DataSource;
  let redis: Redis;
  let risk: RiskEngine;
  let ledger: Ledger;
  const stamp = Date.now().toString(36);
  const support = { operatorId: null as string | null, email: 'support@coinops.dev', role: 'support', requestId: null };

  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 6 });
    await db.initialize();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    risk = new RiskEngine({ dataSource: db, redis, keyPrefix: process.env.QUEUE_PREFIX!, onError: () => undefined });
    await risk.seedDefaultRules();
    ledger = new Ledger(db);
    const [operator] = await db.query(`INSERT INTO operators (email, name, password_hash, role) VALUES ($1, 'Support Test', 'x', 'support') RETURNING id`, [`support.${stamp}@coinops.dev`]);
    support.operatorId = operator.id;
  });
  afterAll(async () => {
    await risk.close();
    redis.disconnect();
    await db.destroy();
  });

  function setup(refundFailureShare = 0) {
    const sim = simulatedProvider({ seed: `${stamp}-${Math.random()}`, refundFailureShare });
    const domain: WorkerDomain = { ledger, risk, provider: sim.provider, refunds: { approvalThresholdUsdMinor: 5_000n, maxProviderAttempts: 2 } };
    return { ...sim, domain, dispatcher: new OutboxDispatcher(db, refundHandlers(domain) as JobHandler[]) };
  }

  async function store(provider: ReturnType<typeof setup>['provider'], stripe: ReturnType<typeof setup>['stripe'], event: StripeJson) {
    const { body, signature } = stripe.sign(event);
    return receiveProviderEvent(db, provider.verifyWebhook(Buffer.from(body), { 'stripe-signature': signature }));
  }

  async function creditedRechargeWithRefund(env: ReturnType<typeof setup>) {
    const userId = `u_${stamp}_${Math.random().toString(36).slice(2, 8)}`;
    const charge = env.stripe.charge({ userId, coins: 1400n, amountMinor: 1999n, currency: 'USD' });
    env.stripe.takeEmitted();
    await store(env.provider, env.stripe, charge);
    const [recharge] = await db.query(`SELECT id FROM recharges WHERE provider_ref = $1`, [(charge.data as { object: { id: string } }).object.id]);
    await db.transaction((m) => evaluateRecharge(m, { risk, ledger }, recharge.id));
    const refundId = await db.transaction((m) => requestRefund(m, { ledger, settings: env.domain.refunds! }, support, { rechargeId: recharge.id, reason: 'worker test' }));
    const [outbox] = await db.query(`SELECT id::text, payload FROM outbox WHERE job_name = $1 AND payload->>'refund_id' = $2`, [JOBS.refundExecute.name, refundId]);
    const job = { id: `outbox-${outbox.id}`, name: JOBS.refundExecute.name, queueName: JOBS.refundExecute.queue, data: { outbox_id: outbox.id, payload: outbox.payload } } as Job<OutboxJobData>;
    return { userId, rechargeId: recharge.id as string, refundId, job };
  }

  const refund = async (id: string) => (await db.query(`SELECT state, provider_refund_id, failure_code FROM refunds WHERE id = $1`, [id]))[0];

  it('calls the provider once for a job delivered twice, and the webhook books the reversal', async () => {
    const env = setup();
    const { refundId, rechargeId, job, userId } = await creditedRechargeWithRefund(env);
    const [first, second] = await Promise.all([env.dispatcher.dispatch(job), env.dispatcher.dispatch(job)]);
    expect([first.applied, second.applied].sort()).toEqual([false, true]);
    const emitted = env.stripe.takeEmitted();
    expect(emitted.map((e) => e.type)).toEqual(['charge.refunded']);
    expect(await refund(refundId)).toMatchObject({ state: 'processing', provider_refund_id: expect.stringMatching(/^re_/) });

    const receipt = await store(env.provider, env.stripe, emitted[0]);
    const [row] = await db.query(`SELECT id::text FROM provider_events WHERE provider_event_id = $1`, [receipt.event_id]);
    expect(await processProviderEvent(db, row.id, providerEventHandlers(env.domain))).toBe('done');
    expect(await refund(refundId)).toMatchObject({ state: 'succeeded' });
    const [recharge] = await db.query(`SELECT state FROM recharges WHERE id = $1`, [rechargeId]);
    expect(recharge.state).toBe('refunded');
    expect((await ledger.balance(`user:${userId}:coins`)).posted).toBe(0n);
    expect((await verifyLedger(db)).violations).toEqual([]);
    env.provider.stop();
  });

  it('rolls back and rethrows while the provider is unavailable (BullMQ retries), then fails the refund at the attempt limit', async () => {
    const env = setup(1);
    const { refundId, job } = await creditedRechargeWithRefund(env);
    await expect(env.dispatcher.dispatch(job)).rejects.toThrow(/simulated outage/);
    const [{ receipts }] = await db.query(`SELECT count(*)::int AS receipts FROM job_receipts WHERE outbox_id = $1`, [job.data.outbox_id]);
    expect(receipts).toBe(0);
    expect(await refund(refundId)).toMatchObject({ state: 'processing' });
    expect(await env.dispatcher.dispatch(job)).toEqual({ applied: true });
    expect(await refund(refundId)).toMatchObject({ state: 'failed', failure_code: 'provider_unavailable' });
    const attempts = await db.query(`SELECT outcome FROM refund_attempts WHERE refund_id = $1 ORDER BY id`, [refundId]);
    expect(attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['unavailable', 'unavailable']);
    env.provider.stop();
  });

  it('starts the automatic refund of a recharge a review rejected as soon as the job arrives, once however often it is delivered', async () => {
    const env = setup();
    const userId = `u_${stamp}_rej`;
    const charge = env.stripe.charge({ userId, coins: 700n, amountMinor: 999n, currency: 'USD' });
    env.stripe.takeEmitted();
    await store(env.provider, env.stripe, charge);
    const [recharge] = await db.query(`SELECT id FROM recharges WHERE provider_ref = $1`, [(charge.data as { object: { id: string } }).object.id]);
    // as a rejected review leaves it: nothing booked, waiting for its refund
    await db.query(`UPDATE recharges SET state = 'blocked_pending_refund', decision = 'review', evaluated_at = now() WHERE id = $1`, [recharge.id]);
    const payload = { recharge_id: recharge.id, review_id: '00000000-0000-4000-8000-000000000000', reason: 'review rejected: stolen card' };
    const outboxIds = await db.transaction(async (m) => [
      (await m.query(`INSERT INTO outbox (queue, job_name, payload) VALUES ($1, $2, $3) RETURNING id`, [JOBS.rechargeRejected.queue, JOBS.rechargeRejected.name, JSON.stringify(payload)]))[0].id,
      (await m.query(`INSERT INTO outbox (queue, job_name, payload) VALUES ($1, $2, $3) RETURNING id`, [JOBS.rechargeRejected.queue, JOBS.rechargeRejected.name, JSON.stringify(payload)]))[0].id,
    ]);
    for (const outboxId of outboxIds) {
      await env.dispatcher.dispatch({ id: `outbox-${outboxId}`, name: JOBS.rechargeRejected.name, queueName: JOBS.rechargeRejected.queue, data: { outbox_id: String(outboxId), payload } } as Job<OutboxJobData>);
    }
    const refunds = await db.query(`SELECT kind, state, amount_minor::text, coins::text FROM refunds WHERE recharge_id = $1`, [recharge.id]);
    expect(refunds).toEqual([{ kind: 'auto', state: 'processing', amount_minor: '999', coins: '0' }]);
  });
});
