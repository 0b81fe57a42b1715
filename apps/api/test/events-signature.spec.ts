import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

function userCreated(eventId = unique('evt')) {
  return JSON.stringify({ id: eventId, type: 'user.created', occurred_at: new Date().toISOString(), data: { user_id: unique('u'), country: 'FR' } });
}

describe('POST /api/events: the Coinops-Signature header', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const post = (body: string, signature?: string) => {
    const call = request(api.http).post('/api/events').set('Content-Type', 'application/json');
    return (signature === undefined ? call : call.set('Coinops-Signature', signature)).send(body);
  };
  const stored = async (body: string) => {
    const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM platform_events WHERE id = $1`, [JSON.parse(body).id]);
    return row.n as number;
  };

  it('accepts an event signed with EVENTS_SECRET over the raw body, without a bearer token', async () => {
    const body = userCreated();
    const response = await post(body, signEvent(secret, body));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: JSON.parse(body).id, type: 'user.created', status: 'processed' });
    expect(await stored(body)).toBe(1);
  });

  it('accepts any one matching v1 among several, as while a secret is rotated', async () => {
    const body = userCreated();
    const t = Math.floor(Date.now() / 1000);
    const good = signEvent(secret, body, t).split('v1=')[1];
    const response = await post(body, `t=${t},v1=${'0'.repeat(64)},v1=${good}`);
    expect(response.status).toBe(200);
  });

  it('refuses a missing header with 400 and stores nothing', async () => {
    const body = userCreated();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, details: [{ field: 'Coinops-Signature', message: 'is missing' }] });
    expect(await stored(body)).toBe(0);
  });

  it('refuses a signature made with another secret, or over other bytes, and stores nothing', async () => {
    const body = userCreated();
    const wrongSecret = await post(body, signEvent('not-the-events-secret', body));
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body.details).toEqual([{ field: 'Coinops-Signature', message: 'does not match the body' }]);
    // Same JSON value, different bytes: the signature covers the raw body, not its parse.
    const reformatted = await post(JSON.stringify(JSON.parse(body), null, 2), signEvent(secret, body));
    expect(reformatted.status).toBe(400);
    expect(await stored(body)).toBe(0);
  });

  it('refuses a signature older than 300 seconds, even a correct one, and stores nothing', async () => {
    const body = userCreated();
    const stale = await post(body, signEvent(secret, body, Math.floor(Date.now() / 1000) - 301));
    expect(stale.status).toBe(400);
    expect(stale.body.details[0]).toEqual({ field: 'Coinops-Signature', message: 'timestamp is more than 300 s away from now' });
    const fresh = await post(body, signEvent(secret, body, Math.floor(Date.now() / 1000) - 250));
    expect(fresh.status).toBe(200);
  });

  it('refuses malformed headers with 400', async () => {
    const body = userCreated();
    for (const header of ['v1=abc', `t=${Math.floor(Date.now() / 1000)}`, 't=soon,v1=00', `t=${Math.floor(Date.now() / 1000)},v1=zz`]) {
      const response = await post(body, header);
      expect({ header, status: response.status }).toEqual({ header, status: 400 });
    }
    expect(await stored(body)).toBe(0);
  });
});
