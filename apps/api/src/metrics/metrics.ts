import { outboxBacklog, QUEUES } from '@coinops/outbox';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../infrastructure/timeout';

export interface Metrics {
  registry: Registry;
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  queues: Queue[];
  close(): Promise<void>;
  /** Nest calls this on app.close(), so the queue connections never outlive the app. */
  onModuleDestroy(): Promise<void>;
}

/**
 * Prometheus metrics: process defaults, an HTTP latency histogram labelled by route pattern (not
 * raw path, so ids do not explode cardinality), BullMQ queue depths and the outbox backlog.
 */
export function createMetrics(dataSource: DataSource, connection: ConnectionOptions, queuePrefix: string): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'coinops_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const queues = Object.values(QUEUES).map((name) => {
    const queue = new Queue(name, { connection, prefix: queuePrefix });
    queue.on('error', () => undefined);
    return queue;
  });
  new Gauge({
    name: 'coinops_queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'), 1_000).catch(() => null);
          for (const [state, count] of Object.entries(counts ?? {})) this.set({ queue: queue.name, state }, count);
        }),
      );
    },
  });
  new Gauge({
    name: 'coinops_outbox_backlog',
    help: 'Outbox rows not yet published to Redis',
    registers: [registry],
    async collect() {
      this.set(await outboxBacklog(dataSource).catch(() => -1));
    },
  });

  return {
    registry,
    queues,
    middleware(req, res, next) {
      const stop = http.startTimer();
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
        stop({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
    async close() {
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    },
    onModuleDestroy() {
      return this.close();
    },
  };
}
