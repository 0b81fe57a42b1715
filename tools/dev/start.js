#!/usr/bin/env node
// `npm start`: the whole product on a fresh clone. Plain Node (no dependencies) until it has made
// sure dependencies are installed; then checks PostgreSQL and Redis, prepares the database, and
// runs api, worker and console together until Ctrl-C.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
process.chdir(root);

const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV || 'development',
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/coinops',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  PORT: process.env.PORT || '3000',
  LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
};
const consolePort = process.env.CONSOLE_PORT || '5173';
// The Stripe simulator server (tools/simulate): the worker's Stripe client talks to it, it sends webhooks to the API.
const stripeSimPort = process.env.STRIPE_SIM_PORT || '12111';
env.STRIPE_API_BASE = process.env.STRIPE_API_BASE || `http://127.0.0.1:${stripeSimPort}`;
// `npm start -- --no-simulate` (or SIMULATE=0): no simulated economy, no live trickle.
const simulateEconomy = !process.argv.includes('--no-simulate') && process.env.SIMULATE !== '0';
const SIMULATED_DAYS = process.env.SIMULATE_DAYS || '3';
const SIMULATED_USERS = process.env.SIMULATE_USERS || '500';

function log(line) {
  process.stdout.write(`${line}\n`);
}

function ensureDependencies() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const missing = !fs.existsSync(marker) || !fs.existsSync(path.join(root, 'node_modules/@nestjs/core'));
  const stale = !missing && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs;
  if (!missing && !stale) return;
  log(missing ? 'Installing dependencies (npm ci)...' : 'package-lock.json changed: installing dependencies...');
  const result = spawnSync('npm', [missing ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  if (result.status !== 0) {
    log('npm could not install the dependencies; see above.');
    process.exit(result.status || 1);
  }
}

function reachable(url, defaultPort) {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port: Number(parsed.port || defaultPort), timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

async function checkServices() {
  const [postgres, redis] = await Promise.all([reachable(env.DATABASE_URL, 5432), reachable(env.REDIS_URL, 6379)]);
  if (postgres && redis) return;
  const down = [!postgres && `PostgreSQL at ${redact(env.DATABASE_URL)}`, !redis && `Redis at ${redact(env.REDIS_URL)}`].filter(Boolean);
  log(`coinops needs ${down.join(' and ')}, which did not answer. Start them with one of:`);
  log('  docker compose up -d postgres redis            # with Docker');
  log('  pg_ctlcluster $(ls /etc/postgresql) main start  # Debian/Ubuntu packages (apt-get install postgresql redis-server)');
  log('  redis-server --daemonize yes --save "" --appendonly no');
  log('or point DATABASE_URL / REDIS_URL at running servers, then run npm start again.');
  process.exit(1);
}

function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

const children = [];
let stopping = false;

function run(name, args, options = {}) {
  const child = spawn(process.execPath, args, { env: { ...env, ...options.env }, cwd: options.cwd || root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) if (line.trim()) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    if (options.optional) {
      log(`${prefix}exited (${signal || code}); the rest keeps running.`);
      return;
    }
    log(`${prefix}exited (${signal || code}); stopping everything.`);
    stop(code || 1);
  });
  children.push(child);
  return child;
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  setTimeout(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    process.exit(code);
  }, 3000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}

async function waitForApi() {
  const url = `http://127.0.0.1:${env.PORT}/api/health`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function main() {
  ensureDependencies();
  await checkServices();
  const register = ['--require', '@swc-node/register'];

  log('Preparing the database (create if missing, migrate, seed demo data when empty)...');
  const seed = spawnSync(process.execPath, [...register, 'tools/dev/seed.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (seed.status !== 0) process.exit(seed.status || 1);
  const report = JSON.parse(seed.stdout.trim().split('\n').pop());
  if (report.migrations_applied.length) log(`  migrations applied: ${report.migrations_applied.join(', ')}`);
  if (report.operators_seeded && report.operators_seeded.length) log(`  demo operators seeded: ${report.operators_seeded.length}`);
  if (report.economy_seeded) log(`  demo economy: ${report.economy_seeded.users} users, ${report.economy_seeded.creators} creators, ${report.economy_seeded.gifts} gifts`);
  // A database whose operators were seeded just now was empty: it gets simulated days once the API is up.
  const freshDatabase = Boolean(report.operators_seeded && report.operators_seeded.length);

  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  run('api', [...register, 'apps/api/src/main.ts']);
  run('worker', [...register, 'apps/worker/src/main.ts']);
  if (env.NODE_ENV !== 'production') {
    run('stripe-sim', [...register, 'tools/simulate/src/stripe-server/main.ts', '--port', stripeSimPort], {
      env: { STRIPE_SIM_WEBHOOK_URL: `http://127.0.0.1:${env.PORT}/api/webhooks/stripe` },
    });
  }
  run('console', [path.join(root, 'node_modules/vite/bin/vite.js'), '--port', consolePort, '--strictPort'], {
    cwd: path.join(root, 'apps/console'),
    env: { API_URL: `http://127.0.0.1:${env.PORT}` },
  });

  if (!(await waitForApi())) {
    log('The API did not become healthy within 60 s; see its output above.');
    return stop(1);
  }
  // Let the start-up lines of the processes pass, so the banner is the last thing on screen.
  setTimeout(() => {
    banner();
    if (simulateEconomy && env.NODE_ENV !== 'production') startSimulator(register, freshDatabase);
  }, 1500);
}

/**
 * The demo economy in motion (tools/simulate, docs/simulator.md): on an empty database, a few simulated
 * days sent through the API so every screen has data; then, and on every later start, a light live trickle.
 */
function startSimulator(register, freshDatabase) {
  const args = [...register, 'tools/simulate/src/cli.ts', '--seed', 'demo', '--users', SIMULATED_USERS, '--live', '--no-progress',
    '--api-url', `http://127.0.0.1:${env.PORT}`, '--stripe-sim-url', `http://127.0.0.1:${stripeSimPort}`,
    '--labels', path.join(require('node:os').tmpdir(), 'coinops-demo-labels.jsonl')];
  if (freshDatabase) args.push('--days', SIMULATED_DAYS);
  else args.push('--live-only');
  log(freshDatabase
    ? `  Seeding ${SIMULATED_DAYS} simulated days (${SIMULATED_USERS} users) through the API, then a live trickle; the console fills in as it goes.`
    : '  Live trickle of simulated activity (npm start -- --no-simulate to turn it off).');
  run('simulate', args, { optional: true });
}

function banner() {
  const secrets = env.NODE_ENV === 'production' ? [] : [
    ['JWT_SECRET', env.JWT_SECRET || 'coinops-demo-jwt-secret-change-me-in-production'],
    ['EVENTS_SECRET', env.EVENTS_SECRET || 'coinops-demo-events-secret'],
    ['STRIPE_WEBHOOK_SECRET', env.STRIPE_WEBHOOK_SECRET || 'whsec_coinops_demo_stripe_webhook_secret'],
    ['RISK_SERVICE_TOKEN', env.RISK_SERVICE_TOKEN || 'coinops-demo-risk-service-token'],
    ['STRIPE_API_KEY', env.STRIPE_API_KEY || 'sk_test_coinops_demo_simulator_key'],
  ];
  const lines = [
    '',
    '  coinops is running',
    '',
    `  Console      http://127.0.0.1:${consolePort}`,
    `  API          http://127.0.0.1:${env.PORT}/api        (OpenAPI: /api/docs, Bull Board: /api/queues, metrics: /metrics)`,
    ...(env.NODE_ENV !== 'production' ? [`  Stripe sim   http://127.0.0.1:${stripeSimPort}           (the worker's Stripe API; webhooks to the API)`] : []),
    '',
    '  Sign in with any of these (password: coinops-demo):',
    '    admin@coinops.dev      admin',
    '    ts@coinops.dev         trust_safety',
    '    finance@coinops.dev    finance      finance2@coinops.dev  finance (second approver)',
    '    support@coinops.dev    support      support2@coinops.dev  support (second approver)',
    '    viewer@coinops.dev     viewer',
    '',
    ...(secrets.length ? ['  Demo secrets (refused when NODE_ENV=production):', ...secrets.map(([k, v]) => `    ${k.padEnd(22)} ${v}`), ''] : []),
    '  Ctrl-C stops everything.',
    '',
  ];
  log(lines.join('\n'));
}

main().catch((error) => {
  log(`npm start failed: ${error && error.stack ? error.stack : error}`);
  stop(1);
});
