import { CONFIG, type Config } from '@coinops/config';
import { SCHEDULED_JOBS } from '@coinops/outbox';
import { payoutSettings, reevaluateOpenPayouts, runPayoutExecution, type PayoutSettings } from '@coinops/payments';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { WORKER_DOMAIN, type WorkerDomain } from '../domain/domain.providers';

const execute = SCHEDULED_JOBS.payoutsExecute;
const reevaluate = SCHEDULED_JOBS.payoutsReevaluate;

/**
 * The payouts queue (docs/payouts.md): `payouts.execute` batches approved payouts per method and sends
 * them through the provider adapter (key `payout:<id>`; paid or failed comes later by webhook);
 * `payouts.reevaluate` re-checks open payouts' holds. Both are safe to run twice or concurrently: rows
 * are taken with SKIP LOCKED and every state change is conditional on the state read under the lock.
 */
@Processor(execute.queue, { concurrency: 1 })
export class PayoutsProcessor extends WorkerHost {
  private readonly logger = new Logger('payouts');
  private readonly settings: PayoutSettings;

  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(WORKER_DOMAIN) private readonly domain: WorkerDomain,
    @Inject(CONFIG) config: Config,
  ) {
    super();
    this.settings = payoutSettings(config);
  }

  async process(received: Job): Promise<unknown> {
    if (received.name === execute.name) {
      const run = await runPayoutExecution(this.dataSource, { ledger: this.domain.ledger, provider: this.domain.provider, settings: this.settings });
      if (run.batches.length || run.accepted || run.failed || run.retryLater) {
        this.logger.log(`payouts: ${run.batches.length} batch(es) taken; ${run.accepted} accepted, ${run.failed} refused, ${run.retryLater} to retry`);
      }
      return { batches: run.batches.map((b) => b.batchId), accepted: run.accepted, failed: run.failed, retryLater: run.retryLater };
    }
    if (received.name === reevaluate.name) return reevaluateOpenPayouts(this.dataSource, this.settings);
    throw new Error(`queue ${execute.queue} has no processor for job ${received.name}`);
  }
}

/** Registers both schedules at start-up; `upsertJobScheduler` keeps one of each whatever the number of replicas. */
@Injectable()
export class PayoutsSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('payouts');

  constructor(@InjectQueue(execute.queue) private readonly queue: Queue) {}

  /** Not awaited: while Redis is down the call waits for it, and the rest of the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.register().catch((error: Error) => this.logger.warn(`could not register the payout schedules: ${error.message}`));
  }

  async register(): Promise<void> {
    for (const job of [execute, reevaluate]) {
      await this.queue.upsertJobScheduler(job.schedulerId, { every: job.everyMs }, {
        name: job.name,
        data: {},
        opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 200 },
      });
    }
  }
}
