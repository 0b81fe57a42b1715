import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderIdempotencyConflict, ProviderRejected, ProviderUnavailable } from '../provider/errors';
import { createStripeClient, StripeProvider } from './stripe-provider';

/** A stand-in for api.stripe.com on localhost: records each request, answers what the test queued. */
interface Seen {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: URLSearchParams;
}

describe('Stripe provider calls', () => {
  let server: Server;
  let provider: StripeProvider;
  const seen: Seen[] = [];
  const answers: Array<{ status: number; body: unknown }> = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, path: request.url!, idempotencyKey: request.headers['idempotency-key'] as string | undefined, body: new URLSearchParams(text) });
        const answer = answers.shift() ?? { status: 500, body: { error: { type: 'api_error', message: 'no answer queued' } } };
        response.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': 'req_test' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createStripeClient('sk_test_local', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 1 });
    provider = new StripeProvider({ webhookSecret: 'whsec_unused_here_0000000', client });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    answers.length = 0;
  });

  const refund = { chargeId: 'ch_123', amountMinor: 500n, currency: 'USD', idempotencyKey: 'refund-r1-0001', reason: 'support: customer asked' };

  it('refunds with the caller idempotency key and an exact integer amount', async () => {
    answers.push({ status: 200, body: { id: 're_1', object: 'refund', amount: 500, currency: 'usd', status: 'pending' } });
    await expect(provider.refundCharge(refund)).resolves.toEqual({ refundId: 're_1', status: 'pending' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/refunds', idempotencyKey: 'refund-r1-0001' });
    expect(Object.fromEntries(seen[0].body)).toMatchObject({ charge: 'ch_123', amount: '500', reason: 'requested_by_customer' });
  });

  it('retries a 500 with the same idempotency key, then reports it as retryable', async () => {
    answers.push({ status: 500, body: { error: { type: 'api_error', message: 'boom' } } }, { status: 500, body: { error: { type: 'api_error', message: 'boom' } } });
    const error = await provider.refundCharge(refund).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error.retryable).toBe(true);
    expect(seen.map((s) => s.idempotencyKey)).toEqual(['refund-r1-0001', 'refund-r1-0001']);
  });

  it('reports a refused refund and a reused key as final', async () => {
    answers.push({ status: 400, body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'already refunded' } } });
    const refused = await provider.refundCharge(refund).catch((e) => e);
    expect(refused).toBeInstanceOf(ProviderRejected);
    expect(refused.retryable).toBe(false);
    answers.push({ status: 400, body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters' } } });
    await expect(provider.refundCharge(refund)).rejects.toBeInstanceOf(ProviderIdempotencyConflict);
  });

  it('pays a creator by transfer to the connected account and refuses anything else as a method', async () => {
    answers.push({ status: 200, body: { id: 'tr_1', object: 'transfer', amount: 2500, currency: 'eur', reversed: false } });
    await expect(provider.payout({ creatorId: 'c_1', amountMinor: 2500n, currency: 'EUR', method: 'acct_1ABC', idempotencyKey: 'payout-p1-0001' })).resolves.toEqual({ payoutId: 'tr_1', status: 'pending' });
    expect(seen[0]).toMatchObject({ path: '/v1/transfers', idempotencyKey: 'payout-p1-0001' });
    expect(Object.fromEntries(seen[0].body)).toMatchObject({ amount: '2500', currency: 'eur', destination: 'acct_1ABC', 'metadata[creator_id]': 'c_1' });
    await expect(provider.payout({ creatorId: 'c_1', amountMinor: 2500n, currency: 'EUR', method: 'iban:DE89', idempotencyKey: 'payout-p1-0002' })).rejects.toBeInstanceOf(ProviderRejected);
  });

  it('refuses a call without a usable idempotency key before reaching Stripe', async () => {
    await expect(provider.refundCharge({ ...refund, idempotencyKey: 'x' })).rejects.toThrow(/idempotency key/);
    expect(seen).toHaveLength(0);
  });

  it('reads a charge as its current state', async () => {
    answers.push({
      status: 200,
      body: {
        id: 'ch_9', object: 'charge', status: 'succeeded', amount: 1999, amount_refunded: 500, currency: 'usd', refunded: false, disputed: true, created: 1764288400,
        metadata: { user_id: 'u_1' }, payment_method_details: { type: 'card', card: { fingerprint: 'fp', brand: 'visa', country: 'US', last4: '4242', wallet: { type: 'google_pay' } } },
      },
    });
    await expect(provider.fetchCharge('ch_9')).resolves.toEqual({
      chargeId: 'ch_9', status: 'succeeded', amountMinor: 1999n, amountRefundedMinor: 500n, currency: 'USD', refunded: false, disputed: true,
      createdAt: new Date(1764288400_000), card: { fingerprint: 'fp', brand: 'visa', country: 'US', last4: '4242', wallet: 'google_pay' }, metadata: { user_id: 'u_1' },
    });
  });
});
