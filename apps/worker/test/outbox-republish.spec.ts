import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { enqueue, JOBS, jobIdOf, OutboxRelayer, redisConnection } from '@coinops/outbox';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { DisposableRedis } from './redis-server';

describe('the relayer republishes the jobs Redis lost', () => {
  let redis: DisposableRedis;
  let dataSource: DataSource;
  let relayer: OutboxRelayer;
  const prefix = `${process.env.QUEUE_PREFIX}-republish`;
  const queue = () => new Queue(JOBS.operatorNotification.queue, { connection: redisConnection(redis.url, 'failFast'), prefix });

  beforeAll(async () => {
    redis = await DisposableRedis.create();
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 2 });
    await dataSource.initialize();
    relayer = new OutboxRelayer({ dataSource, connection: redisConnection(redis.url, 'failFast'), queuePrefix: prefix, batchSize: 500, pollMs: 50, republishAfterMs: 200 });
  });
  afterAll(async () => {
    await relayer.stop();
    await dataSource.destroy();
    await redis.kill();
  });

  const write = async (count: number) => {
    const [operator] = await dataSource.query(`INSERT INTO operators (email, name, role, password_hash) VALUES ($1, 'Republish', 'viewer', 'x') RETURNING id`, [`republish.${Date.now()}.${Math.random()}@coinops.dev`]);
    return dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await enqueue(manager, JOBS.operatorNotification, { operator_id: operator.id, kind: 'test', message: `m${i}` }));
      return ids;
    });
  };

  it('publishes again, under the same job id, every row without a receipt whose job Redis no longer has', async () => {
    const ids = await write(10);
    while ((await relayer.relayOnce()) > 0);
    await redis.kill();
    await redis.start(); // empty: the 10 published jobs are gone
    await new Promise((r) => setTimeout(r, 300));
    // Five of them had been applied before Redis went: their receipts say so, they stay gone.
    await dataSource.query(`INSERT INTO job_receipts (outbox_id, job_name) SELECT unnest($1::bigint[]), $2`, [ids.slice(0, 5), JOBS.operatorNotification.name]);

    // At least these five (rows other spec files published in the same database may come along).
    expect(await relayer.republishLost()).toBeGreaterThanOrEqual(5);
    const q = queue();
    try {
      const jobs = await Promise.all(ids.map((id) => q.getJob(jobIdOf(id))));
      expect(jobs.map((job) => !!job)).toEqual([false, false, false, false, false, true, true, true, true, true]);
      // Still in Redis now: a second pass leaves them alone, and the applied ones stay gone.
      await relayer.republishLost();
      expect((await q.getJobCounts('waiting')).waiting).toBeGreaterThanOrEqual(5);
      expect(await Promise.all(ids.slice(0, 5).map((id) => q.getJob(jobIdOf(id))))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    } finally {
      await q.close();
    }
  });
});
