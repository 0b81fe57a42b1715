/**
 * End-to-end recharge benchmark (issue 4, item 11): the real API and worker processes on a database of
 * their own; N `charge.succeeded` webhooks, each signed the Stripe way, posted by C concurrent clients.
 * Prints webhook throughput and latency (p50/p99), and end to end — from the webhook's arrival to the
 * recharge being decided and credited/held on the ledger — its throughput and p50/p99, plus peak RSS.
 *
 *   npm run bench -w @coinops/bench-recharges -- --recharges=5000 --clients=32
 *   npm run bench -w @coinops/bench-recharges -- --recharges=5000 --rate=1000     # open loop: latency at a given load
 *   npm run bench -w @coinops/bench-recharges -- --recharges=5000 --staged        # webhooks first, then the worker drains them
 */
import { DEMO_SECRETS } from '@coinops/config';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { deleteRedisKeys } from '@coinops/outbox';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import Stripe from 'stripe';
import { machineJiffies, processTicks, redisTicks, TICKS_PER_SECOND } from '../risk/http-measure';
import Redis from 'ioredis';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
const RECHARGES = Math.min(Number(args.recharges ?? 5000), 200_000);
const CLIENTS = Math.min(Number(args.clients ?? 32), 256);
const USERS = Math.min(Number(args.users ?? 10_000), 1_000_000);
/** --rate=N: offer N webhooks/s (open loop) instead of as fast as the clients go; end-to-end latency is then at that load. */
const RATE = Math.min(Number(args.rate ?? 0), 100_000);
/** --warmup=N recharges sent and decided before the measurement (not with --staged, whose worker starts later). */
const WARMUP = args.staged ? 0 : Math.min(Number(args.warmup ?? 2_000), 100_000);
const DATABASE_URL = args.database ?? 'postgres://postgres@127.0.0.1:5432/coinops_bench_recharges';
const ROOT = path.resolve(__dirname, '../../..');
const SECRET = process.env.STRIPE_WEBHOOK_SECRET ?? DEMO_SECRETS.STRIPE_WEBHOOK_SECRET;
const DEADLINE_MS = 10 * 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function peakRssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return NaN;
  }
}

