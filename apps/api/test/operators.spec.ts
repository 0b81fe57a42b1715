import request from 'supertest';
import { startApi, uniqueEmail, type TestApi } from './harness';

describe('operators, managed by admins', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.token('admin');
  });
  afterAll(() => api.close());

  const as = (token: string) => ({
    get: (path: string) => request(api.http).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) => request(api.http).post(path).set('Authorization', `Bearer ${token}`).send(body),
    put: (path: string, body: object) => request(api.http).put(path).set('Authorization', `Bearer ${token}`).send(body),
  });

  async function audits(entityId: string) {
    return api.dataSource.query(`SELECT action, actor_email, before, after, reason, request_id FROM audit_events WHERE entity_id = $1 AND action LIKE 'operator.%' ORDER BY id`, [entityId]);
  }

  it('creates an operator who can then sign in, with an audit row naming the admin and the request', async () => {
    const email = uniqueEmail('analyst');
    const created = await as(admin).post('/api/operators', { email: email.toUpperCase(), name: 'New Analyst', role: 'trust_safety', password: 'a-strong-passphrase' }).set('X-Request-Id', 'req-create-1');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'trust_safety', disabled: false });
    const login = await request(api.http).post('/api/auth/login').send({ email, password: 'a-strong-passphrase' });
    expect(login.status).toBe(200);
    const [row] = await audits(created.body.id);
    expect(row).toMatchObject({ action: 'operator.created', actor_email: 'admin@coinops.dev', request_id: 'req-create-1', after: { email, role: 'trust_safety' } });
    expect(JSON.stringify(row)).not.toMatch(/a-strong-passphrase|argon2/);
  });

  it('refuses a duplicate email with 409 and a short password with 400', async () => {
    const duplicate = await as(admin).post('/api/operators', { email: 'ts@coinops.dev', name: 'Dup', role: 'viewer', password: 'a-strong-passphrase' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.details).toEqual([{ field: 'email', message: 'is already taken' }]);
    const short = await as(admin).post('/api/operators', { email: uniqueEmail('short'), name: 'Short', role: 'viewer', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
  });

  it('re-roles an operator, revoking their sessions, and records before and after with the reason', async () => {
    const email = uniqueEmail('rerole');
    const created = await as(admin).post('/api/operators', { email, name: 'Re Role', role: 'viewer', password: 'a-strong-passphrase' });
    const login = await request(api.http).post('/api/auth/login').send({ email, password: 'a-strong-passphrase' });
    const updated = await as(admin).put(`/api/operators/${created.body.id}`, { role: 'support', reason: 'moved to support' });
    expect(updated.status).toBe(200);
    expect(updated.body.role).toBe('support');
    expect((await as(login.body.token).get('/api/auth/me')).status).toBe(401);
    const rows = await audits(created.body.id);
    expect(rows[1]).toMatchObject({ action: 'operator.updated', reason: 'moved to support', before: { role: 'viewer' }, after: { role: 'support' } });
  });

  it('resets a password: the old one stops working, the new one works, and the audit row holds neither', async () => {
    const email = uniqueEmail('reset');
    const created = await as(admin).post('/api/operators', { email, name: 'Reset Me', role: 'finance', password: 'the-first-passphrase' });
    const reset = await as(admin).post(`/api/operators/${created.body.id}/reset-password`, { password: 'the-second-passphrase', reason: 'forgot it' });
    expect(reset.status).toBe(200);
    expect((await request(api.http).post('/api/auth/login').send({ email, password: 'the-first-passphrase' })).status).toBe(401);
    expect((await request(api.http).post('/api/auth/login').send({ email, password: 'the-second-passphrase' })).status).toBe(200);
    const rows = await audits(created.body.id);
    expect(rows.at(-1)).toMatchObject({ action: 'operator.password_reset', reason: 'forgot it' });
    expect(JSON.stringify(rows)).not.toMatch(/passphrase/);
  });

  it('keeps at least one active admin: an admin cannot demote or disable themselves', async () => {
    const me = await as(admin).get('/api/auth/me');
    const self = await as(admin).put(`/api/operators/${me.body.id}`, { role: 'viewer' });
    expect(self.status).toBe(409);
    expect(self.body.message).toMatch(/cannot disable or demote themselves/);
  });

  it('commits nothing when a change fails halfway: no audit row without its change', async () => {
    const [{ count: before }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE action = 'operator.created'`);
    const response = await as(admin).post('/api/operators', { email: 'ts@coinops.dev', name: 'Again', role: 'viewer', password: 'a-strong-passphrase' });
    expect(response.status).toBe(409);
    const [{ count: after }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE action = 'operator.created'`);
    expect(after).toBe(before);
  });

  it('lists operators the simple-rest way, filtered, sorted and paged', async () => {
    const response = await as(admin).get('/api/operators').query({ filter: JSON.stringify({ role: 'finance' }), sort: '["email","ASC"]', range: '[0,1]' });
    expect(response.status).toBe(200);
    expect(response.headers['content-range']).toMatch(/^operators 0-1\/\d+$/);
    expect(response.body.map((o: { email: string }) => o.email)).toEqual(['finance2@coinops.dev', 'finance@coinops.dev']);
    const many = await as(admin).get('/api/operators').query({ filter: JSON.stringify({ id: [response.body[0].id] }) });
    expect(many.body).toHaveLength(1);
  });
});
