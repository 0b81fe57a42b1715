/**
 * Pre-charge decisions per second through the real HTTP endpoint, `POST /api/risk/decisions`
 * (coinops issue 4; docs/risk.md, "HTTP API"). Target: >= 2,000 decisions/s with p99 <= 20 ms on 2 cores.
 *
 *   node -r @swc-node/register tools/bench/risk/http-bench.ts [--decisions=30000] [--connections=32]
 *
 * Creates its own database (coinops_bench_risk_http: dropped and created again), seeds risk_events
 * (the engine benchmark's shape) and the users table, loads the features into Redis under a prefix of
 * its own, starts the API (apps/api/src/main.ts) as a child process, drives it with autocannon over
 * keep-alive connections, and prints decisions/s, latency percentiles, the API's peak RSS and where
 * the two cores went (API, benchmark client, Redis, PostgreSQL). The client shares the cores with the
 * API, Redis and PostgreSQL: its share is printed too.
 */
import Redis from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dropDatabase } from '@coinops/db';
import { deletePrefix, drive, freePort, load, prepareDatabase, type Target } from './http-setup';
import { backendTicks, evalshaStats, machineJiffies, peakRssMb, percentile, processTicks, redisTicks, TICKS_PER_SECOND } from './http-measure';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/coinops_bench_risk_http' },
    users: { type: 'string', default: '10000' },
    events: { type: 'string', default: '100000' },
    decisions: { type: 'string', default: '30000' },
    warmup: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '32' },
    'api-log-level': { type: 'string', default: 'warn' },
    /** Extra node flags for the API process, e.g. `--prof` to see where its CPU goes. */
    'api-node-args': { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
    /** Skip measuring the API's CPU per request on cheaper routes (which separates the framework from the decision). */
    'skip-floor': { type: 'boolean', default: false },
  },
});

