import { accessEntities } from '@coinops/access';
import { CONFIG, ConfigModule, pinoBaseOptions, type Config } from '@coinops/config';
import { LoggerModule } from 'nestjs-pino';
import { dataSourceOptions } from '@coinops/db';
import { JOBS, OutboxRelayer, QUEUES, redisConnection } from '@coinops/outbox';
import { BullModule } from '@nestjs/bullmq';
import { Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { domainProviders, WORKER_DOMAIN, type WorkerDomain } from './domain/domain.providers';
import type { JobHandler } from './job-handlers';
import { LedgerVerifyProcessor, LedgerVerifySchedule } from './ledger/ledger-verify.processor';
import { notificationHandlers } from './notifications/notifications.handlers';
import { NotificationsProcessor } from './notifications/notifications.processor';
import { OutboxDispatcher } from './outbox/outbox-processor';
import { paymentHandlers } from './payments/payments.handlers';
import { riskHandlers } from './risk/risk.handlers';
import { RiskProcessor } from './risk/risk.processor';
import { PaymentsProcessor } from './payments/payments.processor';
import { ProviderEventsSweepProcessor, ProviderEventsSweepSchedule } from './payments/provider-events-sweep.processor';
import { ScheduleKeeper } from './schedules/schedule-keeper';
import { ReviewsEscalationProcessor, ReviewsEscalationSchedule } from './reviews/reviews-escalation.processor';
import { ChargebackRatioProcessor, ChargebackRatioSchedule } from './chargebacks/chargeback-ratio.processor';
import { ReportingProcessor, ReportingSchedule } from './reporting/reporting.processor';
import { refundHandlers } from './refunds/refunds.handlers';
import { RefundsSweepProcessor, RefundsSweepSchedule } from './refunds/refunds-sweep.processor';
import { PayoutsProcessor, PayoutsSchedule } from './payouts/payouts.processor';

/** Every job handler of the worker; boot fails if a job in `JOBS` has none. */
export function allHandlers(domain: WorkerDomain): JobHandler[] {
  return [...(notificationHandlers as JobHandler[]), ...(paymentHandlers(domain) as JobHandler[]), ...(riskHandlers(domain) as JobHandler[]), ...(refundHandlers(domain) as JobHandler[])];
}

export function assertEveryJobHandled(handlers: JobHandler[]): void {
  const handled = new Set(handlers.map((h) => h.job.name));
  const missing = Object.values(JOBS).filter((job) => !handled.has(job.name)).map((job) => job.name);
  if (missing.length) throw new Error(`the worker has no handler for job(s): ${missing.join(', ')}`);
}

class RelayerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  private relayer?: OutboxRelayer;
  private lastErrorLoggedAt = 0;

  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    this.relayer = new OutboxRelayer({
      dataSource: this.dataSource,
      connection: redisConnection(this.config.REDIS_URL, 'failFast'),
      queuePrefix: this.config.QUEUE_PREFIX,
      batchSize: this.config.OUTBOX_BATCH_SIZE,
      pollMs: this.config.OUTBOX_POLL_MS,
      onError: (error) => {
        // One line every 10 s at most while Redis is down: the backlog is in PostgreSQL, nothing is lost.
        if (Date.now() - this.lastErrorLoggedAt > 10_000) {
          this.lastErrorLoggedAt = Date.now();
          this.logger.warn(`outbox relay failed, will retry: ${(error as Error)?.message ?? error}`);
        }
      },
    });
    this.relayer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relayer?.stop();
  }
}

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [CONFIG], useFactory: (config: Config) => ({ pinoHttp: pinoBaseOptions(config) }) }),
    TypeOrmModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({
        ...dataSourceOptions({ url: config.DATABASE_URL, entities: [...accessEntities], poolSize: 10, applicationName: 'coinops-worker' }),
        // Started while PostgreSQL restarts (a deploy, a failover, the fault suite): wait up to ~20 s, not die.
        retryAttempts: 20,
        retryDelay: 1_000,
      }),
    }),
    BullModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({ connection: redisConnection(config.REDIS_URL, 'worker'), prefix: config.QUEUE_PREFIX }),
    }),
    BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
  ],
  providers: [
    {
      provide: OutboxDispatcher,
      inject: [getDataSourceToken(), WORKER_DOMAIN],
      useFactory: (dataSource: DataSource, domain: WorkerDomain) => {
        const handlers = allHandlers(domain);
        assertEveryJobHandled(handlers);
        return new OutboxDispatcher(dataSource, handlers);
      },
    },
    ...domainProviders,
    NotificationsProcessor,
    PaymentsProcessor,
    RiskProcessor,
    LedgerVerifyProcessor,
    LedgerVerifySchedule,
    ReviewsEscalationProcessor,
    ReviewsEscalationSchedule,
    ChargebackRatioProcessor,
    ChargebackRatioSchedule,
    ReportingProcessor,
    ReportingSchedule,
    RefundsSweepProcessor,
    RefundsSweepSchedule,
    PayoutsProcessor,
    PayoutsSchedule,
    ProviderEventsSweepProcessor,
    ProviderEventsSweepSchedule,
    ScheduleKeeper,
    RelayerLifecycle,
  ],
})
export class WorkerModule {}
