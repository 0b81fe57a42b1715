import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The sign-in throttle's counters (per IP, per minute) kept in Redis, so every API process counts the
 * same attempts: N processes do not mean N times the limit (issue 9, scale-out). Redis being down must
 * not stop sign-in (the per-operator lock-out, counted in PostgreSQL, still holds), so the counters then
 * fall back to this process's memory until Redis answers again.
 */
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('throttle');
  private readonly redis: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private lastWarnedAt = 0;

  constructor(redisUrl: string, keyPrefix: string) {
    this.redis = new Redis(redisUrl, { keyPrefix: `${keyPrefix}:throttle:`, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    this.redis.on('error', () => undefined);
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      if (Date.now() - this.lastWarnedAt > 10_000) {
        this.lastWarnedAt = Date.now();
        this.logger.warn(`sign-in throttle falls back to this process's memory while Redis fails: ${(error as Error)?.message ?? error}`);
      }
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.redis.disconnect();
  }
}
