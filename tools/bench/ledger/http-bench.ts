/**
 * Gifts per second through the signed HTTP event API (coinops issue 3, item 10; docs/economy.md, "Throughput").
 *   node -r @swc-node/register tools/bench/ledger/http-bench.ts --gifts=60000 --clients=256
 * Creates its own database (coinops_bench_events), funds the users through the ledger, starts the real API
 * (apps/api/src/main.ts) as a child process, then posts signed `gift.sent` events from concurrent keep-alive
 * clients and prints gifts/s, p50/p99 latency, the API's peak RSS and where the CPU went. The client runs on
 * the same 2 cores as the API and PostgreSQL: its share is printed too. `--path=in-process` runs the same steps
 * (signature, validation, GiftPoster) in the benchmark process without HTTP, to show what the HTTP stack costs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { buildRechargeCredit, Ledger, verifyLedger, type LedgerCommand } from '@coinops/ledger';
import { GiftPoster, loadEconomyConfig, parsePlatformEvent, PlatformEventsService, signEvent, verifySignature } from '@coinops/economy';
import { httpGiftSender, type HttpGift, type HttpGiftSender } from './http-sender';
import { cpuJiffies, percentile, serverCounters } from './src/measure';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/coinops_bench_events' },
    users: { type: 'string', default: '10000' },
    creators: { type: 'string', default: '1000' },
    gifts: { type: 'string', default: '60000' },
    clients: { type: 'string', default: '256' },
    /** API replicas (stateless, DESIGN §1), each its own process on its own port, taken in turn by the client. */
    'api-processes': { type: 'string', default: '1' },
    warmup: { type: 'string', default: '5000' },
    /** `http`: the real API in a child process; `in-process`: the same steps (signature, validation, GiftPoster) without HTTP. */
    path: { type: 'string', default: 'http' },
    'api-log-level': { type: 'string', default: 'warn' },
    /** Extra node flags for the API process, e.g. `--prof` to see where its CPU goes. */
    'api-node-args': { type: 'string', default: '' },
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
  gifts: int('gifts', 1, 5_000_000),
  clients: int('clients', 1, 4096),
  apiProcesses: int('api-processes', 1, 8),
  warmup: int('warmup', 0, 1_000_000),
  seed: int('seed', 0, 2 ** 31),
};
const repoRoot = join(__dirname, '../../..');
const API_BOOT_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 20 * 60_000;

