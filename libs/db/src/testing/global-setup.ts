import { randomBytes } from 'node:crypto';
import { createTestDatabase } from './test-database';

/**
 * jest globalSetup for projects that touch PostgreSQL or Redis: one migrated database and one
 * Redis key prefix per run, handed to the test workers through the environment.
 */
export default async function globalSetup(globalConfig: { displayName?: string }, projectConfig: { displayName?: { name?: string } | string }): Promise<void> {
  const display = projectConfig?.displayName;
  const label = (typeof display === 'string' ? display : display?.name) ?? globalConfig.displayName ?? 'run';
  const url = await createTestDatabase(label.replace('@coinops/', ''));
  process.env.DATABASE_URL = url;
  process.env.QUEUE_PREFIX = `coinops-test-${randomBytes(4).toString('hex')}`;
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
  (globalThis as Record<string, unknown>).__COINOPS_TEST_DB__ = url;
}
