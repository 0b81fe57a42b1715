import { SCHEDULED_JOBS } from '@coinops/outbox';
import { sweepBlockedRecharges } from '@coinops/payments';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

const job = SCHEDULED_JOBS.refundsSweepBlocked;

/**
 * Gives every recharge waiting as `blocked_pending_refund` without a refund its automatic refund
 * (a review rejected its hold; or it was blocked before this flow existed). Idempotent: one automatic
 * refund per recharge. Runs at start-up (the schedule's first run) and every minute.
 */
@Processor(job.queue, { concurrency: 1 })
export class RefundsSweepProcessor extends WorkerHost {
  private readonly logger = new Logger('refunds-sweep');

  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {
    super();
  }

  async process(received: Job): Promise<{ requested: number }> {
    if (received.name !== job.name) throw new Error(`queue ${job.queue} has no processor for job ${received.name}`);
    const run = await sweepBlockedRecharges(this.dataSource);
    if (run.requested) this.logger.log(`requested ${run.requested} automatic refund(s) of blocked recharges`);
    return run;
  }
}

@Injectable()
export class RefundsSweepSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('refunds-sweep');

  constructor(@InjectQueue(job.queue) private readonly queue: Queue) {}

  /** Not awaited: while Redis is down the call waits for it, and the rest of the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.register().catch((error: Error) => this.logger.warn(`could not register the blocked-recharge refund sweep: ${error.message}`));
  }

  register() {
    return this.queue.upsertJobScheduler(job.schedulerId, { every: job.everyMs, immediately: true }, {
      name: job.name,
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 200 },
    });
  }
}
