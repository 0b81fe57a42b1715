import { loadConfig } from '@coinops/config';
import { SimulatedStripe, SimulatorProvider, type StripeJson } from '@coinops/payments';
import type { AddressInfo } from 'node:net';
import { startApi, type TestApi } from './harness';

/** The simulator pointed at a running API, as `docs/payments.md` describes: late, shuffled, duplicated deliveries. */
describe('the simulated Stripe against the running API', () => {
  let api: TestApi;
  let url: string;
  beforeAll(async () => {
    api = await startApi();
    await api.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}/api/webhooks/stripe`;
  });
  afterAll(() => api.close());

  it('ends with every event stored once and one recharge per charge, whatever the delivery order and duplicates', async () => {
    const secret = loadConfig().STRIPE_WEBHOOK_SECRET;
    const stripe = new SimulatedStripe({
      secret,
      seed: `e2e-${Date.now()}`,
      delivery: { url, latencyMs: { min: 5, max: 30 }, shuffleWindowMs: 100, duplicateShare: 0.3, maxAttempts: 3, retryBaseMs: 50 },
    });
    const provider = new SimulatorProvider(stripe, { webhookSecret: secret, seed: 'e2e', callLatencyMs: { min: 1, max: 10 }, refundFailureShare: 0 });
    try {
      const charges: StripeJson[] = [];
      for (let n = 0; n < 20; n++) charges.push(stripe.charge({ userId: `u_sim_${n % 5}`, coins: 350n, amountMinor: 499n, currency: 'EUR', deviceId: `dev-${n % 3}` }));
      const chargeIds = charges.map((event) => (event.data as { object: { id: string } }).object.id);
      // Refunds confirmed by webhook, racing their own charge.succeeded through the shuffle window.
      for (const chargeId of chargeIds.slice(0, 4)) {
        await provider.refundCharge({ chargeId, amountMinor: 499n, currency: 'EUR', idempotencyKey: `refund-${chargeId}`, reason: 'test' });
      }
      await stripe.idle();
      const stats = stripe.stats()!;
      expect(stats).toMatchObject({ sent: 24, gaveUp: 0, failedAttempts: 0, pending: 0 });
      expect(stats.duplicates).toBeGreaterThan(0);

      const events = await api.dataSource.query(`SELECT type, count(*)::int AS n FROM provider_events WHERE charge_id = ANY($1) GROUP BY type ORDER BY type`, [chargeIds]);
      expect(events).toEqual([{ type: 'charge.refunded', n: 4 }, { type: 'charge.succeeded', n: 20 }]);
      const [{ recharges }] = await api.dataSource.query(`SELECT count(*)::int AS recharges FROM recharges WHERE provider = 'stripe' AND provider_ref = ANY($1)`, [chargeIds]);
      expect(recharges).toBe(20);
      const [{ jobs }] = await api.dataSource.query(`SELECT count(*)::int AS jobs FROM outbox WHERE job_name = 'recharge.received' AND payload->>'provider_ref' = ANY($1)`, [chargeIds]);
      expect(jobs).toBe(20);
    } finally {
      provider.stop();
    }
  });
});
