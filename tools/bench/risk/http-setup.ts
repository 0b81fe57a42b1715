/**
 * Shared by the HTTP risk benchmark and its profiler: the database and Redis it decides against, the
 * request bodies, and the load generator (autocannon, one request in flight per connection).
 */
import autocannon from 'autocannon';
import type Redis from 'ioredis';
import { createServer } from 'node:net';
import type { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { PAYMENT_METHODS, RiskEngine } from '@coinops/risk';
import { seedRiskEvents } from './src/seed';

const THIS_YEAR = new Date().getUTCFullYear();

export interface Shape {
  users: number;
  events: number;
  connections: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let sequence = 0;
/** A recharge by one of the seeded users, mostly with that user's own card, device and IP (as src/bench.ts). */
export function nextBody(users: number): string {
  const n = ++sequence;
  const u = (n * 104_729) % users;
  return JSON.stringify({
    recharge_id: `http-bench-${n}`,
    user_id: `u-${u}`,
    method: PAYMENT_METHODS[n % 4],
    amount: String(99 * (1 + (n % 20))),
    currency: 'USD',
    coins: 70 * (1 + (n % 20)),
    card_fingerprint: n % 10 === 0 ? `card-new-${n}` : `card-${u}`,
    card_brand: 'visa',
    bin_country: ['US', 'US', 'GB', 'DE'][n % 4],
    device_id: `dev-${u}`,
    ip: `10.${u % 250}.${Math.floor(u / 250) % 250}.2`,
    ip_country: 'US',
    user_country: 'US',
    email: `u${u}@example.com`,
    // birth_year and the account's age come from the users table, as for most real callers.
  });
}

/** The platform's users as `user.created` would have stored them: ages 16 to 65, accounts up to 2 years old. */
export async function seedUsers(db: DataSource, users: number): Promise<void> {
  await db.query(
    `INSERT INTO users (id, country, email, birth_year, profile_received, created_at)
     SELECT 'u-' || u, 'US', 'u' || u || '@example.com', $2 - 16 - (u % 50), true, now() - ((1 + u % 700) * interval '1 day')
       FROM generate_series(0, $1 - 1) AS u`,
    [users, THIS_YEAR],
  );
  await db.query('ANALYZE users');
}

/**
 * A fresh database (dropped first) with the engine benchmark's risk events, the users table, the
 * default rules, and every feature loaded into Redis under `keyPrefix`.
 */
export async function prepareDatabase(url: string, redis: Redis, keyPrefix: string, shape: Shape): Promise<DataSource> {
  if (!/\/coinops_bench_[a-z_]+$/.test(url)) throw new Error('the URL must name a coinops_bench_* database: it is dropped and created again');
  await dropDatabase(url);
  await ensureDatabase(url);
  await runMigrations(url);
  const db = createDataSource({ url, entities: [], poolSize: 4, applicationName: 'coinops-bench-risk-http' });
  await db.initialize();
  await seedRiskEvents(db, { users: shape.users, events: shape.events, days: 30 });
  await seedUsers(db, shape.users);
  const engine = new RiskEngine({ dataSource: db, redis, keyPrefix, autoRebuild: false });
  await engine.seedDefaultRules('bench');
  await engine.rebuildFeatures();
  await engine.close();
  return db;
}

export interface Drive {
  seconds: number;
  latenciesMs: Float64Array;
  statuses: Record<string, number>;
  decisions: Record<string, number>;
  errors: number;
}

export interface Target {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** A fresh body per request (each decision is about another recharge). */
  body?: () => string;
}

/** `amount` requests from `connections` keep-alive connections, one request in flight on each. */
export function load(apiUrl: string, target: Target, amount: number, connections: number): Promise<Drive> {
  const latenciesMs = new Float64Array(amount);
  let recorded = 0;
  const decisions: Record<string, number> = {};
  const makeBody = target.body;
  return new Promise((resolve, reject) => {
    const startedNs = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: apiUrl,
        connections: Math.min(connections, amount),
        amount,
        timeout: 30,
        requests: [
          {
            method: target.method,
            path: target.path,
            headers: target.headers,
            ...(makeBody && { setupRequest: (request: Record<string, unknown>) => ({ ...request, body: makeBody() }) }),
            onResponse: (_status: number, body: string) => {
              const decision = /"decision":"(\w+)"/.exec(body)?.[1] ?? 'none';
              decisions[decision] = (decisions[decision] ?? 0) + 1;
            },
          },
        ],
      },
      (error: Error | null, result: { errors: number; statusCodeStats: Record<string, { count: number }> }) => {
        if (error) return reject(error);
        const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
        const sorted = latenciesMs.slice(0, recorded).sort();
        resolve({ seconds: Number(process.hrtime.bigint() - startedNs) / 1e9, latenciesMs: sorted, statuses, decisions, errors: result.errors });
      },
    );
    // autocannon's own histogram keeps whole milliseconds: keep each response time ourselves.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      if (recorded < amount) latenciesMs[recorded++] = responseTimeMs;
    });
  });
}

/** Pre-charge decisions with the service token, each about another recharge. */
export function decisionsTarget(token: string, shape: Shape): Target {
  return {
    method: 'POST',
    path: '/api/risk/decisions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: () => nextBody(shape.users),
  };
}

/** `amount` decisions, as `load` with the decisions target. */
export function drive(apiUrl: string, token: string, amount: number, shape: Shape): Promise<Drive> {
  return load(apiUrl, decisionsTarget(token, shape), amount, shape.connections);
}

export async function deletePrefix(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

