import request from 'supertest';
import { startApi, type TestApi } from './harness';

describe('operations endpoints', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('answers liveness and readiness with PostgreSQL and Redis checked', async () => {
    expect((await request(api.http).get('/api/health')).body).toEqual({ status: 'ok' });
    const ready = await request(api.http).get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('sends security headers, a request id, and CORS for the console only', async () => {
    const response = await request(api.http).get('/api/health').set('Origin', 'http://localhost:5173').set('X-Request-Id', 'trace-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-expose-headers']).toMatch(/Content-Range/);
    const foreign = await request(api.http).get('/api/health').set('Origin', 'https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const forged = await request(api.http).get('/api/health').set('X-Request-Id', 'bad id with spaces and $(rm -rf)');
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics with the HTTP latency histogram, queue depths and the outbox backlog', async () => {
    await request(api.http).get('/api/health');
    const response = await request(api.http).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/coinops_http_request_duration_seconds_bucket\{.*route="\/api\/health"/);
    expect(response.text).toMatch(/coinops_queue_jobs\{queue="notifications",state="waiting"\}/);
    expect(response.text).toMatch(/coinops_outbox_backlog \d+/);
  });

  it('serves the OpenAPI document with the operator routes', async () => {
    const response = await request(api.http).get('/api/docs/openapi.json');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/operators', '/api/auth/login', '/api/audit-events']));
    expect((await request(api.http).get('/api/docs')).status).toBe(200);
  });

  it('opens Bull Board to admins only', async () => {
    expect((await request(api.http).get('/api/queues')).status).toBe(401);
    const viewer = await api.token('viewer');
    expect((await request(api.http).get('/api/queues').set('Authorization', `Bearer ${viewer}`)).status).toBe(403);
    const admin = await api.token('admin');
    const board = await request(api.http).get('/api/queues/api/queues').set('Cookie', `coinops_token=${admin}`);
    expect(board.status).toBe(200);
    expect(JSON.stringify(board.body)).toMatch(/notifications/);
  });
});
