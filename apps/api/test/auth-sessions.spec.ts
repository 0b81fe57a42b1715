import request from 'supertest';
import { startApi, uniqueEmail, type TestApi } from './harness';

const PASSWORD = 'sessions-passphrase-long-enough';

describe('sessions and passwords of an operator', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.token('admin');
  });
  afterAll(() => api.close());

  async function newOperator(role = 'support'): Promise<string> {
    const email = uniqueEmail('sessions');
    const created = await request(api.http).post('/api/operators').set('Authorization', `Bearer ${admin}`).send({ email, name: 'Session Tester', role, password: PASSWORD });
    expect(created.status).toBe(201);
    return email;
  }
  const login = async (email: string, password = PASSWORD, agent = 'jest') => {
    const response = await request(api.http).post('/api/auth/login').set('User-Agent', agent).send({ email, password });
    expect(response.status).toBe(200);
    return response.body.token as string;
  };
  const me = (token: string) => request(api.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`);
  const call = (token: string, method: 'get' | 'post' | 'delete', path: string, body?: object) => request(api.http)[method](path).set('Authorization', `Bearer ${token}`).send(body);

  it('lists the live sessions with where they came from, marking the current one', async () => {
    const email = await newOperator();
    await login(email, PASSWORD, 'laptop browser');
    const phone = await login(email, PASSWORD, 'phone browser');
    const list = await call(phone, 'get', '/api/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(list.body[0]).toEqual({ id: expect.any(String), scope: 'full', mfa: false, ip: expect.any(String), user_agent: 'phone browser', created_at: expect.any(String), expires_at: expect.any(String), current: true });
    expect(list.body[1]).toMatchObject({ user_agent: 'laptop browser', current: false });
  });

  it('ends one session from the list: its token stops working at once, the others go on', async () => {
    const email = await newOperator();
    const laptop = await login(email);
    const phone = await login(email);
    const sessions = (await call(phone, 'get', '/api/auth/sessions')).body as Array<{ id: string; current: boolean }>;
    const other = sessions.find((s) => !s.current)!;
    expect((await call(phone, 'delete', `/api/auth/sessions/${other.id}`)).status).toBe(200);
    expect((await me(laptop)).status).toBe(401);
    expect((await me(phone)).status).toBe(200);
    expect((await call(phone, 'delete', `/api/auth/sessions/${other.id}`)).status).toBe(404);
  });

  it('signs out of all sessions, this one included, and audits it', async () => {
    const email = await newOperator();
    const tokens = [await login(email), await login(email), await login(email)];
    const response = await call(tokens[0], 'post', '/api/auth/sessions/revoke-all');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ revoked: 3 });
    for (const token of tokens) expect((await me(token)).status).toBe(401);
    const [audit] = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_email = $1 AND action = 'auth.sessions_revoked'`, [email]);
    expect(audit.n).toBe(1);
  });

  it('signs out one session with logout', async () => {
    const email = await newOperator();
    const token = await login(email);
    expect((await call(token, 'post', '/api/auth/logout')).status).toBe(200);
    expect((await me(token)).status).toBe(401);
  });

  it('ends every session when an admin resets the password or disables the operator', async () => {
    const email = await newOperator();
    const token = await login(email);
    const id = (await me(token)).body.id;
    const reset = await call(admin, 'post', `/api/operators/${id}/reset-password`, { password: 'another-long-passphrase-7', reason: 'asked by phone' });
    expect(reset.status).toBe(200);
    expect((await me(token)).status).toBe(401);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM operator_sessions s JOIN operators o ON o.id = s.operator_id WHERE o.email = $1 AND s.revoked_at IS NULL`, [email]);
    expect(n).toBe(0);
  });

  it('refuses passwords that are short or on the breached list, with 400 naming the field, writing nothing', async () => {
    const [{ n: before }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM operators`);
    for (const password of ['short1!', '1q2w3e4r5t6y', 'QWERTYUIOP123']) {
      const response = await call(admin, 'post', '/api/operators', { email: uniqueEmail('weak'), name: 'Weak', role: 'viewer', password });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'password', message: expect.stringMatching(/at least 12 characters|breached/) }]);
    }
    const [{ n: after }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM operators`);
    expect(after).toBe(before);
    const id = (await call(admin, 'get', '/api/operators?filter={"email":"support@coinops.dev"}')).body[0].id;
    const reset = await call(admin, 'post', `/api/operators/${id}/reset-password`, { password: 'password1234', reason: 'testing the breached list' });
    expect(reset.status).toBe(400);
    expect(reset.body.details).toEqual([{ field: 'password', message: expect.stringMatching(/breached/) }]);
  });

  it('changes the own password with the current one, ending the other sessions but not this one', async () => {
    const email = await newOperator();
    const other = await login(email);
    const token = await login(email);
    const wrong = await call(token, 'post', '/api/auth/password', { current_password: 'not-it-at-all', new_password: 'a-brand-new-passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ field: 'current_password', message: expect.any(String) }]);
    const breached = await call(token, 'post', '/api/auth/password', { current_password: PASSWORD, new_password: 'qwerty123456' });
    expect(breached.status).toBe(400);
    expect(breached.body.details).toEqual([{ field: 'new_password', message: expect.stringMatching(/breached/) }]);
    const changed = await call(token, 'post', '/api/auth/password', { current_password: PASSWORD, new_password: 'a-brand-new-passphrase' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ revoked: 1 });
    expect((await me(other)).status).toBe(401);
    expect((await me(token)).status).toBe(200);
    expect((await request(api.http).post('/api/auth/login').send({ email, password: PASSWORD })).status).toBe(401);
    await login(email, 'a-brand-new-passphrase');
  });

  it('keeps the demo operators signing in with the documented password', async () => {
    const response = await request(api.http).post('/api/auth/login').send({ email: 'viewer@coinops.dev', password: 'coinops-demo' });
    expect(response.status).toBe(200);
    expect(response.body.mfa_enrolment).toBe('offered');
  });
});
