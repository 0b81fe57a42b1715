import { loadConfig } from '@coinops/config';
import request from 'supertest';
import { MACHINE_BODY_LIMIT_BYTES } from '../src/machine-routes';
import { startApi, type TestApi } from './harness';

/**
 * The machine routes' fast path (apps/api/src/machine-routes.ts): the same answers as through Express,
 * which still takes every request it does not (an Origin header sends a request there).
 */
const run = `mr${Date.now().toString(36)}`;
const serviceToken = loadConfig().RISK_SERVICE_TOKEN;
const body = (label: string) => ({ recharge_id: `${run}-${label}`, user_id: `${run}-user`, method: 'card', amount: 499, currency: 'USD', coins: 350, user_created_at: '2023-05-01T10:00:00Z', birth_year: 1990 });

describe('machine routes answered before Express', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const decide = (payload: unknown, headers: Record<string, string> = {}) => {
    const call = request(api.http).post('/api/risk/decisions').set('Authorization', `Bearer ${serviceToken}`);
    for (const [name, value] of Object.entries(headers)) call.set(name, value);
    return typeof payload === 'string' ? call.set('Content-Type', 'application/json').send(payload) : call.send(payload as object);
  };
  const strip = (response: request.Response) => ({ status: response.status, body: { ...response.body, evaluated_at: undefined } });

  it('answers a decision as the Express route does, with the same body', async () => {
    const fast = await decide(body('same'));
    const viaExpress = await decide(body('same'), { Origin: 'http://localhost:5173' });
    expect(fast.status).toBe(200);
    expect(fast.body).toMatchObject({ decision: 'allow', reasons: expect.any(Array) });
    expect(strip(fast)).toEqual(strip(viaExpress));
    expect(viaExpress.headers['access-control-allow-origin']).toBeDefined();
    expect(fast.headers['content-type']).toBe('application/json; charset=utf-8');
    // The fast path answered (no helmet there: JSON for a machine needs no content security policy).
    expect(fast.headers['content-security-policy']).toBeUndefined();
    expect(viaExpress.headers['content-security-policy']).toBeDefined();
  });

  it('refuses a missing or wrong service token with the same 401 as the guard', async () => {
    const none = await request(api.http).post('/api/risk/decisions').send(body('none'));
    const wrong = await decide(body('wrong'), { Authorization: 'Bearer nope' });
    const viaExpress = await request(api.http).post('/api/risk/decisions').set('Origin', 'http://localhost:5173').send(body('none'));
    expect(none.status).toBe(401);
    expect(none.body).toEqual(viaExpress.body);
    expect(wrong.body).toMatchObject({ statusCode: 401, message: 'invalid risk service token' });
  });

  it('names the body when it is not JSON, not an object, or too large, as the JSON parser does', async () => {
    for (const raw of ['{"user_id":', '42']) {
      const fast = await decide(raw);
      const viaExpress = await decide(raw, { Origin: 'http://localhost:5173' });
      expect(fast.status).toBe(400);
      expect(fast.body).toEqual(viaExpress.body);
      expect(fast.body.details).toEqual([{ field: 'body', message: 'the body is not valid JSON' }]);
    }
    const huge = JSON.stringify({ ...body('huge'), email: 'x'.repeat(MACHINE_BODY_LIMIT_BYTES) });
    const tooLarge = await decide(huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual((await decide(huge, { Origin: 'http://localhost:5173' })).body);
  });

  it('keeps a well-formed caller request id and makes one otherwise', async () => {
    expect((await decide(body('rid'), { 'X-Request-Id': 'payments-123' })).headers['x-request-id']).toBe('payments-123');
    expect((await decide(body('rid2'), { 'X-Request-Id': 'bad id!' })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves other methods and paths to Express and its guard', async () => {
    expect((await request(api.http).get('/api/risk/decisions')).status).toBe(404);
    expect((await request(api.http).post('/api/risk/decisions?x=1').send(body('query'))).status).toBe(401);
    expect((await request(api.http).post('/api/risk/decisions/').send(body('slash'))).status).toBe(401);
  });
});
