import Redis from 'ioredis';
import { dropTestDatabase } from './test-database';

/** Drops the run's database and deletes the run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const url = (globalThis as Record<string, unknown>).__COINOPS_TEST_DB__ as string | undefined;
  if (url && !process.env.KEEP_TEST_DB) await dropTestDatabase(url);
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('coinops-test-')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch {
      // Redis already gone (an outage test): nothing to clean.
    } finally {
      redis.disconnect();
    }
  }
}
