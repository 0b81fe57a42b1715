import { loadConfig } from '@coinops/config';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

/** Block and allow list entries over HTTP, seen through the decisions endpoint. */

const run = `rl${Date.now().toString(36)}`;
const serviceToken = loadConfig().RISK_SERVICE_TOKEN;
const thisYear = new Date().getUTCFullYear();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const recharge = (label: string, overrides: Record<string, unknown> = {}) => ({
  recharge_id: `${run}-${label}-${Math.random().toString(36).slice(2, 8)}`,
  user_id: `${run}-user-${label}`,
  method: 'card',
  amount: '999',
  currency: 'USD',
  coins: 700,
  card_fingerprint: `${run}-card-${label}`,
  bin_country: 'US',
  ip_country: 'US',
  user_country: 'US',
  user_created_at: '2022-01-01T00:00:00Z',
  birth_year: 1988,
  ...overrides,
});

describe('block and allow lists over HTTP', () => {
  let api: TestApi;
  let ts: string;
  const decide = async (body: object) => {
    const response = await request(api.http).post('/api/risk/decisions').set('Authorization', `Bearer ${serviceToken}`).send(body);
    expect(response.status).toBe(200);
    return response.body as { decision: string; reasons: Array<{ rule_key: string }>; allowed_by: unknown };
  };
  const add = (entry: Record<string, unknown>) => request(api.http).post('/api/list-entries').set('Authorization', `Bearer ${ts}`).send(entry);
  const auditActions = async (entityId: string) =>
    (await api.dataSource.query(`SELECT action FROM audit_events WHERE entity = 'list_entry' AND entity_id = $1 ORDER BY id`, [entityId])).map((r: { action: string }) => r.action);

  beforeAll(async () => {
    api = await startApi();
    ts = await api.token('ts');
  });
  afterAll(() => api.close());

  it('blocks a listed card until the entry is removed, and keeps the removed entry as history', async () => {
    expect((await decide(recharge('card'))).decision).toBe('allow');
    const added = await add({ list: 'block', kind: 'card', value: `${run}-card-card`, reason: 'stolen card reported by the issuer' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ list: 'block', kind: 'card', active: true, author: 'ts@coinops.dev', removed_at: null });

    const blocked = await decide(recharge('card'));
    expect(blocked.decision).toBe('block');
    expect(blocked.reasons.map((r) => r.rule_key)).toEqual(['block_list_hit']);

    const removed = await request(api.http).post(`/api/list-entries/${added.body.id}/remove`).set('Authorization', `Bearer ${ts}`).send({ reason: 'issuer says it was a mistake' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ active: false, removed_by: 'ts@coinops.dev', removal_reason: 'issuer says it was a mistake', removed_at: expect.any(String) });
    expect((await decide(recharge('card'))).decision).toBe('allow');

    const again = await request(api.http).post(`/api/list-entries/${added.body.id}/remove`).set('Authorization', `Bearer ${ts}`).send({ reason: 'twice' });
    expect(again.status).toBe(409);

    const history = await request(api.http).get('/api/list-entries').query({ filter: JSON.stringify({ value: `${run}-card-card` }) }).set('Authorization', `Bearer ${ts}`);
    expect(history.body).toEqual([expect.objectContaining({ id: added.body.id, active: false, reason: 'stolen card reported by the issuer' })]);
    expect(await auditActions(added.body.id)).toEqual(['list_entry.created', 'list_entry.removed']);
  });

  it('stops matching when the entry expires', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const added = await add({ list: 'block', kind: 'user', value: `${run}-user-expiring`, reason: 'cooling-off period', expires_at: expiresAt });
    expect(added.status).toBe(201);
    expect((await decide(recharge('expiring'))).decision).toBe('block');
    await sleep(Date.parse(expiresAt) - Date.now() + 50);
    expect((await decide(recharge('expiring'))).decision).toBe('allow');
    const entry = await request(api.http).get(`/api/list-entries/${added.body.id}`).set('Authorization', `Bearer ${ts}`);
    expect(entry.body).toMatchObject({ active: false, removed_at: null, expires_at: expiresAt });

    const past = await add({ list: 'block', kind: 'user', value: `${run}-x`, reason: 'already over', expires_at: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.details).toEqual([{ field: 'expires_at', message: 'must be a date in the future' }]);
  });

  it('lets an allow entry turn a review into an allow, but never a block', async () => {
    const abroad = { bin_country: 'BR', ip_country: 'BR' };
    const before = await decide(recharge('allowed', abroad));
    expect(before.decision).toBe('review');

    const added = await add({ list: 'allow', kind: 'user', value: `${run}-user-allowed`, reason: 'verified expatriate, called support' });
    expect(added.status).toBe(201);
    const allowed = await decide(recharge('allowed', abroad));
    expect(allowed.decision).toBe('allow');
    expect(allowed.reasons.map((r) => r.rule_key)).toEqual(['country_mismatch']);
    expect(allowed.allowed_by).toEqual({ lists: [{ list: 'allow', kind: 'user', value: `${run}-user-allowed` }], rule_keys: [] });

    const minor = await decide(recharge('allowed', { ...abroad, birth_year: thisYear - 16 }));
    expect(minor.decision).toBe('block');
    expect(minor.reasons.map((r) => r.rule_key)).toContain('under_18');
  });

  it('filters entries by list, kind and activity, and refuses bad values', async () => {
    await add({ list: 'block', kind: 'email_domain', value: `@${run}.Example.com`, reason: 'disposable mail domain' });
    const list = await request(api.http)
      .get('/api/list-entries')
      .query({ filter: JSON.stringify({ list: 'block', kind: 'email_domain', active: true, q: run.toLowerCase() }) })
      .set('Authorization', `Bearer ${ts}`);
    expect(list.status).toBe(200);
    expect(list.body.map((e: { value: string }) => e.value)).toEqual([`${run}.example.com`]);
    expect(list.headers['content-range']).toBe('list-entries 0-0/1');

    const bad = await add({ list: 'grey', kind: 'card', value: 'x', reason: 'no such list' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['list']);
    const badIp = await add({ list: 'block', kind: 'ip', value: 'not an ip', reason: 'malformed' });
    expect(badIp.body.details).toEqual([{ field: 'value', message: 'must be an IPv4 or IPv6 address' }]);
  });

  it('lets a viewer read entries but not add or remove them', async () => {
    const viewer = await api.token('viewer');
    expect((await request(api.http).get('/api/list-entries').set('Authorization', `Bearer ${viewer}`)).status).toBe(200);
    expect((await request(api.http).post('/api/list-entries').set('Authorization', `Bearer ${viewer}`).send({ list: 'block', kind: 'card', value: `${run}-v`, reason: 'viewer tries' })).status).toBe(403);
    const [{ id }] = await api.dataSource.query(`SELECT id FROM list_entries WHERE value LIKE $1 LIMIT 1`, [`${run}%`]);
    expect((await request(api.http).post(`/api/list-entries/${id}/remove`).set('Authorization', `Bearer ${viewer}`).send({ reason: 'viewer tries' })).status).toBe(403);
  });
});
