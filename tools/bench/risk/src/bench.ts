/**
 * Risk engine benchmark: decisions per second and latency percentiles of RiskEngine.evaluate at a
 * realistic feature volume. Creates and drops its own database (coinops_bench_risk) and uses a
 * Redis prefix of its own. Run: `npm run bench -w @coinops/bench-risk` (or `npm run bench` here).
 *
 * Environment (all optional): BENCH_USERS (10000), BENCH_EVENTS (100000), BENCH_DECISIONS (20000),
 * BENCH_RECORDED (3000), BENCH_CONCURRENCY (32), BENCH_BATCH (200: recorded decisions per evaluateBatch; 0 skips),
 * BENCH_AUTO_PIPELINING (1: ioredis auto-pipelining),
 * DATABASE_URL (its server is used), REDIS_URL.
 */
import Redis from 'ioredis';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { EvaluatedEvent, PAYMENT_METHODS, RiskEngine, SubjectFacts } from '@coinops/risk';
import { seedRiskEvents } from './seed';

const USERS = intFromEnv('BENCH_USERS', 10_000, 100, 1_000_000);
const EVENTS = intFromEnv('BENCH_EVENTS', 100_000, 1_000, 5_000_000);
const DECISIONS = intFromEnv('BENCH_DECISIONS', 20_000, 100, 1_000_000);
const RECORDED = intFromEnv('BENCH_RECORDED', 3_000, 0, 100_000);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 32, 1, 1_000);
/** Recorded decisions per `evaluateBatch` call (the worker's batches), one transaction each; 0 skips that run. */
const BATCH = intFromEnv('BENCH_BATCH', 200, 0, 1_000);
const WARMUP = 1_000;
const KEY_PREFIX = 'coinops-bench-risk';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const value = process.env[name] === undefined ? fallback : Number(process.env[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function benchDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/coinops');
  url.pathname = '/coinops_bench_risk';
  return url.toString();
}

async function deletePrefix(redis: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

let sequence = 0;
/** A recharge by one of the seeded users, with that user's usual card, device and IP most of the time. */
function nextRecharge(): { event: EvaluatedEvent; subject: SubjectFacts } {
  const n = ++sequence;
  const u = (n * 104_729) % USERS;
  const event: EvaluatedEvent = {
    kind: 'recharge',
    id: `bench-${process.pid}-${n}`,
    userId: `u-${u}`,
    method: PAYMENT_METHODS[n % 4],
    amountMinor: BigInt(99 * (1 + (n % 20))),
    currency: 'USD',
    coins: BigInt(70 * (1 + (n % 20))),
    cardFingerprint: n % 10 === 0 ? `card-new-${n}` : `card-${u}`,
    binCountry: ['US', 'US', 'GB', 'DE'][n % 4],
    deviceId: `dev-${u}`,
    ip: `10.${u % 250}.${Math.floor(u / 250) % 250}.2`,
    ipCountry: 'US',
    occurredAt: new Date(),
  };
  const subject: SubjectFacts = { country: 'US', createdAt: new Date(Date.now() - (1 + (u % 700)) * 86_400_000), birthYear: 1970 + (u % 35), emailDomain: 'example.com' };
  return { event, subject };
}

interface RunResult {
  decisions: number;
  seconds: number;
  latenciesMs: number[];
  outcomes: Record<string, number>;
}

async function run(engine: RiskEngine, count: number, record: boolean): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const outcomes: Record<string, number> = {};
  let started = 0;
  const begin = process.hrtime.bigint();
  const worker = async () => {
    while (started < count) {
      started += 1;
      const { event, subject } = nextRecharge();
      const t0 = process.hrtime.bigint();
      const decision = await engine.evaluate(event, subject, { record });
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      outcomes[decision.decision] = (outcomes[decision.decision] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { decisions: count, seconds: Number(process.hrtime.bigint() - begin) / 1e9, latenciesMs, outcomes };
}

/** Recorded decisions through `evaluateBatch`, `BATCH` per transaction, two transactions in flight (as the worker). */
async function runBatches(engine: RiskEngine, db: ReturnType<typeof createDataSource>, count: number): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const outcomes: Record<string, number> = {};
  let started = 0;
  const begin = process.hrtime.bigint();
  const worker = async () => {
    while (started < count) {
      const size = Math.min(BATCH, count - started);
      started += size;
      const inputs = Array.from({ length: size }, () => nextRecharge());
      const t0 = process.hrtime.bigint();
      const decisions = await db.transaction((manager) => engine.evaluateBatch(inputs, { manager }));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      for (const decision of decisions) {
        latenciesMs.push(ms);
        outcomes[decision.decision] = (outcomes[decision.decision] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker));
  return { decisions: count, seconds: Number(process.hrtime.bigint() - begin) / 1e9, latenciesMs, outcomes };
}

/** Calls and microseconds Redis spent in EVALSHA so far (server-wide counter, read as a delta). */
async function evalshaStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  const match = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
  return match ? { calls: Number(match[1]), usec: Number(match[2]) } : { calls: 0, usec: 0 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function report(label: string, result: RunResult): void {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const perSecond = Math.round(result.decisions / result.seconds);
  console.log(
    `${label}: ${result.decisions} decisions in ${result.seconds.toFixed(2)} s = ${perSecond}/s | ` +
      `p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, ` +
      `max ${sorted[sorted.length - 1].toFixed(2)} ms | ${JSON.stringify(result.outcomes)}`,
  );
}

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  await dropDatabase(url);
  await ensureDatabase(url);
  await runMigrations(url);
  const db = createDataSource({ url, entities: [], poolSize: 10, applicationName: 'bench-risk' });
  await db.initialize();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: process.env.BENCH_AUTO_PIPELINING === '1' });
  await deletePrefix(redis);
  const engine = new RiskEngine({ dataSource: db, redis, keyPrefix: KEY_PREFIX, autoRebuild: false });
  try {
    console.log(`risk bench: ${EVENTS} events by ${USERS} users over 30 days, concurrency ${CONCURRENCY}, node ${process.version}`);
    let t0 = Date.now();
    await seedRiskEvents(db, { users: USERS, events: EVENTS, days: 30 });
    console.log(`seeded risk_events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const { created } = await engine.seedDefaultRules('bench');
    t0 = Date.now();
    const { events } = await engine.rebuildFeatures();
    console.log(`rebuildFeatures: ${events} events into Redis in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${created.length} default rules`);

    await run(engine, WARMUP, false);
    const before = await evalshaStats(redis);
    const cpuBefore = process.cpuUsage();
    const sync = await run(engine, DECISIONS, false);
    const cpu = process.cpuUsage(cpuBefore);
    const after = await evalshaStats(redis);
    report('evaluate (record: false, synchronous decision)', sync);
    console.log(
      `  per decision: node CPU ${((cpu.user + cpu.system) / DECISIONS).toFixed(0)} us, ` +
        `Redis feature script ${((after.usec - before.usec) / Math.max(1, after.calls - before.calls)).toFixed(0)} us (${after.calls - before.calls} calls)`,
    );
    if (RECORDED > 0) report('evaluate (record: true, observe + decision + alerts)', await run(engine, RECORDED, true));
    if (RECORDED > 0 && BATCH > 0) {
      const cpuBatch = process.cpuUsage();
      report(`evaluateBatch (recorded, ${BATCH} per transaction, 2 in flight; latency = its batch's)`, await runBatches(engine, db, RECORDED));
      const used = process.cpuUsage(cpuBatch);
      console.log(`  per decision: node CPU ${((used.user + used.system) / RECORDED).toFixed(0)} us`);
    }
  } finally {
    await engine.close();
    await deletePrefix(redis);
    redis.disconnect();
    await db.destroy();
    await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
