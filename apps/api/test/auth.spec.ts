import { hashPassword } from '@coinops/access';
import request from 'supertest';
import { startApi, uniqueEmail, type TestApi } from './harness';

describe('operator sign-in', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  async function makeOperator(password = 'correct-horse-battery') {
    const email = uniqueEmail('signin');
    const hash = await hashPassword(password);
    const [row] = await api.dataSource.query(
      `INSERT INTO operators (email, name, role, password_hash) VALUES ($1, 'Sign In', 'support', $2) RETURNING id`,
      [email, hash],
    );
    return { id: row.id as string, email, password };
  }

  it('returns a token and the operator for the right password, and /me answers with it', async () => {
    const login = await request(api.http).post('/api/auth/login').send({ email: 'TS@coinops.dev ', password: 'coinops-demo' });
    expect(login.status).toBe(200);
    expect(login.body.operator).toMatchObject({ email: 'ts@coinops.dev', role: 'trust_safety' });
    expect(login.body.operator).not.toHaveProperty('password_hash');
    const me = await request(api.http).get('/api/auth/me').set('Authorization', `Bearer ${login.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'ts@coinops.dev', role: 'trust_safety' });
    const [audit] = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id DESC LIMIT 1`, [login.body.operator.id]);
    expect(audit.action).toBe('auth.login');
  });

  it('refuses a wrong password and an unknown email with the same 401', async () => {
    const wrong = await request(api.http).post('/api/auth/login').send({ email: 'ts@coinops.dev', password: 'not-the-password' });
    const unknown = await request(api.http).post('/api/auth/login').send({ email: 'nobody@coinops.dev', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'wrong email or password' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('locks an operator out after repeated failures, even for the right password, and audits it', async () => {
    const operator = await makeOperator();
    for (let i = 0; i < 5; i++) {
      const response = await request(api.http).post('/api/auth/login').send({ email: operator.email, password: 'wrong-guess' });
      expect(response.status).toBe(401);
    }
    const locked = await request(api.http).post('/api/auth/login').send({ email: operator.email, password: operator.password });
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/locked until/);
    const actions = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [operator.id]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.locked_out', 'auth.login_refused',
    ]);
  });

  it('revokes tokens of an operator who is disabled', async () => {
    const operator = await makeOperator();
    const login = await request(api.http).post('/api/auth/login').send({ email: operator.email, password: operator.password });
    expect(login.status).toBe(200);
    const admin = await api.token('admin');
    const disable = await request(api.http).put(`/api/operators/${operator.id}`).set('Authorization', `Bearer ${admin}`).send({ disabled: true, reason: 'left the team' });
    expect(disable.status).toBe(200);
    const me = await request(api.http).get('/api/auth/me').set('Authorization', `Bearer ${login.body.token}`);
    expect(me.status).toBe(401);
    const again = await request(api.http).post('/api/auth/login').send({ email: operator.email, password: operator.password });
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/disabled/);
  });
});
