import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { luhnValid, SimulatedStripe, type StripeJson } from '@coinops/payments';
import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const config = loadConfig();
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

/** A random Luhn-valid 16-digit number, so a match anywhere in the database can only come from this spec. */
function randomPan(): string {
  const body = `4${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;
  for (let check = 0; check < 10; check++) if (luhnValid(`${body}${check}`)) return `${body}${check}`;
  throw new Error('unreachable');
}

describe('privacy: card numbers, masking for viewers, the data export', () => {
  let api: TestApi;
  let sim: SimulatedStripe;
  const userId = unique('u');
  const creatorId = unique('c');
  const email = `private.${randomBytes(3).toString('hex')}@example.org`;
  const ip = `203.0.113.${randomInt(2, 250)}`;
  const pan = randomPan();
  let chargeEvent: StripeJson;

  const postEvent = (type: string, data: object) => {
    const body = JSON.stringify({ id: unique('evt'), type, occurred_at: new Date().toISOString(), data });
    return request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(config.EVENTS_SECRET, body)).send(body);
  };
  const postWebhook = (event: StripeJson) => {
    const { body, signature } = sim.sign(event, Math.floor(Date.now() / 1000));
    return request(api.http).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
  };
  const as = async (who: 'admin' | 'viewer' | 'finance' | 'support', path: string) => request(api.http).get(path).set('Authorization', `Bearer ${await api.token(who)}`);

  beforeAll(async () => {
    api = await startApi();
    sim = new SimulatedStripe({ secret: config.STRIPE_WEBHOOK_SECRET, seed: unique('privacy') });
    expect((await postEvent('user.created', { user_id: userId, country: 'FR', email, ip, device_id: unique('dev') })).status).toBe(200);
    expect((await postEvent('creator.created', { creator_id: creatorId, user_id: userId, country: 'FR', payout_currency: 'EUR', kyc_status: 'verified' })).status).toBe(200);
    chargeEvent = sim.charge({ userId, coins: 1400n, amountMinor: 1999n, currency: 'USD', packageId: 'coins_1400', deviceId: 'dev-privacy', ip, metadata: { note: `card ${pan}`, dotted: pan.replace(/(\d{4})(?=\d)/g, '$1 ') } });
    const object = (chargeEvent.data as { object: Record<string, unknown> }).object;
    Object.assign((object.payment_method_details as { card: Record<string, unknown> }).card, { number: pan, exp_month: 12, exp_year: 2031 });
    object.description = `charged ${pan.replace(/(\d{4})(?=\d)/g, '$1-')}`;
    object.statement_descriptor = pan;
    object.unknown_vendor_field = { deep: [{ pan: pan, raw: `track2=${pan}=2512` }], as_number: Number(pan) };
    expect((await postWebhook(chargeEvent)).status).toBe(200);
    const other = sim.emit('customer.updated', { id: unique('cus'), object: 'customer', description: `pan ${pan}`, email });
    expect((await postWebhook(other)).status).toBe(200);
  });
  afterAll(() => api.close());

  it('stores no full card number anywhere, whichever field of the webhook carried it', async () => {
    const tables: Array<{ name: string }> = await api.dataSource.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    const holding: string[] = [];
    for (const { name } of tables) {
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM "${name}" t WHERE regexp_replace(t::text, '[^0-9]', '', 'g') LIKE $1`, [`%${pan}%`]);
      if (n > 0) holding.push(name);
    }
    expect(holding).toEqual([]);
    // The scan finds digits it should: the user's IP, stored as sent.
    const [{ n: control }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM users t WHERE regexp_replace(t::text, '[^0-9]', '', 'g') LIKE $1`, [`%${ip.replace(/\D/g, '')}%`]);
    expect(control).toBe(1);
    // The test can fail: the recharge is there, with the card kept as fingerprint, brand, country and last four.
    const [recharge] = await api.dataSource.query(`SELECT * FROM recharges WHERE user_id = $1`, [userId]);
    expect(recharge).toBeDefined();
    const [stored] = await api.dataSource.query(`SELECT payload FROM provider_events WHERE provider_event_id = $1`, [chargeEvent.id]);
    expect(Object.keys(stored.payload.data.object.payment_method_details.card).sort()).toEqual(['brand', 'country', 'fingerprint', 'last4', 'wallet'].filter((k) => k in stored.payload.data.object.payment_method_details.card).sort());
    expect(stored.payload.data.object.payment_method_details.card).not.toHaveProperty('number');
  });

  describe('the viewer role sees emails and IPs masked', () => {
    it('masks the user profile, lists and linked views for a viewer, and not for other roles', async () => {
      const admin = await as('admin', `/api/users/${userId}`);
      expect(admin.body).toMatchObject({ email, ip });
      const viewer = await as('viewer', `/api/users/${userId}`);
      expect(viewer.status).toBe(200);
      expect(viewer.body.email).toMatch(/^p\*\*\*@e\*\*\*\.org$/);
      expect(viewer.body.ip).toBe('203.0.x.x');
      for (const path of [`/api/users/${userId}`, `/api/users?filter=${encodeURIComponent(JSON.stringify({ q: userId }))}`, `/api/users/${userId}/graph`, `/api/users/${userId}/evidence`, `/api/recharges?filter=${encodeURIComponent(JSON.stringify({ user_id: userId }))}`]) {
        const response = await as('viewer', path);
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
        const text = JSON.stringify(response.body);
        expect({ path, email: text.includes(email), ip: text.includes(ip) }).toEqual({ path, email: false, ip: false });
      }
      const support = await as('support', `/api/users/${userId}`);
      expect(support.body).toMatchObject({ email, ip });
    });

    it('shows a viewer who acted in the audit trail, but masks addresses inside what changed', async () => {
      const created = await request(api.http).post('/api/operators').set('Authorization', `Bearer ${await api.token('admin')}`).send({ email: `audited.${randomBytes(3).toString('hex')}@example.net`, name: 'Audited', role: 'viewer', password: 'audited-passphrase-long' });
      expect(created.status).toBe(201);
      const response = await as('viewer', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ action: 'operator.created', entity_id: created.body.id }))}`);
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(1);
      expect(response.body[0].actor_email).toBe('admin@coinops.dev');
      expect(response.body[0].after.email).toMatch(/^a\*\*\*@e\*\*\*\.net$/);
      expect(JSON.stringify(response.body)).not.toContain(created.body.email);
    });

    it('refuses a viewer a filter by email or IP, which would confirm an address', async () => {
      for (const filter of [{ email }, { ip }]) {
        const response = await as('viewer', `/api/users?filter=${encodeURIComponent(JSON.stringify(filter))}`);
        expect(response.status).toBe(403);
      }
      expect((await as('support', `/api/users?filter=${encodeURIComponent(JSON.stringify({ email }))}`)).status).toBe(200);
    });

    it('leaves the viewer their own account unmasked', async () => {
      expect((await as('viewer', '/api/auth/me')).body.email).toBe('viewer@coinops.dev');
    });
  });

  describe('the data export of one user', () => {
    it('gives an admin everything stored about the user as a JSON attachment, and audits it', async () => {
      const response = await as('admin', `/api/users/${userId}/export`);
      expect(response.status).toBe(200);
      expect(response.headers['content-disposition']).toBe(`attachment; filename="user-${userId}-export.json"`);
      expect(response.headers['cache-control']).toBe('no-store');
      const { sources } = response.body;
      expect(response.body).toMatchObject({ user_id: userId, exported_by: 'admin@coinops.dev', truncated: [] });
      expect(sources.users).toEqual([expect.objectContaining({ id: userId, email, ip })]);
      expect(sources.recharges).toHaveLength(1);
      expect(sources.provider_events).toHaveLength(1);
      expect(sources.platform_events.map((e: { type: string }) => e.type)).toContain('user.created');
      expect(sources.creators).toEqual([expect.objectContaining({ id: creatorId, user_id: userId })]);
      expect(Array.isArray(sources.gifts_as_creator)).toBe(true);
      for (const name of ['risk_events', 'review_items', 'gifts', 'ledger_accounts', 'ledger_postings', 'audit_events']) expect(Array.isArray(sources[name])).toBe(true);
      expect(JSON.stringify(response.body)).not.toMatch(/password_hash|totp_secret/);
      const [audit] = await api.dataSource.query(`SELECT actor_email, after FROM audit_events WHERE action = 'user.data_exported' AND entity_id = $1`, [userId]);
      expect(audit.actor_email).toBe('admin@coinops.dev');
      expect(audit.after.rows.recharges).toBe(1);
      const again = await as('admin', `/api/users/${userId}/export`);
      expect(again.body.sources.audit_events.map((a: { action: string }) => a.action)).toContain('user.data_exported');
    });

    it('is for admins only, and answers 404 for a user nobody named', async () => {
      for (const who of ['finance', 'support', 'viewer'] as const) expect((await as(who, `/api/users/${userId}/export`)).status).toBe(403);
      expect((await as('admin', `/api/users/${unique('nobody')}/export`)).status).toBe(404);
    });
  });
});
