import request from 'supertest';
import { startApi, type TestApi } from './harness';

describe('the audit log', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it.each([
    ['UPDATE', `UPDATE audit_events SET reason = 'rewritten'`],
    ['DELETE', `DELETE FROM audit_events`],
    ['TRUNCATE', `TRUNCATE audit_events`],
  ])('cannot be changed with plain SQL: %s is refused by the database', async (_op, sql) => {
    await api.token('viewer');
    const [{ count: before }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM audit_events`);
    expect(before).toBeGreaterThan(0);
    await expect(api.dataSource.query(sql)).rejects.toThrow(/append-only/);
    const [{ count: after }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM audit_events`);
    expect(after).toBe(before);
  });

  it('is readable by every role and filterable by action, actor and time', async () => {
    const viewer = await api.token('viewer');
    const ts = await api.token('ts');
    const since = new Date(Date.now() - 60_000).toISOString();
    const response = await request(api.http)
      .get('/api/audit-events')
      .query({ filter: JSON.stringify({ action: 'auth.login', actor_email: 'ts@coinops.dev', created_at_gte: since }) })
      .set('Authorization', `Bearer ${viewer}`);
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
    expect(response.body.every((row: { action: string; actor_email: string }) => row.action === 'auth.login' && row.actor_email === 'ts@coinops.dev')).toBe(true);
    const one = await request(api.http).get(`/api/audit-events/${response.body[0].id}`).set('Authorization', `Bearer ${ts}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: response.body[0].id, action: 'auth.login', entity: 'operator' });
  });

  it('has no route that writes to it', async () => {
    const admin = await api.token('admin');
    for (const method of ['post', 'put', 'delete'] as const) {
      const response = await request(api.http)[method]('/api/audit-events/1').set('Authorization', `Bearer ${admin}`).send({});
      expect(response.status).toBe(404);
    }
  });
});
