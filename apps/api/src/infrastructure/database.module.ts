import { accessEntities } from '@coinops/access';
import { CONFIG, type Config } from '@coinops/config';
import { dataSourceOptions } from '@coinops/db';
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({
        ...dataSourceOptions({ url: config.DATABASE_URL, entities: [...accessEntities], poolSize: 20, applicationName: 'coinops-api' }),
        // A process started while PostgreSQL restarts (a deploy, a failover, the fault suite) waits for it,
        // up to ~20 s, rather than dying at boot; past that it fails with the connection error.
        retryAttempts: 20,
        retryDelay: 1_000,
      }),
    }),
  ],
  providers: [
    {
      provide: REDIS,
      inject: [CONFIG],
      useFactory: (config: Config) => {
        // The API only reads Redis (readiness, queue depths): a Redis outage must not block requests.
        const redis = new Redis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
        redis.on('error', () => undefined);
        redis.connect().catch(() => undefined);
        return redis;
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class DatabaseModule {}
