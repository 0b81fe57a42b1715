import { CONFIG, type Config } from '@coinops/config';
import { RiskEngine } from '@coinops/risk';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

/** The engine's own Redis client: it reads and writes features, lists and the rules token. */
export const RISK_REDIS = Symbol('RISK_REDIS');

/** How long the engine's background rebuild and after-commit writes get to finish at shutdown. */
const CLOSE_TIMEOUT_MS = 10_000;

const logger = new Logger('risk');

export const riskRedisProvider: Provider = {
  provide: RISK_REDIS,
  inject: [CONFIG],
  useFactory: (config: Config) => {
    // Unlike the API's fail-fast read client, commands queue while Redis reconnects, but only for a few
    // attempts: a pre-charge decision must fail quickly rather than hang the payments service.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 2_000, retryStrategy: (times) => Math.min(times * 200, 2_000) });
    redis.on('error', (error) => logger.warn(`risk redis: ${error.message}`));
    return redis;
  },
};

/**
 * One RiskEngine per process. The default rule pack is seeded before the API takes requests
 * (idempotent: it never overwrites a tuned rule), so a fresh database decides with the defaults.
 */
export const riskEngineProvider: Provider = {
  provide: RiskEngine,
  inject: [DataSource, RISK_REDIS, CONFIG],
  useFactory: async (dataSource: DataSource, redis: Redis, config: Config) => {
    const engine = new RiskEngine({
      dataSource,
      redis,
      keyPrefix: config.QUEUE_PREFIX,
      onError: (error, during) => logger.warn(`${during} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    const { created } = await engine.seedDefaultRules('system');
    if (created.length) logger.log(`seeded ${created.length} default risk rules`);
    return engine;
  },
};

/**
 * Stops the engine's background work (a feature rebuild) before the database pool closes, then its
 * Redis connection once everything else has shut down.
 */
@Injectable()
export class RiskLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly engine: RiskEngine,
    @Inject(RISK_REDIS) private readonly redis: Redis,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.engine.close(), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
