import { ConfigModule, CONFIG, pinoBaseOptions, type Config } from '@coinops/config';
import { redisConnection } from '@coinops/outbox';
import { Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { AuditEventsController } from './audit-events/audit-events.controller';
import { AuthModule } from './auth/auth.module';
import { ChargebackRatioController, ChargebacksController } from './chargebacks/chargebacks.controller';
import { HealthController } from './health/health.controller';
import { DatabaseModule } from './infrastructure/database.module';
import { ErrorFilter } from './infrastructure/error.filter';
import { EconomyModule } from './ledger/economy.module';
import { BodyValidationPipe } from './infrastructure/validation';
import { createMetrics } from './metrics/metrics';
import { METRICS, MetricsController } from './metrics/metrics.controller';
import { OperatorsController } from './operators/operators.controller';
import { RechargesController } from './recharges/recharges.controller';
import { PayoutsModule } from './payouts/payouts.module';
import { ReviewsModule } from './reviews/reviews.module';
import { RefundsModule } from './refunds/refunds.module';
import { ReportingModule } from './reports/reporting.module';
import { RiskModule } from './risk/risk.module';
import { UnauthorizedActivityModule } from './unauthorized-activity/unauthorized-activity.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { redactUrl } from './infrastructure/log-redaction';
import { ViewerMaskingInterceptor } from './infrastructure/viewer-masking';
import { UserExportController } from './users/user-export.controller';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          ...pinoBaseOptions(config),
          // A caller's request id is kept when it is well-formed, so logs join across services.
          genReqId: (req, res) => {
            const incoming = req.headers['x-request-id'];
            const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
            res.setHeader('X-Request-Id', id);
            return id;
          },
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["coinops-signature"]', 'req.headers["stripe-signature"]', 'res.headers["set-cookie"]'],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url), remote_address: req.remoteAddress }),
            res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
          },
          customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/api/health' },
        },
      }),
    }),
    DatabaseModule,
    AuthModule,
    WebhooksModule,
    EconomyModule,
    RiskModule,
    ReviewsModule,
    RefundsModule,
    PayoutsModule,
    UnauthorizedActivityModule,
    ReportingModule,
  ],
  controllers: [HealthController, OperatorsController, AuditEventsController, MetricsController, RechargesController, ChargebacksController, ChargebackRatioController, UserExportController],
  providers: [
    { provide: APP_FILTER, useClass: ErrorFilter },
    { provide: APP_PIPE, useClass: BodyValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: ViewerMaskingInterceptor },
    {
      provide: METRICS,
      inject: [getDataSourceToken(), CONFIG],
      useFactory: (dataSource: DataSource, config: Config) => createMetrics(dataSource, redisConnection(config.REDIS_URL, 'failFast'), config.QUEUE_PREFIX),
    },
  ],
})
export class AppModule {}