/** mulberry32: a seeded generator, so two runs send the same gifts. */
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** CPU ticks (user + system) of one process, from /proc. */
function processTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU ticks of the PostgreSQL backends serving one database (its name is in their process title). */
function backendTicks(database: string): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `)) ticks += processTicks(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function startApi(url: string, secret: string): Promise<{ child: ChildProcess; apiUrl: string }> {
  const port = await freePort();
  const nodeArgs = String(args['api-node-args']).split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--require', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', EVENTS_SECRET: secret, LOG_LEVEL: args['api-log-level'], NODE_ENV: 'development', QUEUE_PREFIX: `coinops-bench-${randomBytes(4).toString('hex')}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + API_BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before answering`);
    const ok = await fetch(`${apiUrl}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { child, apiUrl };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the API did not answer within ${API_BOOT_TIMEOUT_MS} ms`);
}

/** WAL records and full-page images, server-wide (what the counters of src/measure.ts leave out). */
async function walDetail(pool: import('pg').Pool): Promise<{ records: number; fpi: number }> {
  const { rows } = await pool.query(`SELECT wal_records, wal_fpi FROM pg_stat_wal`);
  return { records: Number(rows[0].wal_records), fpi: Number(rows[0].wal_fpi) };
}

/**
 * Everything `POST /api/events` does for a gift but HTTP and NestJS: the same body signed and verified,
 * parsed, and posted through a GiftPoster on a pool like the API's. The difference to `--path=http` is what
 * the HTTP stack costs.
 */
async function inProcessSender(url: string): Promise<HttpGiftSender & { dataSource: import('typeorm').DataSource }> {
  const dataSource = createDataSource({ url, entities: [], poolSize: 20, applicationName: 'coinops-bench-in-process' });
  await dataSource.initialize();
  const ledger = new Ledger(dataSource, { economy: (await loadEconomyConfig(dataSource)).settings });
  const events = new PlatformEventsService(dataSource, new GiftPoster(dataSource, ledger));
  const secret = randomBytes(24).toString('hex');
  const occurredAt = new Date().toISOString();
  return {
    dataSource,
    description: 'in-process: signature check, validation and GiftPoster, no HTTP',
    async send(gift: HttpGift) {
      const body = Buffer.from(JSON.stringify({ id: `evt_${gift.giftId}`, type: 'gift.sent', occurred_at: occurredAt, data: { gift_id: gift.giftId, sender_id: gift.senderId, creator_id: gift.creatorId, coins: gift.coins.toString() } }));
      verifySignature(signEvent(secret, body), body, secret);
      const reply = await events.receive(parsePlatformEvent(JSON.parse(body.toString())));
      return reply.status;
    },
    close: () => dataSource.destroy(),
  };
}

async function main(): Promise<void> {
  if (args.path !== 'http' && args.path !== 'in-process') throw new Error('--path must be http or in-process');
  const url = args.url as string;
  if (!/\/coinops_bench_[a-z_]+$/.test(url)) throw new Error('--url must name a coinops_bench_* database: it is dropped and created again');
  await dropDatabase(url);
  await ensureDatabase(url);
  await runMigrations(url);
  const dataSource = createDataSource({ url, entities: [], poolSize: 4, applicationName: 'coinops-bench-events' });
  await dataSource.initialize();
  const pool = (dataSource.driver as unknown as { master: import('pg').Pool }).master;
  const apis: ChildProcess[] = [];
  const stopTimer = setTimeout(() => {
    console.error(`the benchmark ran past ${RUN_TIMEOUT_MS} ms: stopping`);
    for (const api of apis) api.kill('SIGKILL');
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  try {
    const ledger = new Ledger(dataSource);
    for (let start = 0; start < settings.users; start += 500) {
      const commands: LedgerCommand[] = [];
      for (let u = start; u < Math.min(start + 500, settings.users); u += 1) {
        commands.push({ op: 'transfer', input: buildRechargeCredit({ rechargeId: `fund_${u}`, userId: `u${u}`, coins: 10_000_000n, amountMinor: 9_999n, currency: 'USD', provider: 'stripe' }) });
      }
      if ((await ledger.postBatch(commands)).some((r) => !r.ok)) throw new Error('funding failed');
    }

    let sender: HttpGiftSender;
    if (args.path === 'http') {
      const secret = randomBytes(24).toString('hex');
      const apiUrls: string[] = [];
      for (let i = 0; i < settings.apiProcesses; i += 1) {
        const started = await startApi(url, secret);
        apis.push(started.child);
        apiUrls.push(started.apiUrl);
      }
      sender = httpGiftSender(apiUrls, secret, { connections: settings.clients });
    } else {
      sender = await inProcessSender(url);
    }
    const next = random(settings.seed);
    const makeGift = (label: string) => ({
      giftId: label,
      senderId: `u${Math.floor(next() * settings.users)}`,
      creatorId: `c${Math.floor(next() * settings.creators)}`,
      coins: BigInt(1 + Math.floor(next() * 100)),
    });
    const drive = async (count: number, label: string, latenciesMicros?: Float64Array) => {
      let issued = 0;
      let refused = 0;
      await Promise.all(
        Array.from({ length: Math.min(settings.clients, count) }, async () => {
          while (issued < count) {
            const n = issued++;
            const sentNs = process.hrtime.bigint();
            if ((await sender.send(makeGift(`${label}${n}`))) !== 200) refused += 1;
            if (latenciesMicros) latenciesMicros[n] = Number(process.hrtime.bigint() - sentNs) / 1000;
          }
        }),
      );
      return refused;
    };

    // Untimed: opens every creator's account and the platform shards, warms the JIT and the connections.
    for (let c = 0; c < settings.creators; c += 200) {
      await Promise.all(Array.from({ length: Math.min(200, settings.creators - c) }, (_, i) => sender.send({ ...makeGift(`open${c + i}`), creatorId: `c${c + i}` })));
    }
    await drive(settings.warmup, 'warm');

    const latenciesMicros = new Float64Array(settings.gifts);
    const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const counters = await serverCounters(pool);
    const walBefore = await walDetail(pool);
    const cpu = cpuJiffies();
    const apiTicksOf = () => apis.reduce((sum, api) => sum + processTicks(api.pid as number), 0);
    const apiTicks = apiTicksOf();
    const database = new URL(url).pathname.slice(1);
    const postgresTicks = backendTicks(database);
    const benchCpu = process.cpuUsage();
    const startedNs = process.hrtime.bigint();
    const refused = await drive(settings.gifts, 'g', latenciesMicros);
    const elapsedSeconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const cpuAfter = cpuJiffies();
    const apiTicksUsed = apiTicksOf() - apiTicks;
    const postgresTicksUsed = backendTicks(database) - postgresTicks;
    const benchCpuUsed = process.cpuUsage(benchCpu);
    const countersAfter = await serverCounters(pool);
    const walAfter = await walDetail(pool);
    const apiPeakRss = apis.map((api) => peakRssMb(api.pid as number));
    await sender.close();
    latenciesMicros.sort();

    const ticksPerSecond = 100;
    const machineSeconds = ((cpuAfter.total - cpu.total) / ticksPerSecond) || 1;
    const share = (seconds: number) => `${((100 * seconds) / machineSeconds).toFixed(0)} %`;
    const [{ gifts: giftRows }] = await dataSource.query(`SELECT count(*)::int AS gifts FROM gifts WHERE id LIKE 'g%'`);
    const lines = [
      `path              ${sender.description}`,
      `setup             ${settings.users} funded users, ${settings.creators} creators, ${settings.clients} concurrent clients, ${apis.length} API process(es), LOG_LEVEL=${args['api-log-level']}`,
      `gifts             ${settings.gifts} in ${elapsedSeconds.toFixed(2)} s (${refused} refused), ${giftRows} gift rows`,
      `throughput        ${Math.round(settings.gifts / elapsedSeconds)} gifts/s`,
      `latency           p50 ${(percentile(latenciesMicros, 50) / 1000).toFixed(1)} ms, p99 ${(percentile(latenciesMicros, 99) / 1000).toFixed(1)} ms, max ${(percentile(latenciesMicros, 100) / 1000).toFixed(1)} ms`,
      `peak RSS          API ${apis.length ? apiPeakRss.map((mb) => `${mb.toFixed(0)} MB`).join(' + ') : 'in the benchmark process'}, benchmark process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      `CPU per gift      API ${apis.length ? `${((apiTicksUsed * 10) / settings.gifts).toFixed(3)} ms` : 'in the benchmark process'}, PostgreSQL backends ${((postgresTicksUsed * 10) / settings.gifts).toFixed(3)} ms, benchmark process ${((benchCpuUsed.user + benchCpuUsed.system) / 1000 / settings.gifts).toFixed(3)} ms (load average before: ${loadBefore})`,
      `CPU (2 cores)     machine busy ${((100 * (cpuAfter.busy - cpu.busy)) / (cpuAfter.total - cpu.total)).toFixed(0)} %: API ${share(apiTicksUsed / ticksPerSecond)}, benchmark process ${share((benchCpuUsed.user + benchCpuUsed.system) / 1e6)}, the rest PostgreSQL and the system`,
      `database          ${countersAfter.commits - counters.commits} commits (${(settings.gifts / Math.max(1, countersAfter.commits - counters.commits)).toFixed(1)} gifts each), ${((countersAfter.walBytes - counters.walBytes) / settings.gifts).toFixed(0)} WAL bytes per gift (${((walAfter.records - walBefore.records) / settings.gifts).toFixed(1)} records, ${((walAfter.fpi - walBefore.fpi) / settings.gifts).toFixed(2)} full-page images)`,
    ];
    console.log(lines.join('\n'));
    if (!args['skip-verify']) {
      const report = await verifyLedger(dataSource);
      console.log(`verifyLedger      ${report.ok ? 'ok' : 'VIOLATIONS'} over ${report.counts.postings} postings`);
      if (!report.ok) {
        console.log(report.violations.slice(0, 20));
        process.exitCode = 1;
      }
    }
  } finally {
    clearTimeout(stopTimer);
    for (const api of apis.filter((a) => a.exitCode === null)) {
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await dataSource.destroy();
    if (!args.keep) await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
