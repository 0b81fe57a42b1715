import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger, userCoins } from '@coinops/ledger';
import { JOBS, runOnce } from '@coinops/outbox';
import { evaluateRecharge, SeededRandom, SimulatedStripe, type StripeJson } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const CHARGES = 1_000;
const GIFTS = 1_000;
const COPIES = 3;
/** Requests in flight at once: enough for copies of one event to overlap, few enough for 2 shared cores. */
const CONCURRENCY = 24;

/** Runs `tasks` with at most `lanes` at a time, in the order given. */
async function inLanes<T>(tasks: Array<() => Promise<T>>, lanes: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

function shuffled<T>(items: T[], random: SeededRandom): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('duplicate delivery: every message delivered three times, concurrently and out of order, acts once', () => {
  let api: TestApi;
  let sim: SimulatedStripe;
  const config = loadConfig();
  const stamp = randomBytes(4).toString('hex');
  const random = new SeededRandom(`duplicate-delivery-${stamp}`);

  beforeAll(async () => {
    api = await startApi();
    sim = new SimulatedStripe({ secret: config.STRIPE_WEBHOOK_SECRET, seed: `duplicates-${stamp}` });
  });
  afterAll(() => api.close());

  const postWebhook = (event: StripeJson) => {
    const { body, signature } = sim.sign(event);
    return request(api.http).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
  };
  const postEvent = (body: string) => request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(config.EVENTS_SECRET, body)).send(body);

  it(`turns ${CHARGES} charge.succeeded webhooks, each delivered ${COPIES} times, into exactly ${CHARGES} recharges and ${CHARGES} decisions`, async () => {
    // Long-standing users with a card each: the default rules allow most, and any outcome is one effect.
    await api.dataSource.query(
      `INSERT INTO users (id, country, birth_year, profile_received, created_at)
       SELECT 'dup_${stamp}_' || n, 'US', 1985, true, now() - interval '400 days' FROM generate_series(0, $1 - 1) AS n`,
      [CHARGES],
    );
    const events = Array.from({ length: CHARGES }, (_, n) =>
      sim.charge({ userId: `dup_${stamp}_${n}`, coins: 700n, amountMinor: 999n, currency: 'USD', deviceId: `dev_${stamp}_${n}` }),
    );
    const chargeIds = events.map((e) => (e.data as { object: { id: string } }).object.id);
    const deliveries = shuffled(events.flatMap((event) => Array.from({ length: COPIES }, () => event)), random);

    const responses = await inLanes(deliveries.map((event) => () => postWebhook(event)), CONCURRENCY);
    expect(responses.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const outcomes = responses.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.body.outcome]: (acc[r.body.outcome] ?? 0) + 1 }), {});
    expect(outcomes).toEqual({ stored: CHARGES, duplicate: CHARGES * (COPIES - 1) });

    const [stored] = await api.dataSource.query(
      `SELECT count(*)::int AS recharges, count(DISTINCT provider_ref)::int AS refs FROM recharges WHERE provider = 'stripe' AND provider_ref = ANY($1)`,
      [chargeIds],
    );
    expect(stored).toEqual({ recharges: CHARGES, refs: CHARGES });
    const jobs: Array<{ id: string; recharge_id: string }> = await api.dataSource.query(
      `SELECT o.id::text, o.payload->>'recharge_id' AS recharge_id FROM outbox o JOIN recharges r ON r.id::text = o.payload->>'recharge_id'
        WHERE o.job_name = $1 AND r.provider = 'stripe' AND r.provider_ref = ANY($2)`,
      [JOBS.rechargeReceived.name, chargeIds],
    );
    expect(jobs).toHaveLength(CHARGES);

    // The worker's side: each job delivered three times at once and out of order (a BullMQ retry after a
    // stalled lock, a republished outbox row), through the same receipt and evaluation the worker runs.
    const deps = { risk: api.app.get(RiskEngine), ledger: api.app.get(Ledger) };
    const runs = shuffled(jobs.flatMap((job) => Array.from({ length: COPIES }, () => job)), random);
    const applied = await inLanes(
      runs.map((job) => () =>
        runOnce(api.dataSource.manager, job.id, JOBS.rechargeReceived.name, async (manager) => {
          await evaluateRecharge(manager, deps, job.recharge_id, `outbox-${job.id}`);
        }),
      ),
      8,
    );
    expect(applied.filter(Boolean)).toHaveLength(CHARGES);

    const [effects] = await api.dataSource.query(
      `SELECT count(*) FILTER (WHERE r.state <> 'received')::int AS decided,
              count(*) FILTER (WHERE r.state = 'blocked_pending_refund')::int AS blocked,
              (SELECT count(*) FROM risk_decisions d WHERE d.subject_type = 'recharge' AND d.subject_id IN (SELECT id::text FROM recharges WHERE provider_ref = ANY($1)))::int AS decisions,
              (SELECT count(*) FROM ledger_transactions t WHERE t.reference_type = 'recharge' AND t.phase IN ('single', 'pending')
                  AND t.reference_id IN (SELECT id::text FROM recharges WHERE provider_ref = ANY($1)))::int AS entries,
              (SELECT count(*) FROM job_receipts j WHERE j.outbox_id = ANY($2::bigint[]))::int AS receipts
         FROM recharges r WHERE r.provider = 'stripe' AND r.provider_ref = ANY($1)`,
      [chargeIds, jobs.map((j) => j.id)],
    );
    expect(effects).toEqual({ decided: CHARGES, blocked: effects.blocked, decisions: CHARGES, entries: CHARGES - effects.blocked, receipts: CHARGES });
  }, 300_000);

  it(`posts ${GIFTS} gift.sent events, each delivered ${COPIES} times, as exactly ${GIFTS} gifts and ${GIFTS} ledger transactions`, async () => {
    const ledger = api.app.get(Ledger);
    const senders = Array.from({ length: 20 }, (_, n) => `dup_sender_${stamp}_${n}`);
    for (const userId of senders) {
      await ledger.creditRecharge({ rechargeId: `dup_fund_${stamp}_${userId}`, userId, coins: 10_000n, amountMinor: 9_999n, currency: 'USD', provider: 'stripe' });
    }
    // A replay is the same bytes (the signature is made again per delivery, as a real sender does).
    const occurredAt = new Date().toISOString();
    const bodies = Array.from({ length: GIFTS }, (_, n) =>
      JSON.stringify({
        id: `evt_dup_${stamp}_${n}`,
        type: 'gift.sent',
        occurred_at: occurredAt,
        data: { gift_id: `gift_dup_${stamp}_${n}`, sender_id: senders[n % senders.length], creator_id: `dup_creator_${stamp}_${n % 7}`, coins: String(1 + (n % 50)) },
      }),
    );
    const giftIds = bodies.map((_, n) => `gift_dup_${stamp}_${n}`);
    const deliveries = shuffled(bodies.flatMap((body) => Array.from({ length: COPIES }, () => body)), random);

    const responses = await inLanes(deliveries.map((body) => () => postEvent(body)), CONCURRENCY);
    expect(responses.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);

    const [counts] = await api.dataSource.query(
      `SELECT (SELECT count(*) FROM gifts WHERE id = ANY($1))::int AS gifts,
              (SELECT count(*) FROM ledger_transactions WHERE reference_type = 'gift' AND reference_id = ANY($1))::int AS entries,
              (SELECT count(*) FROM platform_events WHERE id = ANY($2))::int AS events`,
      [giftIds, bodies.map((_, n) => `evt_dup_${stamp}_${n}`)],
    );
    expect(counts).toEqual({ gifts: GIFTS, entries: GIFTS, events: GIFTS });
    // Each sender paid for its gifts once: 10,000 coins less the sum of its gifts' coins, not three times that.
    for (const [index, userId] of senders.entries()) {
      const spent = giftIds.reduce((sum, _, n) => (n % senders.length === index ? sum + BigInt(1 + (n % 50)) : sum), 0n);
      expect((await ledger.balance(userCoins(userId))).posted).toBe(10_000n - spent);
    }
  }, 120_000);
});
