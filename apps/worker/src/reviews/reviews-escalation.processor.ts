import { SCHEDULED_JOBS } from '@coinops/outbox';
import { escalateOverdueReviews, type EscalationRun } from '@coinops/reviews';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

const job = SCHEDULED_JOBS.reviewsEscalate;

/**
 * Escalates review items past their SLA (libs/reviews, `escalateOverdueReviews`): each with its audit
 * row, in batches. Idempotent: an item escalated once is no longer a candidate, so a retried, redelivered
 * or concurrently run job escalates nothing twice.
 */
@Processor(job.queue, { concurrency: 1 })
export class ReviewsEscalationProcessor extends WorkerHost {
  private readonly logger = new Logger('reviews-escalation');

  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {
    super();
  }

  async process(received: Job): Promise<{ escalated: number; more: boolean }> {
    if (received.name !== job.name) throw new Error(`queue ${job.queue} has no processor for job ${received.name}`);
    const run: EscalationRun = await escalateOverdueReviews(this.dataSource, `job:${received.id}`);
    if (run.escalated.length) this.logger.warn(`escalated ${run.escalated.length} review item(s) past their SLA${run.more ? '; more remain for the next run' : ''}`);
    return { escalated: run.escalated.length, more: run.more };
  }
}

/** Registers the schedule at start-up; `upsertJobScheduler` keeps one schedule whatever the number of replicas. */
@Injectable()
export class ReviewsEscalationSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('reviews-escalation');

  constructor(@InjectQueue(job.queue) private readonly queue: Queue) {}

  /** Not awaited: while Redis is down the call waits for it, and the rest of the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.register().catch((error: Error) => this.logger.warn(`could not register the review escalation schedule: ${error.message}`));
  }

  register() {
    return this.queue.upsertJobScheduler(job.schedulerId, { every: job.everyMs }, {
      name: job.name,
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 200 },
    });
  }
}
