import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../admin';
import { runMigrations } from '../data-source';

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A database of its own for one test run: created, migrated, and dropped afterwards.
 * The server comes from TEST_DATABASE_URL (any database on it), else the local one.
 */
export async function createTestDatabase(label: string): Promise<string> {
  const server = new URL(process.env.TEST_DATABASE_URL ?? DEFAULT_SERVER_URL);
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 24);
  server.pathname = `/coinops_test_${safeLabel}_${randomBytes(4).toString('hex')}`;
  const url = server.toString();
  await ensureDatabase(url);
  await runMigrations(url);
  return url;
}

export async function dropTestDatabase(url: string): Promise<void> {
  await dropDatabase(url);
}
