import fc from 'fast-check';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const shape = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

describe('bad input gets a 4xx with a clear JSON error, never a 500', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.token('admin');
  });
  afterAll(() => api.close());

  const post = (path: string) => request(api.http).post(path).set('Authorization', `Bearer ${admin}`);

  it('answers malformed JSON with 400 naming the body', async () => {
    const response = await post('/api/operators').set('Content-Type', 'application/json').send('{"email": "a@b.c",');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ ...shape, statusCode: 400, details: [{ field: 'body', message: 'the body is not valid JSON' }] });
  });

  it('names each field with a wrong type', async () => {
    const response = await post('/api/operators').send({ email: 42, name: ['x'], role: 'root', password: true });
    expect(response.status).toBe(400);
    const fields = response.body.details.map((d: { field: string }) => d.field);
    expect(new Set(fields)).toEqual(new Set(['email', 'name', 'role', 'password']));
  });

  it('refuses unknown fields rather than ignoring them', async () => {
    const response = await post('/api/operators').send({ email: 'x@coinops.dev', name: 'X', role: 'viewer', password: 'long-enough-password', is_superuser: true });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'is_superuser', message: expect.stringMatching(/should not exist/) }]);
  });

  it('refuses a body that is not an object', async () => {
    const response = await post('/api/operators').send([{ email: 'x@coinops.dev' }]);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('refuses a 1 MB string with 413 and a long field with 400, writing nothing', async () => {
    const [{ count: before }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM operators`);
    const huge = await post('/api/operators').send({ email: 'big@coinops.dev', name: 'x'.repeat(1024 * 1024), role: 'viewer', password: 'long-enough-password' });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ ...shape, statusCode: 413 });
    const long = await post('/api/operators').send({ email: 'big@coinops.dev', name: 'x'.repeat(200_000), role: 'viewer', password: 'long-enough-password' });
    expect(long.status).toBe(400);
    expect(long.body.details).toEqual([{ field: 'name', message: expect.stringMatching(/shorter than or equal to 200/) }]);
    const [{ count: after }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM operators`);
    expect(after).toBe(before);
  });

  it.each([
    ['an unknown sort field', { sort: '["password_hash","ASC"]' }, 'sort'],
    ['a sort that is not JSON', { sort: 'email ASC' }, 'sort'],
    ['a sort order other than ASC/DESC', { sort: '["email","SIDEWAYS"]' }, 'sort'],
    ['an unknown filter', { filter: '{"password_hash":"x"}' }, 'filter.password_hash'],
    ['a filter of the wrong type', { filter: '{"disabled":"maybe"}' }, 'filter.disabled'],
    ['an SQL fragment as a filter value', { filter: '{"role":"admin\' OR 1=1 --"}' }, 'filter.role'],
    ['a reversed range', { range: '[10,2]' }, 'range'],
    ['a page too large', { range: '[0,100000]' }, 'range'],
  ])('answers a list query with %s by 400 naming it', async (_label, query, field) => {
    const response = await request(api.http).get('/api/operators').query(query).set('Authorization', `Bearer ${admin}`);
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const response = await request(api.http).get('/api/no-such-thing').set('Authorization', `Bearer ${admin}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ ...shape, statusCode: 404 });
  });

  it('answers an id of the wrong shape with 400 and a missing one with 404', async () => {
    const bad = await request(api.http).get('/api/operators/1%20OR%201=1').set('Authorization', `Bearer ${admin}`);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    const missing = await request(api.http).get('/api/operators/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${admin}`);
    expect(missing.status).toBe(404);
    const audit = await request(api.http).get('/api/audit-events/99999999999999999999').set('Authorization', `Bearer ${admin}`);
    expect(audit.status).toBe(400);
  });

  it('never answers 5xx to random operator bodies and list queries', async () => {
    const json = fc.jsonValue({ maxDepth: 2 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ email: fc.oneof(fc.emailAddress(), json), name: json, role: fc.oneof(fc.constantFrom('viewer', 'admin'), json), password: json }, { requiredKeys: [] }),
        fc.record({ filter: fc.oneof(fc.string(), fc.json()), sort: fc.oneof(fc.string(), fc.json()), range: fc.oneof(fc.string(), fc.json()) }, { requiredKeys: [] }),
        async (body, query) => {
          const write = await post('/api/operators').send(body as object);
          expect(write.status).toBeGreaterThanOrEqual(200);
          expect(write.status).toBeLessThan(500);
          const read = await request(api.http).get('/api/audit-events').query(query).set('Authorization', `Bearer ${admin}`);
          expect(read.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
