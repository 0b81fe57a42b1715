import { CONFIG, type Config } from '@coinops/config';
import { Ledger } from '@coinops/ledger';
import { chargebackSettingsFromConfig, createStripeClient, StripeProvider, type ChargebackSettings, type PaymentProvider } from '@coinops/payments';
import { refundSettingsFromConfig, type RefundSettings } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, type Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';

/** The domain engines the worker's jobs use, built once per process. */
export interface WorkerDomain {
  ledger: Ledger;
  risk: RiskEngine;
  /** Refunds, payouts and charge reads go here, from jobs only (never inline in a request). */
  provider: PaymentProvider;
  /** CHARGEBACK_* configuration (docs/chargebacks.md); the defaults when absent (tests). */
  chargebacks?: ChargebackSettings;
  /** REFUND_* configuration (docs/refunds.md); the defaults when absent (tests). */
  refunds?: RefundSettings;
}

/**
 * The official Stripe client, aimed at Stripe itself in production and at the Stripe simulator server
 * (tools/simulate, started by `npm start`) elsewhere: the worker runs the same adapter code either way.
 */
export function workerPaymentProvider(config: Config): PaymentProvider {
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : null;
  const client = createStripeClient(
    config.STRIPE_API_KEY,
    base ? { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol === 'https:' ? 'https' : 'http' } : {},
  );
  return new StripeProvider({ webhookSecret: config.STRIPE_WEBHOOK_SECRET, client });
}

export const WORKER_DOMAIN = Symbol('WORKER_DOMAIN');
const RISK_REDIS = Symbol('RISK_REDIS');

@Injectable()
class DomainLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('domain');
  constructor(
    @Inject(WORKER_DOMAIN) private readonly domain: WorkerDomain,
    @Inject(RISK_REDIS) private readonly redis: Redis,
  ) {}

  /** A fresh database gets the default rule pack; re-seeding never overwrites a tuned rule. */
  async onApplicationBootstrap(): Promise<void> {
    const { created } = await this.domain.risk.seedDefaultRules();
    if (created.length) this.logger.log(`seeded ${created.length} default risk rules`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.domain.risk.close();
    this.redis.disconnect();
  }
}

export const domainProviders: Provider[] = [
  {
    provide: RISK_REDIS,
    inject: [CONFIG],
    useFactory: (config: Config) => {
      const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 3_000 });
      redis.on('error', () => undefined);
      return redis;
    },
  },
  {
    provide: WORKER_DOMAIN,
    inject: [getDataSourceToken(), RISK_REDIS, CONFIG],
    useFactory: (dataSource: DataSource, redis: Redis, config: Config): WorkerDomain => {
      const logger = new Logger('risk');
      return {
        provider: workerPaymentProvider(config),
        chargebacks: chargebackSettingsFromConfig(config),
        refunds: refundSettingsFromConfig(config),
        ledger: new Ledger(dataSource),
        risk: new RiskEngine({
          dataSource,
          redis,
          keyPrefix: config.QUEUE_PREFIX,
          onError: (error, during) => logger.warn(`${during} failed: ${(error as Error)?.message ?? error}`),
        }),
      };
    },
  },
  DomainLifecycle,
];