function start(name: string, script: string, env: Record<string, string>): ChildProcess {
  // --profile: a V8 CPU profile of each process in /tmp/coinops-bench-profiles (open in Chrome DevTools).
  const profile = args.profile ? ['--cpu-prof', '--cpu-prof-dir=/tmp/coinops-bench-profiles', `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, '--require', '@swc-node/register', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  return child;
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

function chargeEvent(n: number): string {
  const user = n % USERS;
  const created = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id: `evt_bench_${n}`,
    object: 'event',
    api_version: '2025-08-27.basil',
    created,
    type: 'charge.succeeded',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: `ch_bench_${n}`,
        object: 'charge',
        amount: 99 * (1 + (n % 10)),
        currency: 'usd',
        created,
        paid: true,
        status: 'succeeded',
        payment_method_details: {
          type: 'card',
          card: { brand: 'visa', country: 'US', fingerprint: `fp_${user}`, last4: String(1000 + (user % 9000)), wallet: n % 5 === 0 ? { type: 'apple_pay' } : null },
        },
        metadata: { user_id: `u-${user}`, coins: String(70 * (1 + (n % 10))), device_id: `dev-${user}`, ip: `10.1.${user % 250}.${(user >> 8) % 250}` },
      },
    },
  });
}

async function main(): Promise<void> {
  if (!/\/coinops_bench_[a-z_]+$/.test(DATABASE_URL)) throw new Error('--database must name a coinops_bench_* database: it is dropped and created again');
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  const db = createDataSource({ url: DATABASE_URL, entities: [], poolSize: 2 });
  await db.initialize();
  await db.query(
    `INSERT INTO users (id, country, birth_year, profile_received, created_at)
     SELECT 'u-' || u, 'US', 1960 + u % 40, true, now() - ((30 + u % 700) * interval '1 day') FROM generate_series(0, $1 - 1) AS u`,
    [USERS],
  );

  const port = await freePort();
  const env = { DATABASE_URL, PORT: String(port), NODE_ENV: 'development', LOG_LEVEL: 'warn', QUEUE_PREFIX: `coinops-bench-recharges-${process.pid}`, OUTBOX_POLL_MS: '20', STRIPE_WEBHOOK_SECRET: SECRET };
  const api = start('api', 'apps/api/src/main.ts', env);
  // --staged: the worker starts once every webhook was accepted, so each stage is measured alone
  // (the worker then drains a backlog: its throughput with full batches).
  const worker = args.staged ? (null as unknown as ChildProcess) : start('worker', 'apps/worker/src/main.ts', env);
  let finished = false;
  const children = () => [api, workerProcess].filter((c): c is ChildProcess => c !== null);
  const stop = () => children().forEach((c) => c.kill('SIGTERM'));
  process.on('exit', stop);
  // A process that dies (a boot failure) ends the run at once instead of waiting for the deadline.
  const watch = (name: string, child: ChildProcess) =>
    child.on('exit', (code) => {
      if (finished) return;
      console.error(`${name} exited with code ${code} before the benchmark finished`);
      process.exit(1);
    });
  let workerProcess: ChildProcess | null = worker;
  watch('api', api);
  if (worker) watch('worker', worker);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  /** CPU of the PostgreSQL backends serving the api and the worker (by application name), from /proc. */
  const backendPids = async (): Promise<Array<{ pid: number; app: string }>> =>
    (await db.query(`SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('coinops-api', 'coinops-worker')`)) as Array<{ pid: number; app: string }>;
  /**
   * Pooled backends come and go (idle ones are closed), so their CPU is sampled every 250 ms and each
   * backend counts from its first sample (0 when it appeared after the start) to its last.
   */
  const backendCpu = new Map<number, { app: string; first: number; last: number }>();
  let sampling = true;
  const sampleBackends = async (atStart: boolean) => {
    for (const { pid, app } of await backendPids()) {
      let ticks: number;
      try {
        ticks = processTicks(pid);
      } catch {
        continue;
      }
      const seen = backendCpu.get(pid);
      if (seen) seen.last = ticks;
      else backendCpu.set(pid, { app, first: atStart ? ticks : 0, last: ticks });
    }
  };
  const sampler = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, 250));
      if (sampling) await sampleBackends(false).catch(() => undefined);
    }
  })();
  const ticksOf = (app?: string) => [...backendCpu.values()].filter((b) => !app || b.app === app).reduce((sum, b) => sum + b.last - b.first, 0);
  try {
    await waitFor(`http://127.0.0.1:${port}/api/health/ready`);
    // The warm-up's recharges come first (numbers 0 .. WARMUP - 1); the measured ones follow.
    const bodies = Array.from({ length: RECHARGES }, (_, n) => chargeEvent(WARMUP + n));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const post = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
        const request = http.request(
          { host: '127.0.0.1', port, path: '/api/webhooks/stripe', method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': signature, 'content-length': Buffer.byteLength(body) } },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        request.on('error', reject);
        request.end(body);
      });

    if (WARMUP > 0) {
      // JIT, pools and first-time accounts: sent and decided before anything is measured.
      const warmBodies = Array.from({ length: WARMUP }, (_, n) => chargeEvent(n));
      let warmNext = 0;
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (warmNext < warmBodies.length) await post(warmBodies[warmNext++]).catch(() => 0);
      }));
      const warmDeadline = Date.now() + DEADLINE_MS;
      while (Date.now() < warmDeadline) {
        const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM recharges WHERE evaluated_at IS NOT NULL`);
        if (n >= WARMUP) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const [{ measuredFrom }] = await db.query(`SELECT now() AS "measuredFrom"`);
    const cpuBefore = { api: processTicks(api.pid!), worker: worker ? processTicks(worker.pid!) : 0, redis: await redisTicks(redis), pg: 0, machine: machineJiffies() };
    await sampleBackends(true);
    const started = Date.now();
    const send = async (body: string) => {
      const t0 = performance.now();
      const status = await post(body).catch(() => 0);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    };
    if (RATE > 0) {
      // Open loop: webhook n leaves at n / rate seconds, whatever the answers (at most `clients` in flight).
      const inFlight = new Set<Promise<void>>();
      for (let n = 0; n < bodies.length; n++) {
        const wait = started + (n * 1000) / RATE - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        while (inFlight.size >= CLIENTS) await Promise.race(inFlight);
        const request = send(bodies[n]).finally(() => inFlight.delete(request));
        inFlight.add(request);
      }
      await Promise.all(inFlight);
    } else {
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < bodies.length) await send(bodies[next++]);
        }),
      );
    }
    const sentMs = Date.now() - started;

    let drainStarted = started;
    let apiTicksWhileSending = 0;
    if (!workerProcess) {
      apiTicksWhileSending = processTicks(api.pid!) - cpuBefore.api;
      workerProcess = start('worker', 'apps/worker/src/main.ts', env);
      watch('worker', workerProcess);
      // The backlog's clock starts when the worker takes its first job.
      while (Date.now() < started + DEADLINE_MS) {
        const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM job_receipts`);
        if (n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      drainStarted = Date.now();
      cpuBefore.worker = processTicks(workerProcess.pid!);
    }
    // End to end: every recharge decided (credited, held or blocked) by the worker.
    const deadline = Date.now() + DEADLINE_MS;
    let decided = 0;
    while (Date.now() < deadline) {
      [{ decided }] = await db.query(`SELECT count(*)::int AS decided FROM recharges WHERE evaluated_at IS NOT NULL AND created_at >= $1`, [measuredFrom]);
      if (decided >= RECHARGES - failures) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainedMs = Date.now() - drainStarted;
    await sampleBackends(false);
    sampling = false;
    await sampler;
    const cpuAfter = { api: processTicks(api.pid!), worker: processTicks(workerProcess.pid!), redis: await redisTicks(redis), pg: ticksOf(), machine: machineJiffies() };
    // Microseconds of CPU per recharge (the API's while the webhooks came, with --staged).
    const perRecharge = (ticks: number) => Math.round(((ticks / TICKS_PER_SECOND) * 1e6) / Math.max(1, decided));
    const [span] = await db.query(
      `SELECT extract(epoch FROM max(evaluated_at) - min(created_at)) * 1000 AS span_ms,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM evaluated_at - created_at) * 1000) AS p50_ms,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM evaluated_at - created_at) * 1000) AS p99_ms
         FROM recharges WHERE evaluated_at IS NOT NULL AND created_at >= $1`,
      [measuredFrom],
    );
    const decisions = await db.query(`SELECT state, count(*)::int AS n FROM recharges WHERE created_at >= $1 GROUP BY state ORDER BY state`, [measuredFrom]);
    latencies.sort((a, b) => a - b);
    const report = {
      recharges: RECHARGES,
      warmup: WARMUP,
      clients: CLIENTS,
      offered_per_s: RATE || 'as fast as the clients go',
      webhooks_per_s: Math.round((RECHARGES / sentMs) * 1000),
      webhook_p50_ms: +percentile(latencies, 50).toFixed(1),
      webhook_p99_ms: +percentile(latencies, 99).toFixed(1),
      webhook_failures: failures,
      decided,
      end_to_end_per_s: Math.round((decided / Number(span.span_ms)) * 1000),
      ...(args.staged && { worker_drain_per_s: Math.round((decided / drainedMs) * 1000) }),
      end_to_end_p50_ms: Math.round(Number(span.p50_ms)),
      end_to_end_p99_ms: Math.round(Number(span.p99_ms)),
      states: Object.fromEntries(decisions.map((d: { state: string; n: number }) => [d.state, d.n])),
      cpu_us_per_recharge: {
        api: perRecharge(args.staged ? apiTicksWhileSending : cpuAfter.api - cpuBefore.api),
        worker: perRecharge(cpuAfter.worker - cpuBefore.worker),
        redis: cpuBefore.redis === null || cpuAfter.redis === null ? null : perRecharge(cpuAfter.redis - cpuBefore.redis),
        postgres_backends: perRecharge(cpuAfter.pg - cpuBefore.pg),
        postgres_backends_of_api: perRecharge(ticksOf('coinops-api')),
        postgres_backends_of_worker: perRecharge(ticksOf('coinops-worker')),
      },
      machine_busy_pct: Math.round((100 * (cpuAfter.machine.busy - cpuBefore.machine.busy)) / Math.max(1, cpuAfter.machine.total - cpuBefore.machine.total)),
      load_average: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
      api_peak_rss_mb: peakRssMb(api),
      worker_peak_rss_mb: peakRssMb(workerProcess),
    };
    console.log(JSON.stringify(report, null, 2));
    agent.destroy();
  } finally {
    finished = true;
    sampling = false;
    stop();
    await db.destroy();
    await new Promise((r) => setTimeout(r, 500));
    if (!args.keep) {
      await dropDatabase(DATABASE_URL).catch(() => undefined);
      // The run's queues and risk features live under its own prefix: leave nothing behind in Redis.
      await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `${env.QUEUE_PREFIX}:*`).catch(() => undefined);
    }
    redis.disconnect();
  }
}


main().catch((error) => {
  console.error(error);
  process.exit(1);
});
