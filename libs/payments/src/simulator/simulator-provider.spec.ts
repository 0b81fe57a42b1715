import Stripe from 'stripe';
import { ProviderIdempotencyConflict, ProviderRejected, ProviderUnavailable } from '../provider/errors';
import { SimulatedStripe } from './simulated-stripe';
import { SimulatorProvider, type SimulatorProviderOptions } from './simulator-provider';

const SECRET = 'whsec_simulator_provider_test_00';

function simulator(options: Partial<SimulatorProviderOptions> = {}) {
  const stripe = new SimulatedStripe({ secret: SECRET, seed: options.seed ?? 'provider' });
  const provider = new SimulatorProvider(stripe, { webhookSecret: SECRET, seed: 'provider', callLatencyMs: { min: 0, max: 0 }, refundFailureShare: 0, payoutFailureShare: 0, payoutBounceShare: 0, ...options });
  return { stripe, provider };
}

function chargeId(stripe: SimulatedStripe, amountMinor = 1999n): string {
  const event = stripe.charge({ userId: 'u_1', coins: 1400n, amountMinor, currency: 'USD' });
  return (event.data as { object: { id: string } }).object.id;
}

const outcomes = async (provider: SimulatorProvider, calls: number) => {
  const results: boolean[] = [];
  for (let n = 0; n < calls; n++) {
    const ok = await provider.payout({ creatorId: 'c_1', amountMinor: 100n, currency: 'USD', method: 'bank', idempotencyKey: `payout-${n}-0000` }).then(() => true, (e) => (e instanceof ProviderUnavailable ? false : Promise.reject(e)));
    results.push(ok);
  }
  return results;
};

describe('simulator provider', () => {
  it('fails about the configured share of calls, the same calls for the same seed', async () => {
    const first = await outcomes(simulator({ payoutFailureShare: 0.2, seed: 'share' }).provider, 1_000);
    const again = await outcomes(simulator({ payoutFailureShare: 0.2, seed: 'share' }).provider, 1_000);
    const failed = first.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThanOrEqual(150);
    expect(failed).toBeLessThanOrEqual(250);
    expect(again).toEqual(first);
  });

  it('refunds once per idempotency key, answers a retry with the first result, and refuses the key with other parameters', async () => {
    const { stripe, provider } = simulator();
    const charge = chargeId(stripe);
    const request = { chargeId: charge, amountMinor: 500n, currency: 'USD', idempotencyKey: 'refund-r1-0001', reason: 'customer asked' };
    const first = await provider.refundCharge(request);
    expect(first).toEqual({ refundId: expect.stringMatching(/^re_/), status: 'pending' });
    await expect(provider.refundCharge(request)).resolves.toEqual(first);
    await expect(provider.refundCharge({ ...request, amountMinor: 600n })).rejects.toBeInstanceOf(ProviderIdempotencyConflict);
    await expect(provider.fetchCharge(charge)).resolves.toMatchObject({ amountRefundedMinor: 500n, refunded: false });
    // The charge.succeeded, then exactly one charge.refunded confirming it, signed the Stripe way.
    const events = stripe.takeEmitted();
    expect(events.map((e) => e.type)).toEqual(['charge.succeeded', 'charge.refunded']);
    const { body, signature } = stripe.sign(events[1]);
    const verified = Stripe.webhooks.constructEvent(body, signature, SECRET) as unknown as { data: { object: { amount_refunded: number } }; request: { idempotency_key: string } };
    expect(verified.data.object.amount_refunded).toBe(500);
    expect(verified.request.idempotency_key).toBe('refund-r1-0001');
    expect(provider.verifyWebhook(Buffer.from(body), { 'stripe-signature': signature })).toMatchObject({ type: 'charge.refunded', chargeId: charge });
  });

  it('refuses a refund above the refundable rest, of an unknown charge, or in another currency, as final', async () => {
    const { stripe, provider } = simulator();
    const charge = chargeId(stripe, 1000n);
    const base = { chargeId: charge, currency: 'USD', reason: 'r' };
    await provider.refundCharge({ ...base, amountMinor: 800n, idempotencyKey: 'refund-a-0001' });
    await expect(provider.refundCharge({ ...base, amountMinor: 201n, idempotencyKey: 'refund-b-0001' })).rejects.toBeInstanceOf(ProviderRejected);
    await expect(provider.refundCharge({ ...base, chargeId: 'ch_missing', amountMinor: 1n, idempotencyKey: 'refund-c-0001' })).rejects.toThrow(/no such charge/);
    await expect(provider.refundCharge({ ...base, currency: 'EUR', amountMinor: 1n, idempotencyKey: 'refund-d-0001' })).rejects.toThrow(/not in EUR/);
  });

  it('lets a transient failure be retried with the same key and refunds exactly once', async () => {
    const { stripe, provider } = simulator({ refundFailureShare: 0.5, seed: 'retry' });
    const charge = chargeId(stripe);
    const request = { chargeId: charge, amountMinor: 300n, currency: 'USD', idempotencyKey: 'refund-retry-0001', reason: 'r' };
    let attempts = 0;
    let result;
    while (!result && attempts < 20) {
      attempts += 1;
      result = await provider.refundCharge(request).catch((error) => {
        expect(error).toBeInstanceOf(ProviderUnavailable);
        return undefined;
      });
    }
    for (let n = 0; n < 5; n++) await provider.refundCharge(request).catch(() => undefined);
    expect(result?.refundId).toMatch(/^re_/);
    await expect(provider.fetchCharge(charge)).resolves.toMatchObject({ amountRefundedMinor: 300n });
    expect(stripe.takeEmitted().filter((e) => e.type === 'charge.refunded')).toHaveLength(1);
  });

  it('refuses a second concurrent call with the same key like Stripe does, retryable', async () => {
    const { provider } = simulator({ callLatencyMs: { min: 30, max: 30 } });
    const request = { creatorId: 'c_1', amountMinor: 100n, currency: 'USD', method: 'bank', idempotencyKey: 'payout-concurrent-1' };
    const [first, second] = await Promise.allSettled([provider.payout(request), provider.payout(request)]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(ProviderUnavailable) });
  });

  it('answers after the configured latency and confirms payouts by payout.paid or payout.failed', async () => {
    const { stripe, provider } = simulator({ callLatencyMs: { min: 40, max: 60 }, payoutBounceShare: 0.5, seed: 'payouts' });
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => provider.payout({ creatorId: `c_${n}`, amountMinor: 2500n, currency: 'EUR', method: 'bank', idempotencyKey: `payout-${n}-latency` })),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(38);
    expect(results.every((r) => r.status === 'pending' && r.payoutId.startsWith('po_'))).toBe(true);
    const types = stripe.takeEmitted().map((e) => e.type);
    expect(types).toHaveLength(20);
    expect(types).toEqual(expect.arrayContaining(['payout.paid', 'payout.failed']));
  });

  it('rejects calls still waiting when stopped, leaving no timer behind', async () => {
    const { provider } = simulator({ callLatencyMs: { min: 60_000, max: 60_000 } });
    const pending = provider.payout({ creatorId: 'c_1', amountMinor: 100n, currency: 'USD', method: 'bank', idempotencyKey: 'payout-stop-0001' });
    provider.stop();
    await expect(pending).rejects.toThrow(/stopped/);
    await expect(provider.fetchCharge('ch_x')).rejects.toThrow(/stopped/);
  });
});
