import { loadConfig } from '@coinops/config';
import { SCHEDULED_JOBS } from '@coinops/outbox';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { ScheduleKeeper } from './schedule-keeper';

describe('the schedule keeper', () => {
  // Under the run's prefix, so the run's teardown removes what this leaves in Redis.
  const prefix = `${process.env.QUEUE_PREFIX ?? 'coinops-test'}-keeper-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ ...process.env, QUEUE_PREFIX: prefix });
  const keeper = new ScheduleKeeper(config);
  const ledger = new Queue(SCHEDULED_JOBS.ledgerVerify.queue, { connection: { url: config.REDIS_URL }, prefix });
  afterAll(async () => {
    await keeper.onApplicationShutdown();
    await ledger.close();
  });

  it('puts back every schedule Redis lost, and only those, at the interval of SCHEDULED_JOBS', async () => {
    // a Redis that lost everything: no schedule at all
    expect((await keeper.restoreMissing()).sort()).toEqual(Object.values(SCHEDULED_JOBS).map((j) => j.schedulerId).sort());
    expect(await keeper.restoreMissing()).toEqual([]);

    await ledger.removeJobScheduler(SCHEDULED_JOBS.ledgerVerify.schedulerId);
    expect(await keeper.restoreMissing()).toEqual([SCHEDULED_JOBS.ledgerVerify.schedulerId]);
    const restored = await ledger.getJobScheduler(SCHEDULED_JOBS.ledgerVerify.schedulerId);
    expect(restored).toMatchObject({ name: SCHEDULED_JOBS.ledgerVerify.name, every: SCHEDULED_JOBS.ledgerVerify.everyMs });
  });
});
