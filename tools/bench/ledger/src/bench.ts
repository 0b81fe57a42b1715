/**
 * Gifts per second through @coinops/ledger (docs/ledger.md, "Benchmark").
 *   npm run bench -w @coinops/bench-ledger                     (defaults: 100,000 gifts, 512 clients)
 *   npm run bench -w @coinops/bench-ledger -- --batch-size=1    (one database transaction per gift)
 * Creates its own database (coinops_bench_ledger), funds 10,000 users, then posts gifts from random users to
 * 1,000 random creators from concurrent callers, and prints gifts/s, p50/p99 latency and peak RSS.
 */
import { parseArgs } from 'node:util';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { buildRechargeCredit, GiftEntry, Ledger, LedgerCommand, verifyLedger } from '@coinops/ledger';
import { backendCpuSeconds, cpuJiffies, percentile, processCpuSeconds, rssSampler, serverCounters } from './measure';
import { GiftSender, httpSender, libSender } from './senders';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'lib' },
    // The Unix socket: PostgreSQL on the same box (TCP on 127.0.0.1 costs ~15 % more, docs/ledger.md).
    url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost/coinops_bench_ledger?host=/var/run/postgresql' },
    api: { type: 'string', default: 'http://127.0.0.1:3000' },
    users: { type: 'string', default: '10000' },
    creators: { type: 'string', default: '1000' },
    gifts: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '512' },
    'batch-size': { type: 'string', default: '250' },
    'batches-in-flight': { type: 'string', default: '2' },
    'max-wait-ms': { type: 'string', default: '2' },
    shards: { type: 'string', default: '16' },
    seed: { type: 'string', default: '42' },
    keep: { type: 'boolean', default: false },
    'skip-verify': { type: 'boolean', default: false },
  },
});

const int = (name: keyof typeof args, min: number, max: number): number => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return value;
};

const settings = {
  users: int('users', 1, 1_000_000),
  creators: int('creators', 1, 100_000),
  gifts: int('gifts', 1, 10_000_000),
  clients: int('clients', 1, 10_000),
  batchSize: int('batch-size', 1, 1000),
  batchesInFlight: int('batches-in-flight', 1, 32),
  maxWaitMs: int('max-wait-ms', 0, 1000),
  shards: int('shards', 1, 64),
  seed: int('seed', 0, 2 ** 31),
};

