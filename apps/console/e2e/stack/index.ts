import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { deleteRedisKeys } from '@coinops/outbox';
import { dropDatabase, newTestDatabase, type TestDatabase } from './database';
import { consoleDist, consoleRoot, repoRoot } from './paths';
import { freePort, runToCompletion, startChild, stopChild, waitForHttpOk, waitForOutput, type Child } from './processes';
import { serveConsole } from './serveConsole';

const SEED_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 120_000;
const API_BOOT_TIMEOUT_MS = 90_000;
const WORKER_BOOT_TIMEOUT_MS = 90_000;

export interface Stack {
  consoleUrl: string;
  apiUrl: string;
  /** The secrets the API and the worker were started with, so tests can sign webhooks and platform events. */
  stripeWebhookSecret: string;
  eventsSecret: string;
  /** The Stripe simulator the worker calls for refunds and payouts; tests create charges on it (`POST /sim/charges`). */
  stripeSimUrl: string;
  timingsMs: Record<string, number>;
  stop(): Promise<void>;
}


async function timed<T>(timings: Record<string, number>, label: string, step: () => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  try {
    return await step();
  } finally {
    timings[label] = Date.now() - startedAt;
  }
}

/** vitest sets NODE_ENV=test, which would make `vite build` bundle React's development build. */
function buildEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')),
  );
}

/** vite's own CLI, run by node directly so that stopping it stops the build (npx would sit in between). */
function viteBin(): string {
  const candidates = [join(consoleRoot, 'node_modules/vite/bin/vite.js'), join(repoRoot, 'node_modules/vite/bin/vite.js')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('vite is not installed: run npm install at the repository root');
  return found;
}

function requireFile(path: string, owner: string) {
  if (!existsSync(join(repoRoot, path))) throw new Error(`${path} is missing (${owner} provides it)`);
}

/**
 * The real thing, in the order a deployment starts it: a fresh seeded database, the API on a free port
 * and the worker beside it (same environment), the console built by `vite build` and served with `/api`
 * proxied. Whatever was started is stopped by `stop()`, also when a later step failed (the error is
 * rethrown after cleaning up).
 */
export async function startStack(): Promise<Stack> {
  requireFile('tools/dev/seed.ts', 'the lead');
  requireFile('apps/api/src/main.ts', 'the lead');

  const timingsMs: Record<string, number> = {};
  const database: TestDatabase = newTestDatabase();
  let databaseTouched = false;
  let api: Child | undefined;
  let worker: Child | undefined;
  let stripeSim: Child | undefined;
  let builder: Child | undefined;
  let server: Server | undefined;
  let queuePrefix: string | undefined;

  const stop = async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
    await stopChild(api);
    await stopChild(worker);
    await stopChild(stripeSim);
    await stopChild(builder);
    if (databaseTouched) await dropDatabase(database);
    if (queuePrefix) await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `${queuePrefix}:*`).catch(() => undefined);
  };

  try {
    const apiPort = await freePort();
    const stripeSimPort = await freePort();
    const env = { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test', LOG_LEVEL: 'warn' };
    // Build while the database is seeded: the two overlap on the two cores instead of queueing.
    builder = startChild('vite build', process.execPath, [viteBin(), 'build', '--logLevel', 'warn'], { cwd: consoleRoot, env: buildEnv() });
    const build = timed(timingsMs, 'viteBuild', () => runToCompletion(builder!, BUILD_TIMEOUT_MS));
    build.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    databaseTouched = true;
    await timed(timingsMs, 'seed', () =>
      runToCompletion(startChild('seed', process.execPath, ['--require', '@swc-node/register', 'tools/dev/seed.ts'], { cwd: repoRoot, env }), SEED_TIMEOUT_MS),
    );
    // The API and the worker share one environment: same database, same queue prefix, same secrets.
    const stripeWebhookSecret = `whsec_e2e_${randomBytes(12).toString('hex')}`;
    const eventsSecret = `e2e-events-${randomBytes(12).toString('hex')}`;
    queuePrefix = `coinops-e2e-${randomBytes(4).toString('hex')}`;
    const serviceEnv = {
      ...env,
      QUEUE_PREFIX: queuePrefix,
      STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
      EVENTS_SECRET: eventsSecret,
      // The worker relays the outbox: poll often so a webhook's recharge is evaluated within a second.
      OUTBOX_POLL_MS: '100',
      // Refunds and payouts go to the Stripe simulator, which confirms them by webhook to the API.
      STRIPE_API_BASE: `http://127.0.0.1:${stripeSimPort}`,
    };
    requireFile('tools/simulate/src/stripe-server/main.ts', 'the simulator');
    stripeSim = startChild('stripe-sim', process.execPath, ['--require', '@swc-node/register', 'tools/simulate/src/stripe-server/main.ts', '--port', String(stripeSimPort)], {
      cwd: repoRoot,
      env: {
        ...serviceEnv,
        STRIPE_SIM_WEBHOOK_URL: `http://127.0.0.1:${apiPort}/api/webhooks/stripe`,
        // Quick and reliable: the browser tests prove the round trip; the fault and jest suites prove the failures.
        STRIPE_SIM_FAILURE_SHARE: '0',
        STRIPE_SIM_BOUNCE_SHARE: '0',
        STRIPE_SIM_DUPLICATE_SHARE: '0',
        STRIPE_SIM_LATENCY_MS: '5-20',
        STRIPE_SIM_CONFIRM_DELAY_MS: '100-300',
        STRIPE_SIM_WEBHOOK_LATENCY_MS: '10-50',
      },
    });
    api = startChild('api', process.execPath, ['--require', '@swc-node/register', 'apps/api/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...serviceEnv,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        // Every test signs in through the page, all from 127.0.0.1: keep the per-IP login limit out of the way.
        LOGIN_RATE_PER_MINUTE: '300',
      },
    });
    worker = startChild('worker', process.execPath, ['--require', '@swc-node/register', 'apps/worker/src/main.ts'], { cwd: repoRoot, env: serviceEnv });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    timingsMs.apiBoot = await waitForHttpOk(api, `${apiUrl}/api/health`, API_BOOT_TIMEOUT_MS);
    timingsMs.workerBoot = await waitForOutput(worker, /coinops worker running/, WORKER_BOOT_TIMEOUT_MS);
    const stripeSimUrl = `http://127.0.0.1:${stripeSimPort}`;
    timingsMs.stripeSimBoot = await waitForOutput(stripeSim, /stripe simulator listening/, API_BOOT_TIMEOUT_MS);
    await build;
    const served = await serveConsole(consoleDist, apiPort);
    server = served.server;
    return { consoleUrl: served.url, apiUrl, stripeWebhookSecret, eventsSecret, stripeSimUrl, timingsMs, stop };
  } catch (error) {
    await stop().catch((cleanupError: unknown) => console.error('e2e cleanup failed', cleanupError));
    throw error;
  }
}