const int = (name: keyof typeof args, min: number, max: number): number => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return value;
};
const settings = {
  users: int('users', 100, 1_000_000),
  events: int('events', 1_000, 5_000_000),
  decisions: int('decisions', 100, 5_000_000),
  warmup: int('warmup', 0, 1_000_000),
  connections: int('connections', 1, 1_024),
};
const repoRoot = join(__dirname, '../../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY_PREFIX = `coinops-bench-risk-http-${randomBytes(3).toString('hex')}`;
const APPLICATION_NAME = 'coinops-api';
const API_BOOT_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 20 * 60_000;

async function startApi(url: string, token: string): Promise<{ child: ChildProcess; apiUrl: string }> {
  const port = await freePort();
  const nodeArgs = String(args['api-node-args']).split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--require', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url, REDIS_URL, PORT: String(port), HOST: '127.0.0.1', RISK_SERVICE_TOKEN: token, LOG_LEVEL: args['api-log-level'], NODE_ENV: 'development', QUEUE_PREFIX: KEY_PREFIX },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + API_BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before answering`);
    if (await fetch(`${apiUrl}/api/health`).then((r) => r.ok, () => false)) return { child, apiUrl };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the API did not answer within ${API_BOOT_TIMEOUT_MS} ms`);
}

async function main(): Promise<void> {
  const url = args.url as string;
  const redis = new Redis(REDIS_URL);
  let api: ChildProcess | undefined;
  let db: import('typeorm').DataSource | undefined;
  const stopTimer = setTimeout(() => {
    console.error(`the benchmark ran past ${RUN_TIMEOUT_MS} ms: stopping`);
    api?.kill('SIGKILL');
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  try {
    console.log(`risk HTTP bench: ${settings.events} risk events by ${settings.users} users, ${settings.decisions} decisions from ${settings.connections} connections, node ${process.version}`);
    let t0 = Date.now();
    db = await prepareDatabase(url, redis, KEY_PREFIX, settings);
    console.log(`seeded the database and loaded the features into Redis in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const token = randomBytes(24).toString('hex');
    t0 = Date.now();
    const started = await startApi(url, token);
    api = started.child;
    console.log(`API up in ${((Date.now() - t0) / 1000).toFixed(1)} s (LOG_LEVEL=${args['api-log-level']})`);
    if (settings.warmup > 0) await drive(started.apiUrl, token, settings.warmup, settings);

    // The API's pool is open after the warm-up; other APIs on this server use the same name, not this database.
    const backends: Array<{ pid: number }> = await db.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [APPLICATION_NAME]);
    const backendPids = backends.map((row) => row.pid);
    const before = {
      machine: machineJiffies(),
      api: processTicks(api.pid as number),
      redis: await redisTicks(redis),
      postgres: backendTicks(backendPids),
      evalsha: await evalshaStats(redis),
      client: process.cpuUsage(),
    };
    const loadBefore = loadavg()[0];
    const run = await drive(started.apiUrl, token, settings.decisions, settings);
    const after = {
      machine: machineJiffies(),
      api: processTicks(api.pid as number),
      redis: await redisTicks(redis),
      postgres: backendTicks(backendPids),
      evalsha: await evalshaStats(redis),
      client: process.cpuUsage(before.client),
    };
    const machineSeconds = (after.machine.total - before.machine.total) / TICKS_PER_SECOND || 1;
    const share = (seconds: number) => `${((100 * seconds) / machineSeconds).toFixed(0)} %`;
    const perDecisionUs = (ticks: number) => ((ticks / TICKS_PER_SECOND) * 1e6) / settings.decisions;
    const apiTicks = after.api - before.api;
    const redisTicksUsed = before.redis !== null && after.redis !== null ? after.redis - before.redis : null;
    const postgresTicks = after.postgres - before.postgres;
    const clientSeconds = (after.client.user + after.client.system) / 1e6;
    const evalshaCalls = after.evalsha.calls - before.evalsha.calls;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      [
        `endpoint          POST ${started.apiUrl}/api/risk/decisions (service token), autocannon ${settings.connections} keep-alive connections, 1 request in flight each`,
        `decisions         ${settings.decisions} in ${run.seconds.toFixed(2)} s; HTTP ${JSON.stringify(run.statuses)}; ${JSON.stringify(run.decisions)}; ${run.errors} transport errors`,
        `throughput        ${Math.round(settings.decisions / run.seconds)} decisions/s`,
        `latency           p50 ${ms(percentile(run.latenciesMs, 50))}, p95 ${ms(percentile(run.latenciesMs, 95))}, p99 ${ms(percentile(run.latenciesMs, 99))}, max ${ms(percentile(run.latenciesMs, 100))}`,
        `peak RSS          API ${peakRssMb(api.pid as number).toFixed(0)} MB, benchmark client ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
        `CPU (2 cores)     machine busy ${((100 * (after.machine.busy - before.machine.busy)) / (after.machine.total - before.machine.total)).toFixed(0)} %: ` +
          `API ${share(apiTicks / TICKS_PER_SECOND)} (${((100 * apiTicks) / TICKS_PER_SECOND / run.seconds).toFixed(0)} % of one core), client ${share(clientSeconds)}, ` +
          `Redis ${redisTicksUsed === null ? 'n/a' : share(redisTicksUsed / TICKS_PER_SECOND)}, PostgreSQL backends ${share(postgresTicks / TICKS_PER_SECOND)}`,
        `per decision      API ${perDecisionUs(apiTicks).toFixed(0)} us CPU, Redis feature script ${((after.evalsha.usec - before.evalsha.usec) / Math.max(1, evalshaCalls)).toFixed(0)} us (${evalshaCalls} calls), ` +
          `PostgreSQL ${perDecisionUs(postgresTicks).toFixed(0)} us (users lookup)`,
        `machine           load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after (2 cores; other work on the box counts)`,
      ].join('\n'),
    );
    if (!args['skip-floor']) await measureFloor(started.apiUrl, api.pid as number);
  } finally {
    clearTimeout(stopTimer);
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((resolve) => api!.once('exit', resolve));
    }
    await deletePrefix(redis, KEY_PREFIX);
    redis.disconnect();
    await db?.destroy();
    if (!args.keep) await dropDatabase(url);
  }
}

/**
 * The API's CPU per request on routes that do less than a decision: the same process, the same
 * global middleware (logging, metrics, helmet, CORS, body parsing, guards), so the difference to a
 * decision is what the decision itself costs.
 */
async function measureFloor(apiUrl: string, apiPid: number): Promise<void> {
  const amount = Math.min(settings.decisions, 10_000);
  const targets: Array<[string, Target]> = [
    ['GET /api/health (no body, no database)', { method: 'GET', path: '/api/health', headers: {} }],
    [
      'POST /api/risk/decisions, wrong token (body parsed, refused by the guard)',
      { method: 'POST', path: '/api/risk/decisions', headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token' }, body: () => '{"user_id":"u-1","method":"card","amount":"499","currency":"USD","coins":350}' },
    ],
  ];
  for (const [label, target] of targets) {
    const ticks = processTicks(apiPid);
    const run = await load(apiUrl, target, amount, settings.connections);
    const perRequestUs = (((processTicks(apiPid) - ticks) / TICKS_PER_SECOND) * 1e6) / amount;
    console.log(`floor             ${label}: API ${perRequestUs.toFixed(0)} us CPU per request, ${Math.round(amount / run.seconds)} requests/s, HTTP ${JSON.stringify(run.statuses)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
