import { totpCode } from '@coinops/access';
import request from 'supertest';
import { startApi, uniqueEmail, type TestApi } from './harness';

const PASSWORD = 'a-long-unusual-passphrase-42';
const now = () => Math.floor(Date.now() / 1000);

/** Operators of their own: the demo ones are shared with every other spec file of the run. */
async function newOperator(api: TestApi, role: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(`mfa-${role}`);
  const response = await request(api.http).post('/api/operators').set('Authorization', `Bearer ${await api.token('admin')}`).send({ email, name: 'MFA Tester', role, password: PASSWORD });
  expect(response.status).toBe(201);
  return { id: response.body.id, email };
}

const login = (api: TestApi, email: string, password = PASSWORD) => request(api.http).post('/api/auth/login').send({ email, password });
const as = (api: TestApi, token: string) => ({
  get: (path: string) => request(api.http).get(path).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => request(api.http).post(path).set('Authorization', `Bearer ${token}`).send(body),
});

async function enrol(api: TestApi, token: string): Promise<{ secret: string; token: string }> {
  const started = await as(api, token).post('/api/auth/totp/enrol');
  expect(started.status).toBe(200);
  expect(started.body.qr_data_url).toMatch(/^data:image\/png;base64,/);
  expect(started.body.otpauth_url).toContain(`secret=${started.body.secret}`);
  const confirmed = await as(api, token).post('/api/auth/totp/confirm', { code: totpCode(started.body.secret) });
  expect(confirmed.status).toBe(200);
  return { secret: started.body.secret, token: confirmed.body.token };
}

