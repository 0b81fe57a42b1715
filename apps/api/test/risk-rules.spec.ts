import request from 'supertest';
import { startApi, type TestApi } from './harness';

/**
 * Rules over HTTP: create, validation errors with their position, versions and history, enable and
 * disable, role checks, and an audit row for each write. Rules made here only match events of
 * this spec (`event.ref.startsWith(...)`), so the other specs' decisions never see them.
 */

const run = `rr${Date.now().toString(36)}`;
const scoped = (condition: string) => `event.ref.startsWith("${run}") && ${condition}`;

const draft = (key: string, overrides: Record<string, unknown> = {}) => ({
  key: `${run}_${key}`,
  name: `Spec rule ${key}`,
  expression: scoped('card.count_1h >= 3'),
  action: 'review',
  score: 40,
  severity: 'medium',
  description: 'made by risk-rules.spec',
  ...overrides,
});

describe('rules over HTTP', () => {
  let api: TestApi;
  let ts: string;
  let viewer: string;
  const auditRows = (entityId: string) =>
    api.dataSource.query(`SELECT action, actor_email, before, after, reason FROM audit_events WHERE entity = 'rule' AND entity_id = $1 ORDER BY id`, [entityId]);

  beforeAll(async () => {
    api = await startApi();
    [ts, viewer] = await Promise.all([api.token('ts'), api.token('viewer')]);
  });
  afterAll(() => api.close());

  it('has the default pack on a fresh database', async () => {
    const response = await request(api.http).get('/api/rules').query({ filter: JSON.stringify({ key: 'under_18' }) }).set('Authorization', `Bearer ${viewer}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([expect.objectContaining({ key: 'under_18', action: 'block', enabled: true, live_version: expect.any(Number) })]);
  });

  it('creates a rule as version 1 and audits it with its expression', async () => {
    const response = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('created'));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ key: `${run}_created`, live_version: 1, enabled: true, event_kind: 'recharge', author: 'ts@coinops.dev' });
    expect(await auditRows(response.body.id)).toEqual([
      expect.objectContaining({ action: 'rule.created', actor_email: 'ts@coinops.dev', before: null, after: expect.objectContaining({ version: 1, expression: draft('created').expression }) }),
    ]);

    const again = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('created'));
    expect(again.status).toBe(409);
  });

  it('refuses a broken expression with the problem and its line and column, and saves nothing', async () => {
    const expression = `${scoped('card.count_1h >= 3')} &&\n  card.cnt_10m > 2`;
    const response = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('broken', { expression }));
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'expression', message: expect.stringMatching(/cnt_10m.*\(line 2, column \d+\)$/) }]);
    expect(response.body.position).toEqual({ offset: expect.any(Number), line: 2, column: expect.any(Number) });
    expect(response.body.problem).toMatch(/cnt_10m/);

    const syntax = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('syntax', { expression: 'card.count_1h >= ' }));
    expect(syntax.status).toBe(400);
    expect(syntax.body.details[0]).toMatchObject({ field: 'expression', message: expect.stringMatching(/\(line 1, column \d+\)$/) });

    const notBool = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('number', { expression: 'card.count_1h + 1' }));
    expect(notBool.status).toBe(400);
    expect(notBool.body.details[0].message).toMatch(/must be a condition/);

    const [{ count }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM rules WHERE key LIKE $1`, [`${run}_broken%`]);
    expect(count).toBe(0);
  });

  it('saves each edit as a new live version, keeps the history, and audits before and after', async () => {
    const created = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('versioned'));
    const id = created.body.id;
    const v2 = scoped('card.count_1h >= 4');
    const put = await request(api.http).put(`/api/rules/${id}`).set('Authorization', `Bearer ${ts}`).send({ expression: v2, reason: 'fewer false positives' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, live_version: 2, expression: v2, name: 'Spec rule versioned', action: 'review' });

    const v3 = scoped('card.count_1h >= 5');
    const post = await request(api.http).post(`/api/rules/${run}_versioned/versions`).set('Authorization', `Bearer ${ts}`).send({ expression: v3, score: 55 });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({ live_version: 3, score: 55 });

    const unchanged = await request(api.http).put(`/api/rules/${id}`).set('Authorization', `Bearer ${ts}`).send({ expression: v3 });
    expect(unchanged.body.live_version).toBe(3);

    const history = await request(api.http).get(`/api/rules/${id}/versions`).set('Authorization', `Bearer ${viewer}`);
    expect(history.status).toBe(200);
    expect(history.headers['content-range']).toBe('rule-versions 0-2/3');
    expect(history.body.map((v: { version: number; expression: string }) => [v.version, v.expression])).toEqual([
      [3, v3],
      [2, v2],
      [1, draft('versioned').expression],
    ]);

    const rows = await auditRows(id);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['rule.created', 'rule.versioned', 'rule.versioned']);
    expect(rows[1]).toMatchObject({ reason: 'fewer false positives', before: { version: 1, expression: draft('versioned').expression }, after: { version: 2, expression: v2 } });

    const bad = await request(api.http).put(`/api/rules/${id}`).set('Authorization', `Bearer ${ts}`).send({ expression: 'card.count_1h >= "three"' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('expression');
    expect((await request(api.http).get(`/api/rules/${id}`).set('Authorization', `Bearer ${viewer}`)).body.live_version).toBe(3);
  });

  it('disables and enables a rule as versions, with a reason, and refuses to disable it twice', async () => {
    const created = await request(api.http).post('/api/rules').set('Authorization', `Bearer ${ts}`).send(draft('switch'));
    const id = created.body.id;
    const off = await request(api.http).post(`/api/rules/${id}/disable`).set('Authorization', `Bearer ${ts}`).send({ reason: 'noisy during the sale' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, live_version: 2 });
    const twice = await request(api.http).post(`/api/rules/${id}/disable`).set('Authorization', `Bearer ${ts}`).send({ reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.state).toBe('disabled');
    const on = await request(api.http).post(`/api/rules/${id}/enable`).set('Authorization', `Bearer ${ts}`).send({ reason: 'sale over' });
    expect(on.body).toMatchObject({ enabled: true, live_version: 3 });
    expect((await auditRows(id)).map((r: { action: string }) => r.action)).toEqual(['rule.created', 'rule.disabled', 'rule.enabled']);
  });

  it('validates an expression for the editor', async () => {
    const ok = await request(api.http).post('/api/rules/validate').set('Authorization', `Bearer ${ts}`).send({ expression: 'user.distinct_cards_24h >= 3 && !lists.allowed' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ valid: true, references: ['user.distinct_cards_24h', 'lists.allowed'] });
    const bad = await request(api.http).post('/api/rules/validate').set('Authorization', `Bearer ${ts}`).send({ expression: 'user.nope > 1' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ position: { line: 1 }, details: [{ field: 'expression' }] });
  });

  it('lists rules with filters, search and sorts, and refuses an unknown sort', async () => {
    const get = (query: Record<string, string>) => request(api.http).get('/api/rules').query(query).set('Authorization', `Bearer ${viewer}`);
    const critical = await get({ filter: JSON.stringify({ severity: 'critical' }), sort: JSON.stringify(['key', 'ASC']), range: '[0,99]' });
    expect(critical.body.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['block_list_hit', 'frozen_account', 'under_18']));
    expect(critical.body.every((r: { severity: string }) => r.severity === 'critical')).toBe(true);

    const search = await get({ filter: JSON.stringify({ q: `${run}_versioned` }) });
    expect(search.body.map((r: { key: string }) => r.key)).toEqual([`${run}_versioned`]);

    const bySeverity = await get({ sort: JSON.stringify(['severity', 'DESC']), range: '[0,0]' });
    expect(bySeverity.body[0].severity).toBe('critical');
    expect(bySeverity.headers['content-range']).toMatch(/^rules 0-0\/\d+$/);

    const disabled = await get({ filter: JSON.stringify({ enabled: false, q: run }) });
    expect(disabled.status).toBe(200);

    const badSort = await get({ sort: JSON.stringify(['expression', 'ASC']) });
    expect(badSort.status).toBe(400);
    expect(badSort.body.details[0].field).toBe('sort');
  });

  it('lets a viewer read rules but not write them', async () => {
    const id = (await request(api.http).get(`/api/rules/under_18`).set('Authorization', `Bearer ${viewer}`)).body.id;
    expect(id).toEqual(expect.any(String));
    const writes = [
      request(api.http).post('/api/rules').send(draft('viewer')),
      request(api.http).put(`/api/rules/${id}`).send({ score: 1 }),
      request(api.http).post(`/api/rules/${id}/versions`).send({ score: 1 }),
      request(api.http).post(`/api/rules/${id}/disable`).send({ reason: 'viewer tries' }),
      request(api.http).post('/api/rules/validate').send({ expression: 'true' }),
      request(api.http).post('/api/rules/backtest').send({ expression: 'true', from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' }),
    ];
    for (const call of writes) expect((await call.set('Authorization', `Bearer ${viewer}`)).status).toBe(403);
    expect((await request(api.http).get(`/api/rules/under_18`).set('Authorization', `Bearer ${viewer}`)).body.live_version).toBe(1);
  });
});
