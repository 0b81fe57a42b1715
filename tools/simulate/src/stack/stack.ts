import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { deleteRedisKeys } from '@coinops/outbox';
import pg from 'pg';
import { startStripeSim, type StripeSimServer } from '../stripe-server/server';

const ROOT = path.resolve(__dirname, '../../../..');
const BOOT_TIMEOUT_MS = 120_000;
const MAX_LOG_LINES = 200;

export interface Stack {
  apiUrl: string;
  stripeSimUrl: string;
  eventsSecret: string;
  databaseName: string;
  sim: StripeSimServer;
  stop(): Promise<void>;
}

interface Child {
  name: string;
  process: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--require', '@swc-node/register', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (log.length > MAX_LOG_LINES) log.splice(0, log.length - MAX_LOG_LINES);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, process: child, log, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

function failure(child: Child, what: string): Error {
  return new Error(`${child.name} ${what}\n--- last output ---\n${child.log.slice(-40).join('\n')}`);
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5_000);
  await child.exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function until(child: Child, ready: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw failure(child, `exited before ${what}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw failure(child, `did not get to ${what} within ${BOOT_TIMEOUT_MS / 1000} s`);
}

/**
 * A whole coinops of its own for the rule-quality run and the integration test: a fresh
 * `coinops_bench_sim_*` database (migrated, demo operators), the API and the worker on free ports with a
 * queue/Redis prefix of their own, and the Stripe simulator server in this process. `stop()` stops
 * everything it started and drops the database and the Redis keys.
 */
export async function startStack(options: { log?: (line: string) => void } = {}): Promise<Stack> {
  const say = options.log ?? (() => undefined);
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `coinops_bench_sim_${suffix}`;
  const serverUrl = (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/coinops').replace(/\/[^/]*$/, '');
  const queuePrefix = `coinops-sim-${suffix}`;
  const eventsSecret = `sim-events-${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_sim_${randomBytes(12).toString('hex')}`;
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: `${serverUrl}/${databaseName}`,
    QUEUE_PREFIX: queuePrefix,
    EVENTS_SECRET: eventsSecret,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_KEY: 'sk_test_coinops_simulator',
    OUTBOX_POLL_MS: '100',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
  let api: Child | undefined;
  let worker: Child | undefined;
  let sim: StripeSimServer | undefined;
  let created = false;
  const stop = async () => {
    await stopChild(api);
    await stopChild(worker);
    await sim?.stop();
    if (created) await dropDatabase(serverUrl, databaseName);
    await dropRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queuePrefix);
  };
  try {
    say(`database ${databaseName}: migrating and seeding the demo operators`);
    created = true;
    const seed = start('seed', ['tools/dev/seed.ts', '--no-demo-economy'], env);
    const code = await seed.exited;
    if (code !== 0) throw failure(seed, `exited with ${code}`);
    // The simulator takes any free port but the one reserved for the API.
    for (let attempt = 0; attempt < 5 && (!sim || sim.port === apiPort); attempt++) {
      await sim?.stop();
      sim = await startStripeSim({ port: 0, webhookUrl: `http://127.0.0.1:${apiPort}/api/webhooks/stripe`, webhookSecret, seed: `stack-${suffix}` });
    }
    env.STRIPE_API_BASE = sim!.url;
    api = start('api', ['apps/api/src/main.ts'], { ...env, PORT: String(apiPort), HOST: '127.0.0.1', LOGIN_RATE_PER_MINUTE: '300' });
    worker = start('worker', ['apps/worker/src/main.ts'], env);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await until(api, async () => (await fetch(`${apiUrl}/api/health`).catch(() => null))?.status === 200, 'a healthy /api/health');
    await until(worker, () => worker!.log.some((line) => /coinops worker running/.test(line)), 'running');
    say(`api ${apiUrl}, worker, stripe simulator ${sim!.url}`);
    return { apiUrl, stripeSimUrl: sim!.url, eventsSecret, databaseName, sim: sim!, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^coinops_bench_sim_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Removes this run's BullMQ and risk-feature keys (bounded SCAN; only keys under our own prefix). */
async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  if (!/^coinops-sim-[0-9a-f]+$/.test(prefix)) return;
  // best effort: the keys are small and namespaced
  await deleteRedisKeys(url, `*${prefix}*`).catch(() => undefined);
}