describe('TOTP second factor, optional (no role requires it outside production)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('offers enrolment at sign-in; after it, the password alone gives a challenge, not a token', async () => {
    const operator = await newOperator(api, 'support');
    const first = await login(api, operator.email);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token: expect.any(String), mfa_enrolment: 'offered', operator: { mfa_enabled: false } });

    const { secret, token } = await enrol(api, first.body.token);
    expect((await as(api, first.body.token).get('/api/auth/me')).status).toBe(401);
    expect((await as(api, token).get('/api/auth/me')).body.mfa_enabled).toBe(true);

    const challenge = await login(api, operator.email);
    expect(challenge.status).toBe(200);
    expect(challenge.body).toEqual({ mfa_required: true, mfa_token: expect.any(String), expires_at: expect.any(String) });
    expect((await as(api, challenge.body.mfa_token).get('/api/auth/me')).status).toBe(401);

    const code = totpCode(secret, now() + 30);
    const done = await request(api.http).post('/api/auth/mfa').send({ mfa_token: challenge.body.mfa_token, code });
    expect(done.status).toBe(200);
    expect((await as(api, done.body.token).get('/api/auth/me')).status).toBe(200);
    const replay = await request(api.http).post('/api/auth/mfa').send({ mfa_token: challenge.body.mfa_token, code });
    expect(replay.status).toBe(400);
    expect(replay.body.details).toEqual([{ field: 'code', message: expect.stringMatching(/already used/) }]);
  });

  it('keeps the secret sealed at rest and out of every answer and audit row', async () => {
    const operator = await newOperator(api, 'viewer');
    const { secret } = await enrol(api, (await login(api, operator.email)).body.token);
    const [row] = await api.dataSource.query(`SELECT totp_secret_enc FROM operators WHERE id = $1`, [operator.id]);
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(row.totp_secret_enc).not.toContain(secret);
    const read = await as(api, await api.token('admin')).get(`/api/operators/${operator.id}`);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    expect(read.body).not.toHaveProperty('totp_secret_enc');
    const audit = await api.dataSource.query(`SELECT before, after, reason FROM audit_events WHERE entity_id = $1`, [operator.id]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('locks the second factor after repeated wrong codes, even for the right code, and audits it', async () => {
    const operator = await newOperator(api, 'support');
    const { secret } = await enrol(api, (await login(api, operator.email)).body.token);
    const challenge = (await login(api, operator.email)).body.mfa_token;
    for (let i = 0; i < 5; i++) {
      const wrong = await request(api.http).post('/api/auth/mfa').send({ mfa_token: challenge, code: '000000' === totpCode(secret) ? '111111' : '000000' });
      expect(wrong.status).toBe(400);
    }
    const right = await request(api.http).post('/api/auth/mfa').send({ mfa_token: challenge, code: totpCode(secret, now() + 30) });
    expect(right.status).toBe(429);
    expect(right.body.locked_until).toEqual(expect.any(String));
    const [audit] = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'auth.mfa_locked_out'`, [operator.id]);
    expect(audit.n).toBe(1);
  });

  it('lets an admin reset a lost factor, audited with the reason, ending the operator sessions', async () => {
    const operator = await newOperator(api, 'finance');
    const { token } = await enrol(api, (await login(api, operator.email)).body.token);
    const admin = as(api, await api.token('admin'));
    expect((await admin.post(`/api/operators/${operator.id}/reset-totp`, {})).status).toBe(400);
    const reset = await admin.post(`/api/operators/${operator.id}/reset-totp`, { reason: 'lost phone, identity checked by video call' });
    expect(reset.status).toBe(200);
    expect(reset.body.mfa_enabled).toBe(false);
    expect((await as(api, token).get('/api/auth/me')).status).toBe(401);
    const again = await login(api, operator.email);
    expect(again.body).toMatchObject({ token: expect.any(String), mfa_enrolment: 'offered' });
    const [audit] = await api.dataSource.query(`SELECT reason, actor_email FROM audit_events WHERE entity_id = $1 AND action = 'operator.mfa_reset'`, [operator.id]);
    expect(audit).toEqual({ reason: 'lost phone, identity checked by video call', actor_email: 'admin@coinops.dev' });
    const self = await admin.post(`/api/operators/${(await admin.get('/api/auth/me')).body.id}/reset-totp`, { reason: 'testing myself' });
    expect(self.status).toBe(409);
  });

  it('lets an operator whose role does not require it remove their factor with a current code', async () => {
    const operator = await newOperator(api, 'viewer');
    const { secret, token } = await enrol(api, (await login(api, operator.email)).body.token);
    expect((await as(api, token).post('/api/auth/totp/disable', { code: '12' })).status).toBe(400);
    const removed = await as(api, token).post('/api/auth/totp/disable', { code: totpCode(secret, now() + 30) });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ enabled: false, required: false });
    expect((await login(api, operator.email)).body.token).toEqual(expect.any(String));
  });
});

describe('TOTP second factor, required by MFA_REQUIRED_ROLES', () => {
  let api: TestApi;
  let setup: TestApi;
  beforeAll(async () => {
    setup = await startApi();
    const previous = process.env.MFA_REQUIRED_ROLES;
    process.env.MFA_REQUIRED_ROLES = 'trust_safety';
    try {
      api = await startApi();
    } finally {
      if (previous === undefined) delete process.env.MFA_REQUIRED_ROLES;
      else process.env.MFA_REQUIRED_ROLES = previous;
    }
  });
  afterAll(async () => {
    await api.close();
    await setup.close();
  });

  it('gives a required role without a factor an enrolment-only token, and a full one once enrolled', async () => {
    const operator = await newOperator(setup, 'trust_safety');
    const first = await login(api, operator.email);
    expect(first.status).toBe(200);
    expect(first.body.mfa_enrolment).toBe('required');
    const limited = as(api, first.body.token);
    expect((await limited.get('/api/auth/me')).status).toBe(200);
    const refused = await limited.get('/api/users');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ mfa_enrolment: 'required' });
    expect((await limited.get('/api/auth/totp')).body).toMatchObject({ enabled: false, required: true });

    const { secret, token } = await enrol(api, first.body.token);
    expect((await as(api, token).get('/api/users')).status).toBe(200);
    const disable = await as(api, token).post('/api/auth/totp/disable', { code: totpCode(secret, now() + 30) });
    expect(disable.status).toBe(409);
    expect((await login(api, operator.email)).body.mfa_required).toBe(true);
  });

  it('keeps other roles optional', async () => {
    const operator = await newOperator(setup, 'support');
    expect((await login(api, operator.email)).body.mfa_enrolment).toBe('offered');
  });
});