/** mulberry32: a seeded generator, so two runs post the same gifts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function fundUsers(ledger: Ledger): Promise<void> {
  for (let start = 0; start < settings.users; start += 500) {
    const commands: LedgerCommand[] = [];
    for (let u = start; u < Math.min(start + 500, settings.users); u += 1) {
      commands.push({ op: 'transfer', input: buildRechargeCredit({ rechargeId: `fund_${u}`, userId: `u${u}`, coins: 10_000_000n, amountMinor: 9_999n, currency: 'USD', provider: 'stripe' }) });
    }
    const results = await ledger.postBatch(commands);
    if (results.some((r) => !r.ok)) throw new Error('funding failed');
  }
}

async function main(): Promise<void> {
  if (args.mode !== 'lib' && args.mode !== 'http') throw new Error('--mode must be lib or http');
  // Before any setup: fails with its TODO until the events API provides the HTTP sender.
  if (args.mode === 'http') await httpSender(args.api as string).close();
  const url = args.url as string;
  await dropDatabase(url);
  await ensureDatabase(url);
  await runMigrations(url);
  const poolSize = settings.batchSize <= 1 ? Math.min(settings.clients, 40) : settings.batchesInFlight + 2;
  const applicationName = 'coinops-bench-ledger';
  const dataSource = createDataSource({ url, entities: [], poolSize, applicationName });
  await dataSource.initialize();
  const pool = (dataSource.driver as unknown as { master: import('pg').Pool }).master;
  try {
    const ledger = new Ledger(dataSource, { shardCount: settings.shards });
    await fundUsers(ledger);
    const sender: GiftSender = args.mode === 'http' ? httpSender(args.api as string) : libSender(ledger, settings);
    const next = random(settings.seed);
    const makeGift = (n: number): GiftEntry => ({
      giftId: `g${n}`,
      senderId: `u${Math.floor(next() * settings.users)}`,
      creatorId: `c${Math.floor(next() * settings.creators)}`,
      coins: BigInt(1 + Math.floor(next() * 100)),
    });
    // Warm-up, untimed: opens every creator's account and the platform shards, and warms plans and caches.
    for (let c = 0; c < settings.creators; c += 1) await sender.send({ ...makeGift(-1 - c), giftId: `warm${c}`, creatorId: `c${c}` });

    const statsBefore = ledger.stats();
    const latenciesMicros = new Float64Array(settings.gifts);
    let issued = 0;
    const rss = rssSampler();
    const counters = await serverCounters(pool);
    const cpu = cpuJiffies();
    const nodeCpu = processCpuSeconds();
    // Pool connections are all open after the warm-up, so the same backends serve the timed part.
    const backendCpu = await backendCpuSeconds(pool, applicationName);
    const startedNs = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: settings.clients }, async () => {
        while (issued < settings.gifts) {
          const n = issued++;
          const gift = makeGift(n);
          const sentNs = process.hrtime.bigint();
          await sender.send(gift);
          latenciesMicros[n] = Number(process.hrtime.bigint() - sentNs) / 1000;
        }
      }),
    );
    const elapsedSeconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const cpuAfter = cpuJiffies();
    const nodeCpuMicrosPerGift = ((processCpuSeconds() - nodeCpu) * 1e6) / settings.gifts;
    const backendCpuMicrosPerGift = (((await backendCpuSeconds(pool, applicationName)) - backendCpu) * 1e6) / settings.gifts;
    const countersAfter = await serverCounters(pool);
    const peakRssMb = rss.stop();
    await sender.close();
    latenciesMicros.sort();

    const statsAfter = ledger.stats();
    const stats = {
      batches: statsAfter.batches - statsBefore.batches,
      commands: statsAfter.commands - statsBefore.commands,
      retriedRaces: statsAfter.retriedRaces - statsBefore.retriedRaces,
      retriedDeadlocks: statsAfter.retriedDeadlocks - statsBefore.retriedDeadlocks,
    };
    const lines = [
      `mode              ${args.mode}: ${sender.description}`,
      `setup             ${settings.users} users, ${settings.creators} creators, ${settings.clients} concurrent clients, ${settings.shards} shards per hot account`,
      `gifts             ${settings.gifts} in ${elapsedSeconds.toFixed(2)} s`,
      `throughput        ${Math.round(settings.gifts / elapsedSeconds)} gifts/s`,
      `latency           p50 ${(percentile(latenciesMicros, 50) / 1000).toFixed(1)} ms, p99 ${(percentile(latenciesMicros, 99) / 1000).toFixed(1)} ms, max ${(percentile(latenciesMicros, 100) / 1000).toFixed(1)} ms`,
      `peak RSS (node)   ${peakRssMb.toFixed(0)} MB`,
      `machine CPU busy  ${((100 * (cpuAfter.busy - cpu.busy)) / (cpuAfter.total - cpu.total)).toFixed(0)} % of all cores`,
      `CPU per gift      ${nodeCpuMicrosPerGift.toFixed(0)} µs in node, ${backendCpuMicrosPerGift.toFixed(0)} µs in PostgreSQL backends`,
      `database          ${countersAfter.commits - counters.commits} commits, ${countersAfter.walSyncs - counters.walSyncs} WAL syncs, ${((countersAfter.walBytes - counters.walBytes) / settings.gifts).toFixed(0)} WAL bytes per gift`,
      `ledger            ${stats.batches} batches (${(stats.commands / Math.max(1, stats.batches)).toFixed(1)} commands each), retried: ${stats.retriedRaces} races, ${stats.retriedDeadlocks} deadlocks`,
    ];
    console.log(lines.join('\n'));
    if (!args['skip-verify']) {
      const startedVerify = Date.now();
      const report = await verifyLedger(dataSource);
      console.log(`verifyLedger      ${report.ok ? 'ok' : 'VIOLATIONS'} over ${report.counts.postings} postings in ${Date.now() - startedVerify} ms`);
      if (!report.ok) {
        console.log(report.violations.slice(0, 20));
        process.exitCode = 1;
      }
    }
  } finally {
    await dataSource.destroy();
    if (!args.keep) await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
