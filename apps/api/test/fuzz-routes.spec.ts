import { AuthService, DEMO_PASSWORD } from '@coinops/access';
import { loadConfig } from '@coinops/config';
import { signEvent, SIGNATURE_HEADER } from '@coinops/economy';
import fc from 'fast-check';
import Stripe from 'stripe';
import request from 'supertest';
import { startIsolatedApi, type TestApi } from './harness';
import { concretePath, walkRoutes, type WalkedRoute } from './routes';

/**
 * Fuzzes every route of the Nest router with fast-check: bodies (shaped after the OpenAPI schema, then
 * broken), list queries (filter, sort, range, q), path ids and headers (tokens, signatures, content types).
 * Two properties hold for every case: the answer is never 5xx, and a refused request (4xx) writes nothing,
 * which a row trigger on every table counts inside the request's own transaction.
 *
 * FUZZ_RUNS sets the number of cases (default 10,000; see docs/security.md for the measured time).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/**
 * Routes that record a refusal on purpose: a wrong password or TOTP code is audited and counts towards the
 * lock-out, whether at sign-in or when changing the password or the second factor.
 */
const AUDITS_REFUSALS = new Set(['POST /api/auth/login', 'POST /api/auth/mfa', 'POST /api/auth/password', 'POST /api/auth/totp/confirm', 'POST /api/auth/totp/disable']);
/** Reads that are audited on purpose: a user's data export records who exported it. */
const AUDITED_READS = new Set(['GET /api/users/:id/export']);
/** Routes that end the caller's own session(s): the fuzz signs that role in again, to keep fuzzing as it. */
const ENDS_SESSIONS = new Set(['POST /api/auth/logout', 'POST /api/auth/sessions/revoke-all', 'DELETE /api/auth/sessions/:id', 'POST /api/auth/totp/confirm']);

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE operators; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  "admin'--",
  '$1',
  '%',
  '_',
  '\\',
  '\u0000',
  '{{7*7}}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '9'.repeat(40),
  '-1',
  'NaN',
  '1e309',
  '２０',
];

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...INJECTIONS), fc.uuid(), fc.emailAddress(), fc.string({ unit: 'grapheme', maxLength: 20 }));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String));
const json = fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.jsonValue({ maxDepth: 2 }), fc.array(scalar, { maxLength: 4 }), fc.dictionary(text, scalar, { maxKeys: 4 }));

const COMMON_FILTERS = ['q', 'id', 'state', 'user_id', 'email', 'ip', 'role', 'kind', 'created_at_gte', 'created_at_lte', 'amount_minor_gte', 'coins', 'disabled', 'frozen'];
const COMMON_SORTS = ['id', 'created_at', 'email', 'state', 'amount_minor', 'password_hash', 'created_at; DROP TABLE users', '1', ''];

const filter = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...COMMON_FILTERS), text), json, { maxKeys: 3 }).map((f) => JSON.stringify(f)),
  text,
);
const sort = fc.oneof(
  fc.tuple(fc.oneof(fc.constantFrom(...COMMON_SORTS), text), fc.oneof(fc.constantFrom('ASC', 'DESC', 'asc', 'SIDEWAYS'), text)).map((s) => JSON.stringify(s)),
  json.map((v) => JSON.stringify(v)),
  text,
);
const range = fc.oneof(
  fc.tuple(fc.integer({ min: -5, max: 200_000 }), fc.integer({ min: -5, max: 200_000 })).map((r) => JSON.stringify(r)),
  json.map((v) => JSON.stringify(v)),
  text,
);
const query = fc.record(
  { filter, sort, range, q: text, page: fc.oneof(text, fc.integer().map(String)), perPage: fc.integer().map(String) },
  { requiredKeys: [] },
);

function bodyFor(route: WalkedRoute): fc.Arbitrary<unknown> {
  const fields = Object.entries(route.bodyFields);
  const valueFor = (schema: WalkedRoute['bodyFields'][string]) =>
    fc.oneof(
      schema.enum ? fc.constantFrom(...schema.enum) : schema.type === 'boolean' ? fc.boolean() : schema.type === 'integer' || schema.type === 'number' ? fc.integer({ min: -10, max: 100_000 }) : text,
      json,
    );
  const shaped = fields.length
    ? fc.record(Object.fromEntries(fields.map(([name, schema]) => [name, valueFor(schema)])), { requiredKeys: [] })
    : fc.constant({});
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: 1, arbitrary: fc.tuple(shaped, fc.dictionary(text, json, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...(a as object) })) },
    { weight: 1, arbitrary: json },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

type Caller = 'admin' | 'ts' | 'finance' | 'support' | 'viewer' | 'none' | 'garbage';

