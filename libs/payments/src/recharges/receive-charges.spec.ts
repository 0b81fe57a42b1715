import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { JOBS } from '@coinops/outbox';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ProviderEvent } from '../provider/provider-event';
import { receiveProviderEvent } from '../provider-events/receive-event';
import { receiveChargesSucceeded, WebhookIntake } from './receive-charges';

describe('the batched webhook intake stores what receiveProviderEvent stores', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 8 });
    await db.initialize();
  });
  afterAll(() => db.destroy());

  /** A usable `charge.succeeded`, as the Stripe adapter normalizes it. */
  function charge(chargeId = `ch_${randomUUID().replace(/-/g, '')}`, eventId = `evt_${randomUUID().replace(/-/g, '')}`): ProviderEvent & { normalized: { kind: 'charge_succeeded' } } {
    const occurredAt = new Date('2026-01-01T00:00:00Z');
    return {
      provider: 'stripe',
      id: eventId,
      type: 'charge.succeeded',
      handled: true,
      createdAt: occurredAt,
      objectId: chargeId,
      chargeId,
      payload: { id: eventId, object: 'event', data: { object: { id: chargeId, amount: 1999 } } },
      normalized: {
        kind: 'charge_succeeded',
        chargeId,
        problems: [],
        recharge: {
          provider: 'stripe', providerRef: chargeId, userId: 'u_batch', method: 'card', coins: 1400n, amountMinor: 1999n, currency: 'USD',
          cardFingerprint: 'fpBatch', cardBrand: 'visa', cardLast4: '4242', binCountry: 'US', wallet: null, deviceId: 'dev-b', ip: '203.0.113.9', occurredAt, sourceEventId: eventId,
        },
      },
    };
  }

  const stored = async (chargeId: string) => {
    const [event] = await db.query(
      `SELECT provider, type, handled, object_id, charge_id, provider_created_at, normalized, payload, problem, processed_at IS NOT NULL AS processed FROM provider_events WHERE charge_id = $1`,
      [chargeId],
    );
    const [recharge] = await db.query(
      `SELECT provider, user_id, method, coins, amount_minor, currency, card_fingerprint, card_brand, card_last4, bin_country, wallet, device_id, ip, occurred_at, state FROM recharges WHERE provider_ref = $1`,
      [chargeId],
    );
    const jobs = await db.query(`SELECT o.queue, o.job_name, o.payload - 'recharge_id' AS payload FROM outbox o JOIN recharges r ON o.payload->>'recharge_id' = r.id::text WHERE r.provider_ref = $1`, [chargeId]);
    return { event: { ...event, normalized: { ...event.normalized, chargeId: 'x', recharge: { ...event.normalized.recharge, providerRef: 'x', sourceEventId: 'x' } }, payload: 'x', object_id: 'x', charge_id: 'x' }, recharge, jobs: jobs.map((j: { payload: object }) => ({ ...j, payload: { ...j.payload, provider_ref: 'x' } })) };
  };

  it('writes the same event, recharge and recharge.received job as the one-by-one path', async () => {
    const one = charge();
    const many = charge();
    const single = await receiveProviderEvent(db, one);
    const [batched] = await receiveChargesSucceeded(db, [many as never]);
    expect(single).toMatchObject({ outcome: 'stored', recharge_id: expect.any(String) });
    expect(batched).toMatchObject({ outcome: 'stored', event_id: many.id, recharge_id: expect.any(String) });
    expect(await stored(many.chargeId!)).toEqual(await stored(one.chargeId!));
    expect((await stored(many.chargeId!)).jobs).toEqual([{ queue: JOBS.rechargeReceived.queue, job_name: JOBS.rechargeReceived.name, payload: { provider: 'stripe', provider_ref: 'x' } }]);
  });

  it('stores an event delivered twice in one batch once, and answers the second as a duplicate', async () => {
    const event = charge();
    const other = charge();
    const receipts = await receiveChargesSucceeded(db, [event, other, { ...event }] as never[]);
    expect(receipts.map((r) => r.outcome)).toEqual(['stored', 'stored', 'duplicate']);
    expect(receipts[2]).not.toHaveProperty('recharge_id');
    expect(await db.query(`SELECT count(*)::int AS n FROM recharges WHERE provider_ref = $1`, [event.chargeId])).toEqual([{ n: 1 }]);
    const again = await receiveChargesSucceeded(db, [event as never]);
    expect(again[0].outcome).toBe('duplicate');
  });

  it('answers a new event of a charge stored before with that recharge, adding no second job', async () => {
    const first = charge();
    const [{ recharge_id }] = await receiveChargesSucceeded(db, [first as never]);
    const [second] = await receiveChargesSucceeded(db, [charge(first.chargeId!) as never]);
    expect(second).toMatchObject({ outcome: 'stored', recharge_id });
    expect((await stored(first.chargeId!)).jobs).toHaveLength(1);
  });

  it('gathers concurrent charges, sends other events one by one, and fails only the bad one', async () => {
    const intake = new WebhookIntake(db, { maxWaitMs: 20 });
    const good = [charge(), charge(), charge()];
    const unusable = { ...charge(), normalized: { ...charge().normalized, recharge: null, problems: ['no coinops metadata'] } };
    // An event id the table's CHECK refuses: its batch fails, each event is retried alone, only this one fails.
    const bad = charge(undefined, `evt_bad+${randomUUID()}`);
    const results = await Promise.allSettled([...good, unusable, bad].map((event) => intake.receive(event)));
    expect(results.slice(0, 3).map((r) => r.status === 'fulfilled' && r.value.outcome)).toEqual(['stored', 'stored', 'stored']);
    expect(results[3]).toMatchObject({ status: 'fulfilled', value: { outcome: 'unusable' } });
    expect(results[4]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/provider_event_id/) }) });
    expect(await db.query(`SELECT count(*)::int AS n FROM recharges WHERE provider_ref = ANY($1)`, [good.map((g) => g.chargeId)])).toEqual([{ n: 3 }]);
  });
});
