/**
 * Mixed load (issue 9, item 8): the real API and worker on a database of their own, seeded (operators,
 * the demo economy, 10,000 users, 200 funded senders); autocannon drives a mix of 70 % list and page
 * reads (as the console does, with an admin token), 20 % signed platform events (gift.sent posted in the
 * request, recharge.succeeded evaluated by the worker) and 10 % synchronous risk decisions, for 60 s.
 * Prints requests/s, p50/p99, errors (transport errors, timeouts and non-2xx answers, per category) and
 * the RSS of the api and the worker.
 *
 *   npm run bench -w @coinops/bench-load -- --duration=60 --connections=16
 */
import { accessEntities, DEMO_PASSWORD, seedDemoOperators } from '@coinops/access';
import { DEMO_SECRETS } from '@coinops/config';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { seedDemoEconomy } from '@coinops/economy';
import { Ledger } from '@coinops/ledger';
import { deleteRedisKeys } from '@coinops/outbox';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { Mix, type Category } from './mix';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
const DURATION_S = Math.min(Number(args.duration ?? 60), 3_600);
const CONNECTIONS = Math.min(Number(args.connections ?? 16), 512);
const USERS = 10_000;
const SENDERS = 200;
const DATABASE_URL = args.database ?? 'postgres://postgres@127.0.0.1:5432/coinops_bench_load';
const ROOT = path.resolve(__dirname, '../../..');

interface LatencyResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Peak (VmHWM) and current (VmRSS) resident set of a process, MB. */
function rssMb(child: ChildProcess): { peak: number; now: number } {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const read = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
    return { peak: read('VmHWM'), now: read('VmRSS') };
  } catch {
    return { peak: NaN, now: NaN };
  }
}

function start(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--require', '@swc-node/register', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  return child;
}

async function waitFor(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer`);
}

async function seed(db: DataSource): Promise<void> {
  await seedDemoOperators(db, 'development');
  await seedDemoEconomy(db);
  await db.query(
    `INSERT INTO users (id, country, email, birth_year, profile_received, created_at)
     SELECT 'load-u-' || u, 'US', 'load' || u || '@example.com', 1960 + u % 40, true, now() - ((30 + u % 700) * interval '1 day')
       FROM generate_series(0, $1 - 1) AS u`,
    [USERS],
  );
  // Senders hold enough coins that no gift of the run is refused (a 409 would count as an error).
  const ledger = new Ledger(db);
  for (let u = 0; u < SENDERS; u++) {
    await ledger.creditRecharge({ rechargeId: `load-fund-${u}`, userId: `load-u-${u}`, coins: 10_000_000n, amountMinor: 9_999_900n, currency: 'USD', provider: 'stripe' });
  }
  await db.query('ANALYZE');
}

async function login(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@coinops.dev', password: DEMO_PASSWORD }) });
  if (!response.ok) throw new Error(`admin login: HTTP ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function main(): Promise<void> {
  if (!/\/coinops_bench_[a-z_]+$/.test(DATABASE_URL)) throw new Error('--database must name a coinops_bench_* database: it is dropped and created again');
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  const db = createDataSource({ url: DATABASE_URL, entities: accessEntities, poolSize: 2, applicationName: 'coinops-bench-load' });
  await db.initialize();
  const children: ChildProcess[] = [];
  process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  try {
    await seed(db);
    const port = await freePort();
    const env = {
      DATABASE_URL, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `coinops-bench-load-${process.pid}`, LOGIN_RATE_PER_MINUTE: '600',
    };
    const api = start('api', 'apps/api/src/main.ts', env);
    const worker = start('worker', 'apps/worker/src/main.ts', env);
    children.push(api, worker);
    const apiUrl = `http://127.0.0.1:${port}`;
    await waitFor(`${apiUrl}/api/health/ready`);

    const mix = new Mix({
      token: await login(apiUrl),
      eventsSecret: process.env.EVENTS_SECRET ?? DEMO_SECRETS.EVENTS_SECRET,
      riskToken: process.env.RISK_SERVICE_TOKEN ?? DEMO_SECRETS.RISK_SERVICE_TOKEN,
      users: USERS,
      senders: SENDERS,
      runTag: randomBytes(4).toString('hex'),
    });
    const byCategory: Record<Category, { requests: number; non2xx: number; statuses: Record<string, number> }> = {
      read: { requests: 0, non2xx: 0, statuses: {} },
      event: { requests: 0, non2xx: 0, statuses: {} },
      decision: { requests: 0, non2xx: 0, statuses: {} },
    };
    const latencies = new Map<string, number[]>();
    const result = await new Promise<LatencyResult>((resolve, reject) => {
      autocannon(
        {
          url: apiUrl,
          connections: CONNECTIONS,
          duration: DURATION_S,
          timeout: 10,
          requests: [
            {
              setupRequest: (request, context) => {
                const planned = mix.next();
                context.category = planned.category;
                context.label = planned.label;
                // One request in flight per connection: from here to its answer is its latency (plus the client's own queueing).
                context.startedAt = performance.now();
                return { ...request, method: planned.method, path: planned.path, headers: planned.headers, body: planned.body };
              },
              onResponse: (status, _body, context) => {
                const tally = byCategory[context.category as Category];
                tally.requests += 1;
                tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
                if (status < 200 || status >= 300) tally.non2xx += 1;
                const label = context.label as string;
                if (!latencies.has(label)) latencies.set(label, []);
                latencies.get(label)!.push(performance.now() - (context.startedAt as number));
              },
            },
          ],
        },
        (error, outcome) => (error ? reject(error) : resolve(outcome as unknown as LatencyResult)),
      );
    });
    const rss = { api: rssMb(api), worker: rssMb(worker) };
    const [{ backlog }] = await db.query(`SELECT count(*)::int AS backlog FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM job_receipts j WHERE j.outbox_id = o.id)`);
    const report = {
      duration_s: DURATION_S,
      connections: CONNECTIONS,
      requests: result.requests.total,
      requests_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      max_ms: result.latency.max,
      errors: result.errors + result.timeouts + result.non2xx,
      transport_errors: result.errors,
      timeouts: result.timeouts,
      non_2xx: result.non2xx,
      mix: Object.fromEntries(Object.entries(byCategory).map(([k, v]) => [k, { requests: v.requests, share_pct: +((100 * v.requests) / Math.max(1, result.requests.total)).toFixed(1), non_2xx: v.non2xx, statuses: v.statuses }])),
      by_route: Object.fromEntries(
        [...latencies].sort(([a], [b]) => a.localeCompare(b)).map(([label, values]) => {
          values.sort((x, y) => x - y);
          const at = (p: number) => Math.round(values[Math.min(values.length - 1, Math.floor(p * values.length))]);
          return [label, { n: values.length, p50_ms: at(0.5), p99_ms: at(0.99) }];
        }),
      ),
      api_rss_mb: rss.api,
      worker_rss_mb: rss.worker,
      worker_backlog_at_end: backlog,
      machine: `${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end (shared)`,
    };
    console.log(JSON.stringify(report, null, 2));
    if (report.errors > 0) process.exitCode = 1;
  } finally {
    children.forEach((c) => c.kill('SIGTERM'));
    await db.destroy();
    await new Promise((r) => setTimeout(r, 1_000));
    if (!args.keep) {
      await dropDatabase(DATABASE_URL).catch(() => undefined);
      // The run's queues and risk features live under its own prefix: leave nothing behind in Redis.
      await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `coinops-bench-load-${process.pid}:*`).catch(() => undefined);
    }
  }
}


main().catch((error) => {
  console.error(error);
  process.exit(1);
});
