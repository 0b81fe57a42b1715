import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { Ledger, userCoins } from '@coinops/ledger';
import { JOBS, type RechargeReceivedPayload } from '@coinops/outbox';
import { recordRecharge } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import type { Job } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { JobHandler, OutboxJobData } from '../job-handlers';
import { OutboxDispatcher } from '../outbox/outbox-processor';
import { simulatedProvider } from '../testing/simulated-provider';
import { paymentHandlers } from './payments.handlers';
import { RechargeBatcher } from './recharge-batcher';

type RechargeJob = Job<OutboxJobData<RechargeReceivedPayload>>;

describe('recharge.received in batches: the same decisions as one by one, each job acting once', () => {
  let db: DataSource;
  let redis: Redis;
  let risk: RiskEngine;
  let ledger: Ledger;
  let dispatcher: OutboxDispatcher;
  let batcher: RechargeBatcher;
  const stamp = Date.now().toString(36);
  let seq = 0;

  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 6 });
    await db.initialize();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    risk = new RiskEngine({ dataSource: db, redis, keyPrefix: `${process.env.QUEUE_PREFIX!}:batcher`, onError: () => undefined });
    await risk.seedDefaultRules();
    ledger = new Ledger(db);
    dispatcher = new OutboxDispatcher(db, paymentHandlers({ risk, ledger, provider: simulatedProvider().provider }) as JobHandler[]);
    batcher = new RechargeBatcher(db, { risk, ledger }, (job) => dispatcher.dispatch(job), { maxWaitMs: 20 });
  });
  afterAll(async () => {
    await risk.close();
    redis.disconnect();
    await db.destroy();
  });

  async function user(label: string, facts: { birthYear?: number; createdHoursAgo?: number } = {}) {
    const id = `u_${label}_${stamp}_${++seq}`;
    await db.query(`INSERT INTO users (id, country, birth_year, profile_received, created_at) VALUES ($1, 'US', $2, true, now() - make_interval(hours => $3))`, [
      id,
      facts.birthYear ?? 1990,
      facts.createdHoursAgo ?? 24 * 90,
    ]);
    return id;
  }

  async function recharge(userId: string, coins: bigint, amountMinor: bigint): Promise<{ rechargeId: string; job: RechargeJob }> {
    const { rechargeId } = await db.transaction((manager) =>
      recordRecharge(manager, {
        provider: 'stripe', providerRef: `ch_${stamp}_${++seq}`, userId, method: 'card', coins, amountMinor, currency: 'USD',
        cardFingerprint: `fp_${userId}`, cardBrand: 'visa', binCountry: 'US', deviceId: `dev_${userId}`, ip: `10.9.${seq % 250}.${seq >> 8}`, occurredAt: new Date(),
      }),
    );
    const [outbox] = await db.query(`SELECT id::text, payload FROM outbox WHERE job_name = $1 AND payload->>'recharge_id' = $2`, [JOBS.rechargeReceived.name, rechargeId]);
    const job = { id: `outbox-${outbox.id}`, name: JOBS.rechargeReceived.name, queueName: JOBS.rechargeReceived.queue, data: { outbox_id: outbox.id, payload: outbox.payload } } as RechargeJob;
    return { rechargeId, job };
  }

  const outcome = async (rechargeId: string) =>
    (
      await db.query(
        `SELECT r.state, r.decision, r.risk_score, d.reasons, (SELECT count(*)::int FROM audit_events a WHERE a.entity = 'recharge' AND a.entity_id = r.id::text) AS audits,
                (SELECT count(*)::int FROM review_item_recharges x WHERE x.recharge_id::text = r.id::text) AS reviews
           FROM recharges r LEFT JOIN risk_decisions d ON d.id::text = r.risk_decision_id::text WHERE r.id = $1`,
        [rechargeId],
      )
    )[0];

  /** An ordinary buyer, a minor, a large first recharge on a new account: allow, block, review. */
  async function mixedRecharges(label: string) {
    return [
      await recharge(await user(`${label}_ok`), 700n, 999n),
      await recharge(await user(`${label}_minor`, { birthYear: new Date().getUTCFullYear() - 15 }), 700n, 999n),
      await recharge(await user(`${label}_new`, { createdHoursAgo: 1 }), 35_000n, 49_999n),
    ];
  }

  it('reaches the same states, decisions, ledger entries, review items and audit rows as the one-by-one path', async () => {
    const single = await mixedRecharges('single');
    for (const { job } of single) await dispatcher.dispatch(job);
    const batched = await mixedRecharges('batched');
    const results = await batcher.run(batched.map((r) => r.job));
    expect(results).toEqual(batched.map(() => ({ ok: true, applied: true })));

    const expected = await Promise.all(single.map((r) => outcome(r.rechargeId)));
    const actual = await Promise.all(batched.map((r) => outcome(r.rechargeId)));
    expect(expected.map((o) => o.state)).toEqual(['credited', 'blocked_pending_refund', 'held']);
    expect(actual).toEqual(expected);
    const [allowed, , held] = await Promise.all(batched.map((r) => db.query(`SELECT user_id FROM recharges WHERE id = $1`, [r.rechargeId]).then((rows) => rows[0].user_id)));
    expect((await ledger.balance(userCoins(allowed))).posted).toBe(700n);
    expect((await ledger.balance(userCoins(held))).pendingCredits).toBe(35_000n);
  });

  it('acts once for a job delivered twice in one batch, and not at all for one applied before', async () => {
    const [done, twice] = await mixedRecharges('dup');
    await dispatcher.dispatch(done.job);
    const results = await batcher.run([twice.job, done.job, twice.job]);
    expect(results).toEqual([
      { ok: true, applied: true },
      { ok: true, applied: false },
      { ok: true, applied: false },
    ]);
    expect(await outcome(twice.rechargeId)).toMatchObject({ state: 'blocked_pending_refund', audits: 1 });
    expect(await outcome(done.rechargeId)).toMatchObject({ state: 'credited', audits: 1 });
  });

  it('fails only the job whose recharge cannot be evaluated; the rest of its batch commits', async () => {
    const [ok, minor] = await mixedRecharges('isolated');
    // A job whose recharge is gone (its outbox row exists, its recharge does not).
    const payload = { ...ok.job.data.payload, recharge_id: randomUUID() };
    const [row] = await db.query(`INSERT INTO outbox (queue, job_name, payload) VALUES ($1, $2, $3) RETURNING id::text`, [JOBS.rechargeReceived.queue, JOBS.rechargeReceived.name, JSON.stringify(payload)]);
    const ghost = { ...ok.job, id: `outbox-${row.id}`, data: { outbox_id: row.id, payload } } as RechargeJob;
    const results = await batcher.run([ok.job, ghost, minor.job]);
    expect(results[0]).toEqual({ ok: true, applied: true });
    expect(results[1]).toMatchObject({ ok: false, error: expect.objectContaining({ message: expect.stringMatching(/does not exist/) }) });
    expect(results[2]).toEqual({ ok: true, applied: true });
    expect(await outcome(ok.rechargeId)).toMatchObject({ state: 'credited', audits: 1 });
    expect(await outcome(minor.rechargeId)).toMatchObject({ state: 'blocked_pending_refund', audits: 1 });
    // The failed job wrote no receipt: BullMQ's retry will find it again.
    expect(await db.query(`SELECT 1 FROM job_receipts WHERE outbox_id = $1`, [row.id])).toEqual([]);
  });

  it('lets a recharge see the one before it of the same user in its features, as one by one', async () => {
    const buyer = await user('twice');
    const first = await recharge(buyer, 700n, 999n);
    const second = await recharge(buyer, 700n, 999n);
    await batcher.run([first.job, second.job]);
    const counts = await db.query(
      `SELECT features->'user'->>'count_10m' AS n FROM risk_decisions WHERE subject_id = ANY($1) ORDER BY features->'user'->>'count_10m'`,
      [[first.rechargeId, second.rechargeId]],
    );
    expect(counts.map((c: { n: string }) => c.n)).toEqual(['1', '2']);
  });

  it('gathers jobs submitted together into one batch and answers each', async () => {
    const recharges = await mixedRecharges('submitted');
    const answers = await Promise.all([...recharges.map((r) => batcher.submit(r.job)), batcher.submit(recharges[0].job)]);
    expect(answers.map((a) => a.applied)).toEqual([true, true, true, false]);
    expect((await outcome(recharges[2].rechargeId)).state).toBe('held');
  });
});
