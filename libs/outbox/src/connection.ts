import Redis, { type RedisOptions } from 'ioredis';

/**
 * BullMQ connection options from REDIS_URL. `failFast` is for producers and readers: a command
 * fails at once while Redis is down instead of queueing in memory (the outbox keeps the work).
 * Workers need `maxRetriesPerRequest: null` (BullMQ's requirement for blocking connections).
 */
export function redisConnection(url: string, mode: 'failFast' | 'worker'): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 3_000,
    ...(mode === 'failFast' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
}

/**
 * Deletes every key matching `pattern` (a run's queues and risk features under its own prefix), by a
 * bounded SCAN: what benchmarks, the browser-test stack and the simulator's stack do when they finish.
 */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    for (let rounds = 0; rounds < 10_000; rounds++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}
