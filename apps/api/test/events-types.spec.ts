import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

describe('POST /api/events: each event type', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  function send(type: string, data: Record<string, unknown>, options: { id?: string; occurredAt?: Date } = {}) {
    const body = JSON.stringify({ id: options.id ?? unique('evt'), type, occurred_at: (options.occurredAt ?? new Date()).toISOString(), data });
    return request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
  }
  const user = async (id: string) => (await api.dataSource.query(`SELECT * FROM users WHERE id = $1`, [id]))[0];
  const creator = async (id: string) => (await api.dataSource.query(`SELECT * FROM creators WHERE id = $1`, [id]))[0];

  it('creates a user on user.created and updates it on user.updated, keeping fields the update leaves out', async () => {
    const userId = unique('u');
    const created = await send('user.created', { user_id: userId, country: 'FR', email: 'Ana@Example.com', birth_year: 1990, device_id: 'dev-1', ip: '203.0.113.9' });
    expect(created.status).toBe(200);
    expect(await user(userId)).toMatchObject({ country: 'FR', email: 'ana@example.com', birth_year: 1990, device_id: 'dev-1', ip: '203.0.113.9', profile_received: true });

    const updated = await send('user.updated', { user_id: userId, country: 'DE', birth_year: 1992 });
    expect(updated.status).toBe(200);
    expect(await user(userId)).toMatchObject({ country: 'DE', email: 'ana@example.com', birth_year: 1992, device_id: 'dev-1' });
  });

  it("dates the account from user.created (when the platform opened it), not from when coinops first heard of the user", async () => {
    const opened = new Date(Date.now() - 200 * 86_400_000);
    const known = unique('u');
    expect((await send('user.created', { user_id: known, country: 'US' }, { occurredAt: opened })).status).toBe(200);
    expect(new Date((await user(known)).created_at).toISOString()).toBe(opened.toISOString());
    // a user.updated never moves it
    expect((await send('user.updated', { user_id: known, country: 'CA' }, { occurredAt: new Date(Date.now() - 86_400_000) })).status).toBe(200);
    expect(new Date((await user(known)).created_at).toISOString()).toBe(opened.toISOString());

    // first seen through a gift or recharge (row opened now), announced later with its real opening date
    const late = unique('u');
    await api.dataSource.query(`INSERT INTO users (id) VALUES ($1)`, [late]);
    expect((await send('user.created', { user_id: late, country: 'US' }, { occurredAt: opened })).status).toBe(200);
    expect(new Date((await user(late)).created_at).toISOString()).toBe(opened.toISOString());
  });

  it('ignores a user.updated older than the profile it would overwrite (events may arrive out of order)', async () => {
    const userId = unique('u');
    await send('user.created', { user_id: userId, country: 'FR' }, { occurredAt: new Date(Date.now() - 1_000) });
    await send('user.updated', { user_id: userId, country: 'ES' });
    const late = await send('user.updated', { user_id: userId, country: 'IT' }, { occurredAt: new Date(Date.now() - 60_000) });
    expect(late.status).toBe(200);
    expect((await user(userId)).country).toBe('ES');
  });

  it('creates a creator on creator.created and follows creator.kyc_updated', async () => {
    const creatorId = unique('c');
    const ownerId = unique('u');
    const created = await send('creator.created', { creator_id: creatorId, user_id: ownerId, country: 'US', payout_currency: 'USD', kyc_status: 'pending' });
    expect(created.status).toBe(200);
    const kyc = await send('creator.kyc_updated', { creator_id: creatorId, country: 'US', payout_currency: 'USD', kyc_status: 'verified', tax_form: 'W-9' });
    expect(kyc.status).toBe(200);
    expect(await creator(creatorId)).toMatchObject({ user_id: ownerId, kyc_status: 'verified', tax_form: 'W-9', payout_currency: 'USD', profile_received: true });
  });

  it('hands payout events to the payout flow: a payout for an unknown creator is a 404 and nothing is stored (docs/payouts.md)', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['payout.requested', { payout_id: unique('p'), creator_id: unique('c'), diamonds: 500 }],
      ['payout.canceled', { payout_id: unique('p'), creator_id: unique('c') }],
    ];
    for (const [type, data] of cases) {
      const id = unique('evt');
      const response = await send(type, data, { id });
      expect({ type, status: response.status }).toEqual({ type, status: 404 });
      expect(await api.dataSource.query(`SELECT 1 FROM platform_events WHERE id = $1`, [id])).toEqual([]);
    }
  });

  it('feeds an account.security_changed to the risk features: a recharge right after it is flagged', async () => {
    const userId = unique('u');
    await send('user.created', { user_id: userId, country: 'US', birth_year: 1990 }, { occurredAt: new Date(Date.now() - 90 * 24 * 3600_000) });
    const response = await send('account.security_changed', { user_id: userId, change: 'password', device_id: 'dev-9', ip: '2001:db8::1' });
    expect(response.status).toBe(200);
    const decision = await request(api.http)
      .post('/api/risk/decisions')
      .set('Authorization', `Bearer ${loadConfig().RISK_SERVICE_TOKEN}`)
      .send({ user_id: userId, method: 'card', amount: 999, currency: 'USD', coins: 700, card_fingerprint: unique('fp') });
    expect(decision.status).toBe(200);
    expect(decision.body.reasons.map((r: { rule_key: string }) => r.rule_key)).toContain('recharge_after_security_change');
  });

  it('stores a recharge.succeeded as a recharge for the worker to evaluate, once per recharge id', async () => {
    const userId = unique('u');
    const rechargeId = unique('r');
    const data = { recharge_id: rechargeId, user_id: userId, method: 'app_store', coins: 70, amount: '99', currency: 'USD', package_id: 'coins_70' };
    const first = await send('recharge.succeeded', data);
    expect(first.status).toBe(200);
    const again = await send('recharge.succeeded', data); // another event id, the same recharge
    expect(again.status).toBe(200);
    const rows = await api.dataSource.query(`SELECT provider, method, coins, amount_minor, state FROM recharges WHERE provider_ref = $1`, [rechargeId]);
    expect(rows).toEqual([{ provider: 'platform', method: 'app_store', coins: '70', amount_minor: '99', state: 'received' }]);
    const [{ jobs }] = await api.dataSource.query(`SELECT count(*)::int AS jobs FROM outbox WHERE job_name = 'recharge.received' AND payload->>'recharge_id' = (SELECT id::text FROM recharges WHERE provider_ref = $1)`, [rechargeId]);
    expect(jobs).toBe(1);
  });

  it('refuses a recharge.succeeded the recharges table could not take, storing nothing', async () => {
    const id = unique('evt');
    const response = await send('recharge.succeeded', { recharge_id: 'has spaces in it', user_id: unique('u'), method: 'paypal', coins: 70, amount: 99, currency: 'USD' }, { id });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'data.provider_ref', message: expect.any(String) }]);
    expect(await api.dataSource.query(`SELECT id FROM platform_events WHERE id = $1`, [id])).toEqual([]);
  });

  it('answers a replayed event id with the first answer and acts once', async () => {
    const id = unique('evt');
    const userId = unique('u');
    const occurredAt = new Date();
    const first = await send('user.created', { user_id: userId, country: 'FR' }, { id, occurredAt });
    // Changed behind the event's back: acting again would put FR back.
    await api.dataSource.query(`UPDATE users SET country = 'BE' WHERE id = $1`, [userId]);
    const again = await send('user.created', { user_id: userId, country: 'FR' }, { id, occurredAt });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await user(userId)).country).toBe('BE');
  });

  it('refuses an event id reused with another body with 409, and keeps the first', async () => {
    const id = unique('evt');
    const userId = unique('u');
    expect((await send('user.created', { user_id: userId, country: 'FR' }, { id })).status).toBe(200);
    const reused = await send('user.created', { user_id: userId, country: 'NL' }, { id });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ statusCode: 409, error: 'Conflict', idempotency_key: `event:${id}` });
    expect((await user(userId)).country).toBe('FR');
  });

  it('refuses invalid data with 400 naming each field, and stores nothing', async () => {
    const id = unique('evt');
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['gift.sent', { gift_id: unique('g'), sender_id: 'u1', creator_id: 'c1', coins: 0 }, ['data.coins']],
      ['gift.sent', { gift_id: unique('g'), sender_id: 'u1', creator_id: 'c1', coins: 1.5 }, ['data.coins']],
      ['gift.sent', { gift_id: unique('g'), sender_id: 'u 1', coins: 5, colour: 'red' }, ['data.sender_id', 'data.creator_id', 'data.colour']],
      ['user.created', { user_id: 'u1', country: 'france', birth_year: 1850, ip: 'not-an-ip' }, ['data.country', 'data.birth_year', 'data.ip']],
      ['creator.created', { creator_id: 'c1', country: 'US', payout_currency: 'XXY', kyc_status: 'maybe' }, ['data.payout_currency', 'data.kyc_status']],
      ['recharge.succeeded', { recharge_id: 'r1', user_id: 'u1', method: 'cash', coins: 70, currency: 'USD' }, ['data.method', 'data.amount']],
      ['payout.requested', { payout_id: 'p1', creator_id: 'c1' }, ['data.diamonds']],
      ['account.security_changed', { user_id: 'u1', change: 'haircut' }, ['data.change']],
      // a card number where a reference belongs is refused, never stored (card data only as fingerprint, brand, country, last four)
      ['recharge.succeeded', { recharge_id: 'r1', user_id: 'u1', method: 'card', coins: 70, amount: 99, currency: 'USD', card_fingerprint: '4242 4242 4242 4242' }, ['data.card_fingerprint']],
      ['user.created', { user_id: 'u1', country: 'US', device_id: 'dev-4000056655665556' }, ['data.device_id']],
      ['coins.minted', { user_id: 'u1' }, ['type']],
    ];
    for (const [type, data, fields] of cases) {
      const response = await send(type, data, { id });
      expect({ type, data, status: response.status }).toEqual({ type, data, status: 400 });
      expect({ type, data, fields: response.body.details.map((d: { field: string }) => d.field).sort() }).toEqual({ type, data, fields: [...fields].sort() });
    }
    const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM platform_events WHERE id = $1`, [id]);
    expect(row.n).toBe(0);
  });

  it('refuses a body that is not an event envelope with 400 naming the field', async () => {
    const body = JSON.stringify({ id: 'has spaces', type: 'user.created', occurred_at: 'yesterday', data: [], extra: 1 });
    const response = await request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['data', 'extra', 'id', 'occurred_at']);
  });
});
