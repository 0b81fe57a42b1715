import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('npm start', () => {
  it('says how to start Redis and exits non-zero when Redis does not answer', () => {
    const result = spawnSync(process.execPath, [path.join(__dirname, 'start.js')], {
      cwd: root,
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/coinops_never_created' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(result.stdout).not.toMatch(/PostgreSQL at/);
    expect(result.stdout).toMatch(/docker compose up -d postgres redis/);
  });

  it('refuses to seed demo data in production', () => {
    const result = spawnSync(process.execPath, ['--require', '@swc-node/register', path.join(__dirname, 'seed.ts')], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/coinops_never_created' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    // Production without real secrets stops at configuration, before touching any database.
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/JWT_SECRET: is required when NODE_ENV=production/);
  });
});

describe('npm start on an empty database', () => {
  const database = `coinops_test_start_${Math.random().toString(16).slice(2, 10)}`;
  let child: ReturnType<typeof spawn> | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`], { encoding: 'utf8' });
    // The run's queue and risk-feature keys live under its own prefix (QUEUE_PREFIX = the database name).
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${database}:*`, 'COUNT', 1000);
        if (keys.length) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }, 30_000);

  it('runs the Stripe simulator beside the API, seeds simulated days through the API, prints where to sign in, and stops everything on Ctrl-C', async () => {
    const [port, consolePort, stripeSimPort] = await Promise.all([freePort(), freePort(), freePort()]);
    child = spawn(process.execPath, [path.join(__dirname, 'start.js')], {
      cwd: root,
      env: {
        ...process.env, NODE_ENV: 'development', DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`, PORT: String(port), CONSOLE_PORT: String(consolePort),
        STRIPE_SIM_PORT: String(stripeSimPort), QUEUE_PREFIX: database, SIMULATE_DAYS: '1', SIMULATE_USERS: '40', LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 150_000;
    while (!/\[simulate\]\s*live trickle/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 500));

    expect(output).toMatch(/Sign in with any of these/);
    expect(output).toMatch(new RegExp(`Stripe sim\\s+http://127\\.0\\.0\\.1:${stripeSimPort}`));
    expect(output).toMatch(/\[stripe-sim\]\s*stripe simulator listening/);
    expect(output).toMatch(/\[simulate\]\s*simulated .* 40 users/);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@coinops.dev', password: 'coinops-demo' }) });
    const { token } = (await login.json()) as { token: string };
    const users = await fetch(`http://127.0.0.1:${port}/api/users?range=[0,0]`, { headers: { authorization: `Bearer ${token}` } });
    expect(Number(/\/(\d+)$/.exec(users.headers.get('content-range') ?? '')?.[1])).toBeGreaterThanOrEqual(40);
    const recharges = await fetch(`http://127.0.0.1:${port}/api/recharges?range=[0,0]`, { headers: { authorization: `Bearer ${token}` } });
    expect(Number(/\/(\d+)$/.exec(recharges.headers.get('content-range') ?? '')?.[1])).toBeGreaterThan(0);

    child.kill('SIGINT');
    const code = await new Promise((resolve) => child!.once('exit', resolve));
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${stripeSimPort}/sim/health`)).rejects.toThrow();
  }, 200_000);
});

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
