import { loadConfig } from '@coinops/config';
import { chargeEvents, readyProviderEvents, SimulatedStripe, type StripeJson } from '@coinops/payments';
import Stripe from 'stripe';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const URL_PATH = '/api/webhooks/stripe';
const PAN = '4000056655665556';

describe('Stripe webhooks', () => {
  let api: TestApi;
  let secret: string;
  let clockSeconds = Math.floor(Date.now() / 1000) - 1_000;
  let sim: SimulatedStripe;
  beforeAll(async () => {
    api = await startApi();
    secret = loadConfig().STRIPE_WEBHOOK_SECRET;
    // Provider time moves one second per object, so `created` orders events as Stripe's would.
    sim = new SimulatedStripe({ secret, seed: `api-${Date.now()}`, nowSeconds: () => (clockSeconds += 1) });
  });
  afterAll(() => api.close());

  const post = (event: StripeJson, signAt = Math.floor(Date.now() / 1000)) => {
    const { body, signature } = sim.sign(event, signAt);
    return request(api.http).post(URL_PATH).set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
  };
  const charge = (extra: Partial<Parameters<SimulatedStripe['charge']>[0]> = {}) =>
    sim.charge({ userId: 'u_100', coins: 1400n, amountMinor: 1999n, currency: 'USD', packageId: 'coins_1400', deviceId: 'dev-1', ip: '198.51.100.4', ...extra });
  const chargeIdOf = (event: StripeJson) => (event.data as { object: { id: string } }).object.id;
  const storedEvents = (eventId: string) => api.dataSource.query(`SELECT * FROM provider_events WHERE provider = 'stripe' AND provider_event_id = $1`, [eventId]);
  const rechargesOf = (chargeId: string) => api.dataSource.query(`SELECT * FROM recharges WHERE provider = 'stripe' AND provider_ref = $1`, [chargeId]);
  const jobsOf = (chargeId: string) => api.dataSource.query(`SELECT * FROM outbox WHERE job_name = 'recharge.received' AND payload->>'provider_ref' = $1`, [chargeId]);

  it('stores a signed charge.succeeded as a normalized recharge with its evaluation job', async () => {
    const event = charge({ card: { fingerprint: 'fpPay0001', brand: 'mastercard', country: 'NG', last4: '5556', wallet: 'google_pay' } });
    const response = await post(event);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, event_id: event.id, outcome: 'stored', recharge_id: expect.any(String) });
    const [recharge] = await rechargesOf(chargeIdOf(event));
    expect(recharge).toMatchObject({
      id: response.body.recharge_id, user_id: 'u_100', method: 'google_pay', coins: '1400', amount_minor: '1999', currency: 'USD', package_id: 'coins_1400',
      card_fingerprint: 'fpPay0001', card_brand: 'mastercard', card_last4: '5556', bin_country: 'NG', wallet: 'google_pay', device_id: 'dev-1', ip: '198.51.100.4',
      state: 'received', source_event_id: event.id,
    });
    const [stored] = await storedEvents(String(event.id));
    expect(stored).toMatchObject({ type: 'charge.succeeded', handled: true, charge_id: chargeIdOf(event), problem: null });
    expect(stored.processed_at).not.toBeNull();
    expect(stored.provider_created_at).toEqual(new Date((event.created as number) * 1000));
    expect(await jobsOf(chargeIdOf(event))).toHaveLength(1);
  });

  it.each([
    ['a signature made with another secret', (body: string) => ({ body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_not_the_right_secret_000' }) }), /does not match/],
    ['a timestamp older than the 300 s tolerance', (body: string) => ({ body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - 301 }) }), /older than 300 s/],
    ['no Stripe-Signature header', (body: string) => ({ body, signature: undefined }), /is missing/],
    ['a body changed after it was signed', (body: string) => ({ body: body.replace('"1400"', '"140000"'), signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) }), /does not match/],
    ['a garbled header', (body: string) => ({ body, signature: 'v1=deadbeef' }), /t=<unix seconds>/],
  ] as const)('answers 400 in the API error shape to %s and stores nothing', async (_label, forge, message) => {
    const event = charge();
    const { body, signature } = forge(JSON.stringify(event, null, 2));
    const call = request(api.http).post(URL_PATH).set('Content-Type', 'application/json');
    const response = await (signature ? call.set('Stripe-Signature', signature) : call).send(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message), details: [{ field: 'Stripe-Signature', message: expect.stringMatching(message) }] });
    expect(await storedEvents(String(event.id))).toHaveLength(0);
    expect(await rechargesOf(chargeIdOf(event))).toHaveLength(0);
  });

  it('answers 400 to a body that is not JSON, and to a signed body sent as another content type', async () => {
    const broken = await request(api.http).post(URL_PATH).set('Content-Type', 'application/json').set('Stripe-Signature', 't=1,v1=00').send('{"id":');
    expect(broken.status).toBe(400);
    const event = charge();
    const { body, signature } = sim.sign(event, Math.floor(Date.now() / 1000));
    const text = await request(api.http).post(URL_PATH).set('Content-Type', 'text/plain').set('Stripe-Signature', signature).send(body);
    expect(text.status).toBe(400);
    expect(await storedEvents(String(event.id))).toHaveLength(0);
  });

  it('stores a replayed event once and answers 200 both times', async () => {
    const event = charge();
    expect((await post(event)).body.outcome).toBe('stored');
    const replay = await post(event);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, event_id: event.id, outcome: 'duplicate' });
    expect(await storedEvents(String(event.id))).toHaveLength(1);
    expect(await rechargesOf(chargeIdOf(event))).toHaveLength(1);
  });

  it('creates exactly one recharge and one job when the same charge.succeeded arrives five times at once', async () => {
    const event = charge();
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(event)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.body.outcome).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'stored']);
    expect(await storedEvents(String(event.id))).toHaveLength(1);
    expect(await rechargesOf(chargeIdOf(event))).toHaveLength(1);
    expect(await jobsOf(chargeIdOf(event))).toHaveLength(1);
  });

  it('stores refunds, disputes, early fraud warnings and payouts normalized, waiting for their flows', async () => {
    const paid = charge();
    await post(paid);
    const chargeId = chargeIdOf(paid);
    const refunded = sim.refund(chargeId, 500n).event;
    const opened = sim.openDispute(chargeId);
    const disputeId = (opened.data as { object: { id: string } }).object.id;
    const events = [refunded, opened, sim.updateDispute(disputeId), sim.closeDispute(disputeId, 'won'), sim.earlyFraudWarning(chargeId),
      sim.payoutSettled({ id: 'po_api_1', amountMinor: 5000n, currency: 'USD', creatorId: 'c_9', method: 'bank', status: 'paid', idempotencyKey: 'payout-api-0001' })];
    for (const event of events) expect((await post(event)).body.outcome).toBe('stored');
    const rows = await api.dataSource.query(
      `SELECT type, charge_id, object_id, normalized, processed_at FROM provider_events WHERE provider_event_id = ANY($1) ORDER BY provider_created_at, id`,
      [events.map((e) => e.id)],
    );
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['charge.refunded', 'charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.closed', 'radar.early_fraud_warning.created', 'payout.paid']);
    expect(rows.every((r: { processed_at: unknown }) => r.processed_at === null)).toBe(true);
    expect(rows[0]).toMatchObject({ charge_id: chargeId, normalized: { kind: 'charge_refunded', amountRefundedMinor: '500', amountMinor: '1999', currency: 'USD', refunded: false } });
    expect(rows[1]).toMatchObject({ charge_id: chargeId, object_id: disputeId, normalized: { kind: 'dispute', phase: 'created', status: 'needs_response', amountMinor: '1499' } });
    expect(rows[2].normalized).toMatchObject({ phase: 'updated', status: 'under_review' });
    expect(rows[3].normalized).toMatchObject({ phase: 'closed', status: 'won' });
    expect(rows[4]).toMatchObject({ charge_id: chargeId, normalized: { kind: 'early_fraud_warning', fraudType: 'made_with_stolen_card' } });
    expect(rows[5]).toMatchObject({ charge_id: null, object_id: 'po_api_1', normalized: { kind: 'payout', status: 'paid', amountMinor: '5000', creatorId: 'c_9', idempotencyKey: 'payout-api-0001' } });
  });

  it('acknowledges an unknown type and records only that it was seen', async () => {
    const event = sim.emit('customer.updated', { id: 'cus_1', object: 'customer', email: 'private@example.com', name: 'Private Person' });
    const response = await post(event);
    expect(response.body).toEqual({ received: true, event_id: event.id, outcome: 'ignored' });
    const [row] = await storedEvents(String(event.id));
    expect(row).toMatchObject({ type: 'customer.updated', handled: false, payload: null, normalized: null, object_id: 'cus_1' });
    expect(row.processed_at).not.toBeNull();
    expect((await post(event)).body.outcome).toBe('duplicate');
  });

  it('keeps a refund that arrives before its charge, and hands it to consumers only once the charge is stored, in provider order', async () => {
    const paid = charge();
    const chargeId = chargeIdOf(paid);
    const refunded = sim.refund(chargeId, 1999n).event;
    expect((await post(refunded)).body.outcome).toBe('stored');
    const readyBefore = await readyProviderEvents(api.dataSource.manager, ['charge.refunded'], 1_000);
    expect(readyBefore.map((e) => e.provider_event_id)).not.toContain(refunded.id);
    expect((await post(paid)).body.outcome).toBe('stored');
    const history = await chargeEvents(api.dataSource.manager, 'stripe', chargeId);
    expect(history.map((e) => e.type)).toEqual(['charge.succeeded', 'charge.refunded']);
    expect(history[1].normalized).toMatchObject({ refunded: true, amountRefundedMinor: '1999' });
    const readyAfter = await readyProviderEvents(api.dataSource.manager, ['charge.refunded'], 1_000);
    expect(readyAfter.map((e) => e.provider_event_id)).toContain(refunded.id);
  });

  it('never stores a card number or CVC that a malicious payload carries', async () => {
    const event = charge({ metadata: { note: `card ${PAN}`, spaced: '4000 0566 5566 5556' } });
    const object = (event.data as { object: Record<string, unknown> }).object;
    const card = (object.payment_method_details as { card: Record<string, unknown> }).card;
    Object.assign(card, { number: PAN, cvc: '8317' });
    object.description = `PAN:${PAN}`;
    object.source = { object: 'card', number: PAN, cvc: '8317', last4: '5556' };
    expect((await post(event)).body.outcome).toBe('stored');
    const [stored] = await api.dataSource.query(`SELECT row_to_json(e)::text AS text FROM provider_events e WHERE provider_event_id = $1`, [event.id]);
    const [recharge] = await api.dataSource.query(`SELECT row_to_json(r)::text AS text FROM recharges r WHERE provider_ref = $1`, [chargeIdOf(event)]);
    for (const text of [stored.text, recharge.text]) {
      expect(text.replace(/[ -]/g, '')).not.toContain(PAN);
      expect(text).not.toContain('8317');
    }
    expect(JSON.parse(stored.text).payload.data.object.payment_method_details.card).toEqual({ fingerprint: expect.any(String), brand: expect.any(String), country: expect.any(String), last4: expect.any(String), wallet: null });
  });

  it('keeps a charge without coinops metadata as unusable, with no recharge, and still answers 200', async () => {
    const event = charge({ metadata: { user_id: '', coins: '' } });
    const response = await post(event);
    expect(response.body).toEqual({ received: true, event_id: event.id, outcome: 'unusable' });
    const [row] = await storedEvents(String(event.id));
    expect(row.problem).toMatch(/metadata\.user_id is missing/);
    expect(await rechargesOf(chargeIdOf(event))).toHaveLength(0);
  });
});
