import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeClient, ProviderIdempotencyConflict, ProviderRejected, StripeProvider, type ProviderEvent } from '@coinops/payments';
import { startStripeSim, type StripeSimServer } from './server';

const SECRET = 'whsec_stripe_sim_spec_0000000000';

/** The API's side of the webhooks: verifies each with the real adapter and keeps what it meant. */
async function startWebhookReceiver(provider: StripeProvider): Promise<{ url: string; events: ProviderEvent[]; close(): Promise<void> }> {
  const events: ProviderEvent[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        events.push(provider.verifyWebhook(Buffer.concat(chunks), request.headers as Record<string, string>));
        response.writeHead(200);
      } catch {
        response.writeHead(400);
      }
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/stripe`,
    events,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the Stripe simulator server with the official stripe client', () => {
  let sim: StripeSimServer;
  let provider: StripeProvider;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const newCharge = async (amount = 1999) =>
    (await post('/sim/charges', { user_id: 'u_spec', coins: 1400, amount, currency: 'USD', package_id: 'coins_1400', device_id: 'dev_1', card: { fingerprint: 'fp_spec', country: 'US' } })).body;

  beforeAll(async () => {
    const verifier = new StripeProvider({ webhookSecret: SECRET });
    receiver = await startWebhookReceiver(verifier);
    sim = await startStripeSim({
      port: 0, webhookUrl: receiver.url, webhookSecret: SECRET, seed: 'spec', refundFailureShare: 0, transferFailureShare: 0, payoutBounceShare: 0,
      callLatencyMs: { min: 0, max: 5 }, confirmDelayMs: { min: 10, max: 50 },
      delivery: { latencyMs: { min: 0, max: 20 }, shuffleWindowMs: 20, duplicateShare: 0, maxAttempts: 3, retryBaseMs: 50, retryMaxMs: 200, maxPending: 1000, requestTimeoutMs: 2000, historyLimit: 100 },
    });
    const client = createStripeClient('sk_test_spec', { host: '127.0.0.1', port: sim.port, protocol: 'http', maxNetworkRetries: 2 });
    provider = new StripeProvider({ webhookSecret: SECRET, client });
  });
  afterAll(async () => {
    await sim?.stop();
    await receiver?.close();
  });

  it('announces a charge made through /sim/charges as a signed charge.succeeded the adapter accepts', async () => {
    const charge = await newCharge();
    const event = await until('charge.succeeded', () => receiver.events.find((e) => e.type === 'charge.succeeded' && e.objectId === charge.id));
    expect(event.normalized).toMatchObject({ kind: 'charge_succeeded', recharge: { userId: 'u_spec', coins: 1400n, amountMinor: 1999n, currency: 'USD', method: 'card', cardFingerprint: 'fp_spec' } });
  });

  it('keeps a charge made in the past at its simulated time', async () => {
    const created = Math.floor(Date.now() / 1000) - 2 * 86_400;
    const { body } = await post('/sim/charges', { user_id: 'u_past', coins: 70, amount: 99, currency: 'USD', created });
    expect(body.created).toBe(created);
    const event = await until('past charge', () => receiver.events.find((e) => e.objectId === body.id));
    expect(event.createdAt.getTime()).toBe(created * 1000);
  });

  it('reads a charge through GET /v1/charges/:id and refuses an unknown one as final', async () => {
    const charge = await newCharge(999);
    await expect(provider.fetchCharge(charge.id)).resolves.toMatchObject({ chargeId: charge.id, amountMinor: 999n, amountRefundedMinor: 0n, currency: 'USD', card: { fingerprint: 'fp_spec' }, metadata: { user_id: 'u_spec' } });
    await expect(provider.fetchCharge('ch_missing')).rejects.toBeInstanceOf(ProviderRejected);
  });

  it('refunds as pending, then confirms with charge.refunded and shows it on the charge', async () => {
    const charge = await newCharge();
    const result = await provider.refundCharge({ chargeId: charge.id, amountMinor: 500n, currency: 'USD', idempotencyKey: 'refund-spec-0001', reason: 'customer asked' });
    expect(result).toMatchObject({ status: 'pending', refundId: expect.stringMatching(/^re_/) });
    const refunded = await until('charge.refunded', () => receiver.events.find((e) => e.type === 'charge.refunded' && e.chargeId === charge.id));
    expect(refunded.normalized).toMatchObject({ kind: 'charge_refunded', amountRefundedMinor: 500n, refunded: false, refundIds: [result.refundId] });
    await expect(provider.fetchCharge(charge.id)).resolves.toMatchObject({ amountRefundedMinor: 500n });
  });

  it('replays a refund for the same key and refuses the key with other parameters or an amount past the rest', async () => {
    const charge = await newCharge();
    const request = { chargeId: charge.id, amountMinor: 1000n, currency: 'USD', idempotencyKey: 'refund-spec-0002', reason: 'customer asked' };
    const first = await provider.refundCharge(request);
    await expect(provider.refundCharge(request)).resolves.toEqual(first);
    await expect(provider.refundCharge({ ...request, amountMinor: 999n })).rejects.toBeInstanceOf(ProviderIdempotencyConflict);
    await expect(provider.refundCharge({ ...request, idempotencyKey: 'refund-spec-0003', amountMinor: 1000n })).rejects.toMatchObject({ retryable: false });
    expect(sim.api.counters.replays).toBeGreaterThanOrEqual(1);
  });

  it.each(['before', 'after'] as const)('retries a 500 (%s acting) with the same key and refunds exactly once', async (mode) => {
    const charge = await newCharge();
    await post('/sim/faults', { count: 1, mode });
    const refundsBefore = sim.api.counters.refunds;
    const result = await provider.refundCharge({ chargeId: charge.id, amountMinor: 1999n, currency: 'USD', idempotencyKey: `refund-spec-fault-${mode}`, reason: 'fraud' });
    expect(result.status).toBe('pending');
    expect(sim.api.counters.refunds - refundsBefore).toBe(1);
    const events = await until('refund confirmed', () => {
      const found = receiver.events.filter((e) => e.type === 'charge.refunded' && e.chargeId === charge.id);
      return found.length ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.events.filter((e) => e.type === 'charge.refunded' && e.chargeId === charge.id)).toHaveLength(events.length);
    await expect(provider.fetchCharge(charge.id)).resolves.toMatchObject({ amountRefundedMinor: 1999n, refunded: true });
  });

  it('pays a creator by transfer and confirms it with payout.paid under the transfer id and key', async () => {
    const result = await provider.payout({ creatorId: 'cr_spec', amountMinor: 2500n, currency: 'EUR', method: 'acct_SPEC1', idempotencyKey: 'payout-spec-0001' });
    expect(result).toEqual({ payoutId: expect.stringMatching(/^tr_/), status: 'pending' });
    const paid = await until('payout.paid', () => receiver.events.find((e) => e.type === 'payout.paid' && e.objectId === result.payoutId));
    expect(paid.normalized).toMatchObject({ kind: 'payout', status: 'paid', amountMinor: 2500n, currency: 'EUR', creatorId: 'cr_spec', idempotencyKey: 'payout-spec-0001' });
  });

  it('opens, updates and closes a dispute, and warns of fraud, each as a signed event', async () => {
    const charge = await newCharge();
    const dispute = (await post('/sim/disputes', { charge: charge.id, reason: 'fraudulent' })).body;
    expect(dispute).toMatchObject({ object: 'dispute', charge: charge.id, status: 'needs_response' });
    await post(`/sim/disputes/${dispute.id}/update`, {});
    await post(`/sim/disputes/${dispute.id}/close`, { outcome: 'lost' });
    await post('/sim/early-fraud-warnings', { charge: charge.id });
    const kinds = await until('dispute events', () => {
      const seen = receiver.events.filter((e) => e.chargeId === charge.id).map((e) => e.type).sort();
      return seen.length >= 5 ? seen : undefined;
    });
    expect(kinds).toEqual(['charge.dispute.closed', 'charge.dispute.created', 'charge.dispute.updated', 'charge.succeeded', 'radar.early_fraud_warning.created']);
    expect((await post('/sim/disputes/dp_missing/close', { outcome: 'won' })).status).toBe(404);
  });

  it('answers unknown routes and a missing API key the way Stripe does', async () => {
    expect((await fetch(`${sim.url}/v1/customers`, { headers: { authorization: 'Bearer sk_test_x' } })).status).toBe(404);
    const unauthenticated = await fetch(`${sim.url}/v1/charges/ch_1`);
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});
