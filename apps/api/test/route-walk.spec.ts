import { loadConfig } from '@coinops/config';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { walkRoutes, type WalkedRoute } from './routes';

const UNAUTHENTICATED_ALLOWED = new Set(['POST /api/auth/login', 'POST /api/auth/mfa', 'GET /api/health', 'GET /api/health/ready', 'GET /metrics', 'POST /api/events', 'POST /api/risk/decisions']);

const concrete = (path: string) => path.replace(/:[a-zA-Z_]+/g, '00000000-0000-4000-8000-000000000000');

describe('route walk: every route declares who may call it', () => {
  let api: TestApi;
  let routes: WalkedRoute[];
  beforeAll(async () => {
    api = await startApi();
    routes = walkRoutes(api.app);
  });
  afterAll(() => api.close());

  it('finds the routes, each with roles or an explained public exemption, as reviewed in the snapshot', () => {
    expect(routes.length).toBeGreaterThan(10);
    const undeclared = routes.filter((r) => !r.publicBecause && !r.roles?.length);
    expect(undeclared).toEqual([]);
    const publicRoutes = routes.filter((r) => r.publicBecause).map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.filter((r) => !UNAUTHENTICATED_ALLOWED.has(r) && !r.includes('/webhooks/'))).toEqual([]);
    // A permission change shows up in review as a diff of this table.
    expect(routes.map((r) => `${r.method} ${r.path} -> ${r.publicBecause ? `public (${r.publicBecause})` : r.roles!.join(', ')}`)).toMatchSnapshot();
  });

  it('answers 401 to every protected route without a token, with a tampered one, an unsigned one and an expired one', async () => {
    const config = loadConfig();
    const admin = await api.token('admin');
    const [header, payload] = admin.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: claims.sub })).toString('base64url').replace(/.$/, 'A')}.${admin.split('.')[2]}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const expired = new JwtService({ secret: config.JWT_SECRET }).sign({ sub: claims.sub, role: 'admin', ver: claims.ver }, { algorithm: 'HS256', issuer: 'coinops', expiresIn: -10 });
    const otherSecret = new JwtService({ secret: 'x'.repeat(48) }).sign({ sub: claims.sub, role: 'admin', ver: claims.ver }, { algorithm: 'HS256', issuer: 'coinops' });
    for (const route of routes.filter((r) => !r.publicBecause)) {
      for (const [label, authorization] of [
        ['none', undefined],
        ['tampered', `Bearer ${tampered}`],
        ['alg none', `Bearer ${unsigned}`],
        ['expired', `Bearer ${expired}`],
        ['foreign secret', `Bearer ${otherSecret}`],
      ] as const) {
        const call = request(api.http)[route.method.toLowerCase() as 'get'](concrete(route.path));
        const response = await (authorization ? call.set('Authorization', authorization) : call).send({});
        expect({ route: `${route.method} ${route.path}`, label, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, label, status: 401 });
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    }
  });

  it('refuses every write to a viewer', async () => {
    const viewer = await api.token('viewer');
    // Self-service on one's own account (sign out, password, second factor) is every role's, viewers included.
    const writes = routes.filter((r) => !r.publicBecause && r.method !== 'GET' && !r.path.startsWith('/api/auth/'));
    expect(writes.length).toBeGreaterThan(0);
    for (const route of writes) {
      const response = await request(api.http)[route.method.toLowerCase() as 'post'](concrete(route.path)).set('Authorization', `Bearer ${viewer}`).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
    }
  });

  it('refuses operator management to support, even reads', async () => {
    const support = await api.token('support');
    for (const route of routes.filter((r) => r.path.startsWith('/api/operators'))) {
      const response = await request(api.http)[route.method.toLowerCase() as 'get'](concrete(route.path)).set('Authorization', `Bearer ${support}`).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
    }
  });
});
