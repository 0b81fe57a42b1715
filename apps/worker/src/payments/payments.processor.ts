import { JOBS, QUEUES, type RechargeReceivedPayload } from '@coinops/outbox';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { WORKER_DOMAIN, type WorkerDomain } from '../domain/domain.providers';
import type { OutboxJobData } from '../job-handlers';
import { OutboxDispatcher } from '../outbox/outbox-processor';
import { RechargeBatcher } from './recharge-batcher';

/**
 * Jobs taken at once: enough for the recharge batcher to fill its batches (two of 200 in flight, the
 * next one gathering). A job waiting in the batcher costs a promise, not a connection.
 */
export const PAYMENTS_CONCURRENCY = 512;
/** The queue's other jobs (provider events) still run at most this many at once, as before batching. */
export const OTHER_JOBS_CONCURRENCY = 8;

@Processor(QUEUES.payments, { concurrency: PAYMENTS_CONCURRENCY })
export class PaymentsProcessor extends WorkerHost {
  private readonly recharges: RechargeBatcher;
  private othersRunning = 0;
  private readonly othersWaiting: Array<() => void> = [];

  constructor(
    private readonly dispatcher: OutboxDispatcher,
    @Inject(getDataSourceToken()) dataSource: DataSource,
    @Inject(WORKER_DOMAIN) domain: WorkerDomain,
  ) {
    super();
    this.recharges = new RechargeBatcher(dataSource, domain, (job) => this.dispatcher.dispatch(job));
  }

  async process(job: Job<OutboxJobData>) {
    // `recharge.received` is evaluated in batches (same effects as the dispatcher's handler, one by one).
    if (job.name === JOBS.rechargeReceived.name) return this.recharges.submit(job as Job<OutboxJobData<RechargeReceivedPayload>>);
    while (this.othersRunning >= OTHER_JOBS_CONCURRENCY) await new Promise<void>((resolve) => this.othersWaiting.push(resolve));
    this.othersRunning += 1;
    try {
      return await this.dispatcher.dispatch(job);
    } finally {
      this.othersRunning -= 1;
      this.othersWaiting.shift()?.();
    }
  }
}
