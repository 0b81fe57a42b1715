import { SCHEDULED_JOBS } from '@coinops/outbox';
import { runChargebackRatioMonitor } from '@coinops/payments';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

const job = SCHEDULED_JOBS.chargebackRatio;

/**
 * The chargeback-ratio monitor (docs/chargebacks.md, "Ratio monitor"): recomputes this month's and last
 * month's rollup and alerts on every threshold crossed. Idempotent: the rollup is an upsert and each
 * level alerts once per key and month (a unique index), so a retried or concurrent run adds nothing.
 */
@Processor(job.queue, { concurrency: 1 })
export class ChargebackRatioProcessor extends WorkerHost {
  private readonly logger = new Logger('chargeback-ratio');

  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {
    super();
  }

  async process(received: Job): Promise<{ keys: number; crossings: number; alerted: number }> {
    if (received.name !== job.name) throw new Error(`queue ${job.queue} has no processor for job ${received.name}`);
    const run = await runChargebackRatioMonitor(this.dataSource);
    const alerted = run.crossings.filter((c) => c.alerted);
    for (const crossing of alerted) {
      this.logger.warn(`chargeback ratio ${crossing.threshold_id} crossed for ${crossing.provider}/${crossing.method}/${crossing.card_brand} in ${crossing.month}: ${crossing.counted} of ${crossing.transactions} (${crossing.ratio_percent ?? 'n/a'} %)`);
    }
    return { keys: run.keys, crossings: run.crossings.length, alerted: alerted.length };
  }
}

/** Registers the hourly schedule at start-up; `upsertJobScheduler` keeps one whatever the number of replicas. */
@Injectable()
export class ChargebackRatioSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('chargeback-ratio');

  constructor(@InjectQueue(job.queue) private readonly queue: Queue) {}

  /** Not awaited: while Redis is down the call waits for it, and the rest of the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.register().catch((error: Error) => this.logger.warn(`could not register the chargeback ratio schedule: ${error.message}`));
  }

  register() {
    return this.queue.upsertJobScheduler(job.schedulerId, { every: job.everyMs }, {
      name: job.name,
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 50, removeOnFail: 100 },
    });
  }
}
