import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NormalizedEvent } from '../provider/provider-event';
import { SimulatedStripe } from '../simulator/simulated-stripe';
import { normalizeStripeEvent } from '../stripe/stripe-event';
import { processProviderEvent, sweepProviderEvents, type ProviderEventHandlers } from './dispatch';
import { receiveProviderEvent } from './receive-event';

describe('handing stored provider events to their flows', () => {
  let db: DataSource;
  let stripe: SimulatedStripe;
  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 4 });
    await db.initialize();
    stripe = new SimulatedStripe({ secret: 'whsec_dispatch_spec_secret', seed: randomUUID() });
  });
  afterAll(() => db.destroy());

  const store = async (event: unknown) => {
    const receipt = await receiveProviderEvent(db, normalizeStripeEvent(event));
    const [row] = await db.query(`SELECT id::text FROM provider_events WHERE provider = 'stripe' AND provider_event_id = $1`, [receipt.event_id]);
    return { receipt, rowId: row.id as string };
  };
  const newCharge = async () => {
    const event = stripe.charge({ userId: `u_${randomUUID().slice(0, 8)}`, coins: 700n, amountMinor: 999n, currency: 'usd' });
    const { receipt } = await store(event);
    return { chargeId: (event.data as { object: { id: string } }).object.id, rechargeId: receipt.recharge_id! };
  };
  const evaluated = (rechargeId: string) => db.query(`UPDATE recharges SET state = 'credited', decision = 'allow', evaluated_at = now() WHERE id = $1`, [rechargeId]);
  const recording = (seen: NormalizedEvent[]): ProviderEventHandlers => ({
    charge_refunded: async (_manager, _event, normalized) => {
      seen.push(normalized);
      return 'done';
    },
  });

  it('enqueues a provider-event.received job in the transaction that stores a refund event', async () => {
    const { chargeId } = await newCharge();
    const { rowId } = await store(stripe.refund(chargeId, 100n).event);
    const jobs = await db.query(`SELECT payload FROM outbox WHERE job_name = 'provider-event.received' AND payload->>'provider_event_row_id' = $1`, [rowId]);
    expect(jobs).toEqual([{ payload: { provider_event_row_id: rowId, provider: 'stripe', type: 'charge.refunded' } }]);
  });

  it('makes an event wait until its recharge has been evaluated, then acts on it once', async () => {
    const { chargeId, rechargeId } = await newCharge();
    const { rowId } = await store(stripe.refund(chargeId, 250n).event);
    const seen: NormalizedEvent[] = [];
    expect(await processProviderEvent(db, rowId, recording(seen))).toBe('wait');
    expect(seen).toHaveLength(0);
    await evaluated(rechargeId);
    expect(await processProviderEvent(db, rowId, recording(seen))).toBe('done');
    expect(await processProviderEvent(db, rowId, recording(seen))).toBe('already_processed');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: 'charge_refunded', chargeId, amountRefundedMinor: 250n, amountMinor: 999n });
  });

  it("keeps a charge's events in the provider's order whatever order they arrived in", async () => {
    const { chargeId, rechargeId } = await newCharge();
    await evaluated(rechargeId);
    const first = stripe.refund(chargeId, 100n).event;
    const second = stripe.refund(chargeId, 200n).event;
    // the later refund arrives first, a second later by the provider's clock
    (second as { created: number }).created = (first as { created: number }).created + 1;
    const later = await store(second);
    const earlier = await store(first);
    const seen: NormalizedEvent[] = [];
    expect(await processProviderEvent(db, later.rowId, recording(seen))).toBe('wait');
    expect(await processProviderEvent(db, earlier.rowId, recording(seen))).toBe('done');
    expect(await processProviderEvent(db, later.rowId, recording(seen))).toBe('done');
    expect(seen.map((e) => (e as { amountRefundedMinor: bigint }).amountRefundedMinor)).toEqual([100n, 300n]);
  });

  it('leaves an event whose handler throws unprocessed for the next sweep, and processes the others', async () => {
    const { chargeId, rechargeId } = await newCharge();
    await evaluated(rechargeId);
    const { rowId } = await store(stripe.refund(chargeId, 999n).event);
    let fail = true;
    const errors: string[] = [];
    const handlers: ProviderEventHandlers = {
      charge_refunded: async (manager, event) => {
        await manager.query(`SELECT 1`);
        if (fail && event.id === rowId) throw new Error('flow failed');
        return 'done';
      },
    };
    const firstSweep = await sweepProviderEvents(db, handlers, 500, (_error, id) => errors.push(id));
    expect(errors).toContain(rowId);
    expect(firstSweep.failed).toBeGreaterThanOrEqual(1);
    expect((await db.query(`SELECT processed_at FROM provider_events WHERE id = $1`, [rowId]))[0].processed_at).toBeNull();
    fail = false;
    await sweepProviderEvents(db, handlers);
    expect((await db.query(`SELECT processed_at FROM provider_events WHERE id = $1`, [rowId]))[0].processed_at).not.toBeNull();
  });

  it('leaves a kind that no flow handles yet stored and unprocessed', async () => {
    const { chargeId, rechargeId } = await newCharge();
    await evaluated(rechargeId);
    const { rowId } = await store(stripe.earlyFraudWarning(chargeId));
    expect(await processProviderEvent(db, rowId, {})).toBe('no_handler');
    expect((await db.query(`SELECT processed_at FROM provider_events WHERE id = $1`, [rowId]))[0].processed_at).toBeNull();
  });
});
