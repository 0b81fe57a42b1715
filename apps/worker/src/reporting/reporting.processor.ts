import { SCHEDULED_JOBS } from '@coinops/outbox';
import { reconcileYesterday, refreshRollups } from '@coinops/reporting';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

const rollup = SCHEDULED_JOBS.reportingRollup;
const reconcile = SCHEDULED_JOBS.reportingReconcile;

/**
 * The reporting queue: the dashboard's rollups every minute and yesterday's reconciliation every hour
 * (libs/reporting, docs/reporting.md). Both are idempotent: each recomputes a window and replaces it, so a
 * retried, redelivered or concurrent job leaves the same result (the rollup also takes an advisory lock).
 */
@Processor(rollup.queue, { concurrency: 1 })
export class ReportingProcessor extends WorkerHost {
  private readonly logger = new Logger('reporting');

  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {
    super();
  }

  async process(received: Job): Promise<unknown> {
    if (received.name === rollup.name) {
      const run = await refreshRollups(this.dataSource);
      if (run.durationMs > 10_000) this.logger.warn(`rollups took ${run.durationMs} ms (recharges from ${run.rechargesFrom})`);
      return run;
    }
    if (received.name === reconcile.name) {
      const reports = await reconcileYesterday(this.dataSource);
      const differences = reports.reduce((sum, r) => sum + r.differences, 0);
      if (differences) this.logger.warn(`reconciliation of ${reports[0].day}: ${differences} difference(s) across ${reports.length} provider(s)`);
      return { day: reports[0]?.day ?? null, providers: reports.length, differences };
    }
    throw new Error(`queue ${rollup.queue} has no processor for job ${received.name}`);
  }
}

/** Registers both schedules at start-up; `upsertJobScheduler` keeps one of each whatever the number of replicas. */
@Injectable()
export class ReportingSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('reporting');

  constructor(@InjectQueue(rollup.queue) private readonly queue: Queue) {}

  /** Not awaited: while Redis is down the call waits for it, and the rest of the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.register().catch((error: Error) => this.logger.warn(`could not register the reporting schedules: ${error.message}`));
  }

  async register() {
    const opts = { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 200 };
    await this.queue.upsertJobScheduler(rollup.schedulerId, { every: rollup.everyMs }, { name: rollup.name, data: {}, opts });
    await this.queue.upsertJobScheduler(reconcile.schedulerId, { every: reconcile.everyMs }, { name: reconcile.name, data: {}, opts });
  }
}