describe('fuzzing every route: never a 5xx, and a refused request writes nothing', () => {
  let api: TestApi;
  let routes: WalkedRoute[];
  const tokens = new Map<Caller, string>();
  const config = loadConfig();
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    api = await startIsolatedApi('fuzz');
    routes = walkRoutes(api.app);
    for (const who of ['admin', 'ts', 'finance', 'support', 'viewer'] as const) tokens.set(who, await api.token(who));
    // A transactional counter bumped by every row written anywhere: a rolled-back write does not count.
    await api.dataSource.query(`
      CREATE TABLE fuzz_writes (n bigint NOT NULL);
      INSERT INTO fuzz_writes VALUES (0);
      CREATE FUNCTION fuzz_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE fuzz_writes SET n = n + 1; RETURN NULL; END $$;`);
    const tables: Array<{ name: string }> = await api.dataSource.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('fuzz_writes', 'migrations')`,
    );
    for (const { name } of tables) {
      await api.dataSource.query(`CREATE TRIGGER fuzz_count_write AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION fuzz_count_write()`);
    }
  }, 60_000);
  afterAll(async () => {
    process.stdout.write(`fuzz: ${RUNS} cases over ${routes?.length} routes; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    await api?.close();
  });

  /** Straight through the service: the fuzz may have used up the per-IP sign-in rate limit. */
  const signIn = async (who: Caller) => {
    const reply = await api.app.get(AuthService).login(`${who}@coinops.dev`, DEMO_PASSWORD, null);
    if (!('token' in reply)) throw new Error(`could not sign ${who} in again`);
    return reply.token;
  };
  const writes = async () => Number((await api.dataSource.query(`SELECT n FROM fuzz_writes`))[0].n);

  it('counts a committed write, so the no-write check below can fail', async () => {
    const before = await writes();
    const created = await request(api.http).post('/api/operators').set('Authorization', `Bearer ${tokens.get('admin')}`).send({ email: 'fuzz.probe@coinops.dev', name: 'Probe', role: 'viewer', password: 'fuzz-probe-password-long' });
    expect(created.status).toBe(201);
    expect(await writes()).toBeGreaterThan(before);
  });

  it(`answers ${RUNS} random requests without a 5xx, and refused ones leave every table as it was`, async () => {
    const ids = fc.oneof(fc.uuid(), text, fc.integer().map(String), fc.constantFrom('me', 'counts', '0', 'u_1', '99999999999999999999'));
    const caller = fc.constantFrom<Caller>('admin', 'admin', 'ts', 'finance', 'support', 'viewer', 'none', 'garbage');
    const headers = fc.record(
      {
        contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data'),
        requestId: text,
        range: text,
        signed: fc.boolean(),
        stale: fc.boolean(),
      },
      { requiredKeys: ['contentType', 'signed', 'stale'] },
    );
    const routeCase = fc.constantFrom(...routes).chain((route) => fc.record({ route: fc.constant(route), id: ids, query, body: bodyFor(route), caller, headers }));

    await fc.assert(
      fc.asyncProperty(routeCase, async ({ route, id, query: q, body, caller: who, headers: h }) => {
        const raw = body === undefined ? '' : JSON.stringify(body);
        let call = request(api.http)[route.method.toLowerCase() as 'post'](concretePath(route.path, id)).query(q);
        call = call.set('Content-Type', h.contentType);
        if (h.requestId !== undefined) call = call.set('X-Request-Id', h.requestId.replace(/[^\x20-\x7e]/g, ''));
        if (h.range !== undefined) call = call.set('Range', h.range.replace(/[^\x20-\x7e]/g, ''));
        if (who === 'garbage') call = call.set('Authorization', `Bearer ${'x'.repeat(12)}.${raw.slice(0, 20).replace(/[^\x20-\x7e]/g, '')}`);
        else if (who !== 'none') call = call.set('Authorization', `Bearer ${tokens.get(who)}`);
        // Signed machine endpoints: sometimes a valid signature over the random body, so the fuzz gets past the check.
        const at = Math.floor(Date.now() / 1000) - (h.stale ? 3600 : 0);
        if (route.path === '/api/events' && h.signed) call = call.set(SIGNATURE_HEADER, signEvent(config.EVENTS_SECRET, raw, at));
        if (route.path === '/api/webhooks/stripe' && h.signed) {
          call = call.set('Stripe-Signature', Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: config.STRIPE_WEBHOOK_SECRET, timestamp: at }));
        }
        if (route.path === '/api/risk/decisions' && h.signed) call = call.set('Authorization', `Bearer ${config.RISK_SERVICE_TOKEN}`);

        const before = await writes();
        const response = raw === '' ? await call : await call.send(raw);
        const after = await writes();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const label = `${route.method} ${route.path} as ${who} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
        if (response.status >= 500) throw new Error(`5xx: ${label}`);
        const refused = response.status >= 400 && !AUDITS_REFUSALS.has(`${route.method} ${route.path}`);
        if (refused && after !== before) throw new Error(`a refused request wrote ${after - before} row(s): ${label}`);
        if (route.method === 'GET' && !AUDITED_READS.has(`${route.method} ${route.path}`) && after !== before) throw new Error(`a GET wrote ${after - before} row(s): ${label}`);
        if (response.status < 300 && ENDS_SESSIONS.has(`${route.method} ${route.path}`) && tokens.has(who)) tokens.set(who, await signIn(who));
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 20 * 60_000, markInterruptAsFailure: true },
    );
  }, 30 * 60_000);
});
