import { enqueue, JOBS, jobIdOf, outboxBacklog, redisConnection } from '@coinops/outbox';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../src/worker.module';
import { DisposableRedis, waitFor } from './redis-server';

describe('the outbox across a Redis outage', () => {
  let redis: DisposableRedis;
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let operatorId: string;

  beforeAll(async () => {
    redis = await DisposableRedis.create();
    process.env.REDIS_URL = redis.url;
    process.env.OUTBOX_POLL_MS = '50';
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    worker.enableShutdownHooks();
    dataSource = worker.get(DataSource);
    const [row] = await dataSource.query(
      `INSERT INTO operators (email, name, role, password_hash) VALUES ($1, 'Outage', 'viewer', 'x') RETURNING id`,
      [`outage.${Date.now()}@coinops.dev`],
    );
    operatorId = row.id;
  });

  afterAll(async () => {
    await worker?.close();
    await redis?.kill();
  });

  const write = (count: number, label: string) =>
    dataSource.transaction(async (manager) => {
      for (let i = 0; i < count; i++) await enqueue(manager, JOBS.operatorNotification, { operator_id: operatorId, kind: 'test', message: `${label} ${i}` });
    });

  const delivered = async () => {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS notifications, count(DISTINCT source_outbox_id)::int AS distinct_rows FROM operator_notifications WHERE operator_id = $1`,
      [operatorId],
    );
    return row as { notifications: number; distinct_rows: number };
  };

  it('keeps accepting writes while Redis is down and delivers each row exactly once when it is back', async () => {
    await write(20, 'before');
    await waitFor(delivered, (d) => d.notifications === 20);

    await redis.kill();
    await write(30, 'during'); // the business write does not need Redis
    await new Promise((r) => setTimeout(r, 500));
    expect(await outboxBacklog(dataSource)).toBe(30);
    expect((await delivered()).notifications).toBe(20);

    await redis.start(); // empty: everything Redis held before is gone
    await waitFor(delivered, (d) => d.notifications === 50);
    expect(await outboxBacklog(dataSource)).toBe(0);
    expect(await delivered()).toEqual({ notifications: 50, distinct_rows: 50 });
  });

  it('acts once on a job delivered again, even under a new job id', async () => {
    const [row] = await dataSource.query(`SELECT id::text AS id, payload FROM outbox WHERE payload->>'operator_id' = $1 ORDER BY id LIMIT 1`, [operatorId]);
    const queue = new Queue(JOBS.operatorNotification.queue, { connection: redisConnection(redis.url, 'failFast'), prefix: process.env.QUEUE_PREFIX });
    try {
      // As if the relayer crashed after publishing and BullMQ had already forgotten the first job.
      await queue.add(JOBS.operatorNotification.name, { outbox_id: row.id, payload: row.payload }, { jobId: `${jobIdOf(row.id)}-again` });
      await waitFor(() => queue.getJobCounts('completed').then((c) => c.completed), (n) => n >= 1);
    } finally {
      await queue.close();
    }
    expect(await delivered()).toEqual({ notifications: 50, distinct_rows: 50 });
    const [{ receipts }] = await dataSource.query(`SELECT count(*)::int AS receipts FROM job_receipts WHERE outbox_id = $1`, [row.id]);
    expect(receipts).toBe(1);
  });
});
