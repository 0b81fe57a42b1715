import { spawnSync } from 'node:child_process';
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
