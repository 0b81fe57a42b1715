import { AuthService, bearerToken } from '@coinops/access';
import { CONFIG, type Config } from '@coinops/config';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { errorBody } from './infrastructure/error.filter';
import { installMachineRoutes, type MachineRoute } from './machine-routes';
import { RiskDecisionsController } from './risk/decisions/risk-decisions.controller';
import { serviceTokenCheck } from './risk/decisions/service-token.guard';
import { StripeWebhooksController } from './webhooks/stripe-webhooks.controller';
import type { Metrics } from './metrics/metrics';
import { METRICS } from './metrics/metrics.controller';

/** Bodies past this are refused with 413: no endpoint takes more than a page of JSON. */
export const BODY_LIMIT = '256kb';

export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

/**
 * Builds the API application with everything main.ts and the tests share: security headers,
 * CORS, body parsing with the raw body kept for signature checks, the error shape for
 * parser errors, metrics, OpenAPI, and Bull Board for admins.
 */
export async function createApiApp(options: { logs?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const config = app.get<Config>(CONFIG);
  const metrics = app.get<Metrics>(METRICS);
  if (options.logs === false) app.useLogger(false);

  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Swagger UI and Bull Board ship inline scripts; every other path gets helmet's strict CSP.
  const strict = helmet();
  const relaxed = helmet({ contentSecurityPolicy: false });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') || req.path.startsWith('/api/queues') ? relaxed : strict)(req, res, next),
  );
  app.enableCors({
    origin: config.corsOrigins,
    exposedHeaders: ['Content-Range', 'X-Request-Id'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Range'],
  });
  app.use(metrics.middleware);
  app.use(
    express.json({
      limit: BODY_LIMIT,
      type: ['application/json', 'application/*+json'],
      verify: (req: RawBodyRequest, _res, buffer) => {
        req.rawBody = buffer;
      },
    }),
  );
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const body = errorBody(error);
    res.status(body.statusCode).json(body);
  });

  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  mountBullBoard(app, metrics, app.get(AuthService));
  installMachineRoutes(app.getHttpServer(), machineRoutes(app, config), {
    // The metrics middleware labels by `req.route.path`, as Express would set it.
    observe: (req, res, route) => metrics.middleware(Object.assign(req, { route: { path: route.metricsRoute }, baseUrl: '' }) as never, res as never, () => undefined),
    log: (level, entry, message) => PinoLogger.root?.[level](entry, message),
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('coinops API')
      .setDescription('Back office and fraud monitoring for a virtual-coin economy. Lists follow ra-data-simple-rest; errors are {statusCode, error, message, details?}.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  app.enableShutdownHooks();
  return app;
}

/**
 * The payments service's decision and the provider webhooks, answered before Express (see
 * machine-routes.ts): each authenticates exactly as its Nest route does (service token guard,
 * webhook signature), then calls the same controller method.
 */
function machineRoutes(app: INestApplication, config: Config): MachineRoute[] {
  const decisions = app.get(RiskDecisionsController);
  const checkServiceToken = serviceTokenCheck(config.RISK_SERVICE_TOKEN);
  const stripe = app.get(StripeWebhooksController);
  return [
    {
      method: 'POST',
      path: '/api/risk/decisions',
      metricsRoute: '/api/risk/decisions',
      handle: async ({ headers, body }) => {
        checkServiceToken(headers.authorization);
        return decisions.decide(body);
      },
    },
    {
      method: 'POST',
      path: '/api/webhooks/stripe',
      metricsRoute: '/api/webhooks/stripe',
      handle: async ({ headers, rawBody }) => stripe.receive({ headers, rawBody } as RawBodyRequest),
    },
  ];
}

/** Bull Board at /api/queues, for admins: a bearer header or the console's `coinops_token` cookie. */
function mountBullBoard(app: INestApplication, metrics: Metrics, auth: AuthService): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/api/queues');
  createBullBoard({ queues: metrics.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });
  app.use('/api/queues', async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req) ?? cookieToken(req.headers.cookie);
    try {
      if (!token) throw Object.assign(new Error('missing bearer token'), { status: 401 });
      const operator = await auth.authenticate(token);
      if (operator.role !== 'admin') {
        res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'Bull Board is for admins only' });
        return;
      }
      next();
    } catch (error) {
      res.status(401).json({ ...errorBody(error), statusCode: 401, error: 'Unauthorized' });
    }
  });
  app.use('/api/queues', serverAdapter.getRouter());
}

function cookieToken(header: string | undefined): string | null {
  const match = /(?:^|;\s*)coinops_token=([A-Za-z0-9_.-]{10,4096})/.exec(header ?? '');
  return match ? match[1] : null;
}
