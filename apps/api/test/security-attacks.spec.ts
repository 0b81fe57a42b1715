import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { concretePath, walkRoutes, type WalkedRoute } from './routes';

const config = loadConfig();
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('security: injection, token forgery, replays, cross-role ids, headers', () => {
  let api: TestApi;
  let routes: WalkedRoute[];
  let admin: string;
  beforeAll(async () => {
    api = await startApi();
    routes = walkRoutes(api.app);
    admin = await api.token('admin');
  });
  afterAll(() => api.close());

  const get = (path: string, token = admin) => request(api.http).get(path).set('Authorization', `Bearer ${token}`);
  let lists: WalkedRoute[] | undefined;
  /** The simple-rest lists: the GET routes without an id that answer a Content-Range. */
  async function listRoutes(): Promise<WalkedRoute[]> {
    if (lists) return lists;
    lists = [];
    for (const route of routes.filter((r) => r.method === 'GET' && !r.publicBecause && !r.path.includes(':') && r.roles?.includes('admin'))) {
      if ((await get(route.path)).headers['content-range']) lists.push(route);
    }
    return lists;
  }

  describe('SQL injection through filter, q and sort', () => {
    const payloads = ["zz' OR '1'='1", "zz'; DROP TABLE operators; --", "zz' UNION SELECT password_hash FROM operators --", "zz'||pg_sleep(3)||'", 'zz\\'];

    it('matches a search text literally on every list: the quote never widens the result or reaches SQL', async () => {
      const found = await listRoutes();
      expect(found.length).toBeGreaterThan(10);
      for (const route of found) {
        for (const q of payloads) {
          const started = Date.now();
          const response = await get(route.path).query({ filter: JSON.stringify({ q }) });
          const where = `${route.path} q=${q}`;
          expect({ where, status: response.status < 500 }).toEqual({ where, status: true });
          if (response.status === 200) {
            const total = /\/(\d+)$/.exec(response.headers['content-range'] ?? '')?.[1];
            if (total !== undefined) expect({ where, total }).toEqual({ where, total: '0' });
          }
          expect(Date.now() - started).toBeLessThan(2_500);
        }
      }
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM operators`);
      expect(n).toBeGreaterThanOrEqual(7);
    }, 120_000);

    it('refuses a sort field outside the whitelist, and a filter key that is SQL, with 400 naming them', async () => {
      for (const route of await listRoutes()) {
        const sort = await get(route.path).query({ sort: JSON.stringify(['id; DROP TABLE operators', 'ASC']) });
        expect({ route: route.path, status: sort.status }).toEqual({ route: route.path, status: 400 });
        expect(sort.body.details.map((d: { field: string }) => d.field)).toContain('sort');
        const order = await get(route.path).query({ sort: JSON.stringify(['created_at', 'ASC; DROP TABLE operators']) });
        expect({ route: route.path, status: order.status }).toEqual({ route: route.path, status: 400 });
        const key = await get(route.path).query({ filter: JSON.stringify({ "1=1) OR (1": 'x' }) });
        expect({ route: route.path, status: key.status }).toEqual({ route: route.path, status: 400 });
      }
    });

    it('treats an injected filter value on a typed column as invalid, not as SQL', async () => {
      const response = await get('/api/operators').query({ filter: JSON.stringify({ id: "00000000-0000-4000-8000-000000000000' OR '1'='1" }) });
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain('filter.id');
      const email = await get('/api/operators').query({ filter: JSON.stringify({ email: "%' OR '1'='1" }) });
      expect(email.status).toBe(200);
      expect(email.body).toEqual([]);
    });
  });

  describe('token forgery', () => {
    let claims: Record<string, unknown>;
    let header: string;
    let signature: string;
    beforeAll(() => {
      const [h, p, s] = admin.split('.');
      header = h;
      signature = s;
      claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    });
    const me = (token: string) => request(api.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    const sign = (payload: object, options: Record<string, unknown>, secret = config.JWT_SECRET) =>
      new JwtService({ secret }).sign(payload, { algorithm: 'HS256', ...options } as never);

    it('refuses alg none in every spelling, with and without a signature', async () => {
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
        for (const tail of ['', signature]) {
          const response = await me(`${b64({ alg, typ: 'JWT' })}.${b64(claims)}.${tail}`);
          expect({ alg, tail: tail !== '', status: response.status }).toEqual({ alg, tail: tail !== '', status: 401 });
        }
      }
    });

    it('refuses another algorithm, even with the right secret (HS512, and RS256 as HMAC: key confusion)', async () => {
      const { iat: _iat, exp: _exp, iss: _iss, ...payload } = claims;
      const hs512 = new JwtService({ secret: config.JWT_SECRET }).sign(payload, { algorithm: 'HS512', issuer: 'coinops', expiresIn: 600 });
      expect((await me(hs512)).status).toBe(401);
      const rs = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${signature}`;
      expect((await me(rs)).status).toBe(401);
    });

    it('refuses a correctly signed token without an expiry, with another issuer, or with claims changed after signing', async () => {
      const { iat: _iat, exp: _exp, iss: _iss, ...payload } = claims;
      expect((await me(sign(payload, { issuer: 'coinops' }))).status).toBe(401);
      expect((await me(sign(payload, { issuer: 'someone-else', expiresIn: 600 }))).status).toBe(401);
      const raised = `${header}.${b64({ ...claims, exp: Number(claims.exp) + 86_400 * 365 })}.${signature}`;
      expect((await me(raised)).status).toBe(401);
      const viewer = await api.token('viewer');
      const [vh, vp, vs] = viewer.split('.');
      const promoted = `${vh}.${b64({ ...JSON.parse(Buffer.from(vp, 'base64url').toString()), role: 'admin' })}.${vs}`;
      expect((await request(api.http).get('/api/operators').set('Authorization', `Bearer ${promoted}`)).status).toBe(401);
    });

    it('takes the role from the database, not from the token: a viewer token re-signed as admin with a stolen sid is still a viewer', async () => {
      const viewer = await api.token('viewer');
      const viewerClaims = JSON.parse(Buffer.from(viewer.split('.')[1], 'base64url').toString());
      const { iat: _iat, exp: _exp, iss: _iss, ...payload } = viewerClaims;
      const resigned = sign({ ...payload, role: 'admin' }, { issuer: 'coinops', expiresIn: 600 });
      const response = await request(api.http).get('/api/operators').set('Authorization', `Bearer ${resigned}`);
      expect(response.status).toBe(403);
    });
  });

  describe('stale and replayed machine calls', () => {
    const userCreated = () => JSON.stringify({ id: unique('evt'), type: 'user.created', occurred_at: new Date().toISOString(), data: { user_id: unique('u'), country: 'FR' } });
    const postEvent = (body: string, signature: string) => request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signature).send(body);
    const storedEvents = async (id: string) => (await api.dataSource.query(`SELECT count(*)::int AS n FROM platform_events WHERE id = $1`, [id]))[0].n as number;

    it('answers a replayed event with the first answer, marked as a replay, acting once', async () => {
      const body = userCreated();
      const first = await postEvent(body, signEvent(config.EVENTS_SECRET, body));
      expect(first.status).toBe(200);
      const again = await postEvent(body, signEvent(config.EVENTS_SECRET, body));
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await storedEvents(JSON.parse(body).id)).toBe(1);
    });

    it('refuses an event id reused with another body, and a captured signature replayed an hour later', async () => {
      const body = userCreated();
      expect((await postEvent(body, signEvent(config.EVENTS_SECRET, body))).status).toBe(200);
      const tampered = JSON.stringify({ ...JSON.parse(body), data: { ...JSON.parse(body).data, country: 'DE' } });
      expect((await postEvent(tampered, signEvent(config.EVENTS_SECRET, tampered))).status).toBe(409);
      const late = userCreated();
      const response = await postEvent(late, signEvent(config.EVENTS_SECRET, late, Math.floor(Date.now() / 1000) - 3600));
      expect(response.status).toBe(400);
      expect(await storedEvents(JSON.parse(late).id)).toBe(0);
    });

    it('refuses a Stripe webhook signed in the future beyond the tolerance, storing nothing', async () => {
      const id = unique('evt');
      const payload = JSON.stringify({ id, object: 'event', type: 'charge.succeeded', created: Math.floor(Date.now() / 1000), data: { object: { id: unique('ch'), object: 'charge' } } });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: config.STRIPE_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) + 3600 });
      const response = await request(api.http).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(payload);
      expect(response.status).toBe(400);
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM provider_events WHERE provider_event_id = $1`, [id]);
      expect(n).toBe(0);
    });
  });

  describe('reaching data across roles through ids', () => {
    it('refuses every id route to the roles it does not name, with a real id, before looking the id up', async () => {
      const [operator] = await api.dataSource.query(`SELECT id FROM operators WHERE email = 'admin@coinops.dev'`);
      const roles = ['admin', 'ts', 'finance', 'support', 'viewer'] as const;
      const roleName = { admin: 'admin', ts: 'trust_safety', finance: 'finance', support: 'support', viewer: 'viewer' } as const;
      let checked = 0;
      for (const route of routes.filter((r) => r.path.includes(':') && !r.publicBecause)) {
        for (const who of roles) {
          if (route.roles!.includes(roleName[who])) continue;
          const token = await api.token(who);
          const response = await request(api.http)[route.method.toLowerCase() as 'get'](concretePath(route.path, operator.id)).set('Authorization', `Bearer ${token}`).send({});
          expect({ route: `${route.method} ${route.path}`, who, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, who, status: 403 });
          expect(JSON.stringify(response.body)).not.toContain('admin@coinops.dev');
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
    });

    it('keeps an operator to their own notifications and sessions', async () => {
      const support = await api.token('support');
      const own = await get('/api/auth/notifications', support);
      expect(own.status).toBe(200);
      const [supportRow] = await api.dataSource.query(`SELECT id FROM operators WHERE email = 'support@coinops.dev'`);
      for (const row of own.body as Array<{ id: string }>) {
        const [n] = await api.dataSource.query(`SELECT operator_id FROM operator_notifications WHERE id = $1`, [row.id]);
        expect(n.operator_id).toBe(supportRow.id);
      }
      const sessions = await get('/api/auth/sessions', admin);
      expect(sessions.status).toBe(200);
      const adminSession = (sessions.body as Array<{ id: string }>)[0].id;
      const revoke = await request(api.http).delete(`/api/auth/sessions/${adminSession}`).set('Authorization', `Bearer ${support}`);
      expect(revoke.status).toBe(404);
      expect((await get('/api/auth/me', admin)).status).toBe(200);
    });
  });

  describe('brute force', () => {
    it('locks an operator out under concurrent guesses as under serial ones: no guess slips past the count', async () => {
      const email = `brute.${randomBytes(4).toString('hex')}@coinops.dev`;
      const password = 'brute-force-target-passphrase';
      expect((await request(api.http).post('/api/operators').set('Authorization', `Bearer ${admin}`).send({ email, name: 'Brute', role: 'viewer', password })).status).toBe(201);
      const guesses = await Promise.all(Array.from({ length: 10 }, (_, i) => request(api.http).post('/api/auth/login').send({ email, password: `guess-${i}-wrong` })));
      expect(guesses.every((g) => g.status === 401 || g.status === 429)).toBe(true);
      const [row] = await api.dataSource.query(`SELECT failed_logins, locked_until FROM operators WHERE email = $1`, [email]);
      expect(row.failed_logins).toBeGreaterThanOrEqual(5);
      expect(row.locked_until).not.toBeNull();
      const right = await request(api.http).post('/api/auth/login').send({ email, password });
      expect(right.status).toBe(429);
      expect(right.body.locked_until).toEqual(expect.any(String));
    });
  });

  describe('security headers', () => {
    it('sends the hardening headers on successes, refusals and errors alike', async () => {
      const responses = [
        await request(api.http).get('/api/health'),
        await request(api.http).get('/api/operators'),
        await get('/api/no-such-route'),
        await request(api.http).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":'),
        await get('/api/operators'),
      ];
      for (const response of responses) {
        const where = `${response.req.path} ${response.status}`;
        expect({ where, nosniff: response.headers['x-content-type-options'] }).toEqual({ where, nosniff: 'nosniff' });
        expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
        expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'self'|frame-ancestors 'none'/);
        expect(response.headers['x-frame-options']).toMatch(/SAMEORIGIN|DENY/);
        expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(response.headers['referrer-policy']).toBe('no-referrer');
        expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('answers the API as JSON, so a browser never renders a reflected value as HTML', async () => {
      const response = await get('/api/operators/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    });
  });
});
