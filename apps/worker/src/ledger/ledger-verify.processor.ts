import { SCHEDULED_JOBS } from '@coinops/outbox';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { runScheduledVerification } from './ledger-verify';

const job = SCHEDULED_JOBS.ledgerVerify;

/** Runs the scheduled ledger check; one at a time (it reads every posting). */
@Processor(job.queue, { concurrency: 1 })
export class LedgerVerifyProcessor extends WorkerHost {
  private readonly logger = new Logger('ledger-verify');

  constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {
    super();
  }

  async process(received: Job): Promise<{ ok: boolean; violations: number; recorded: boolean }> {
    if (received.name !== job.name) throw new Error(`queue ${job.queue} has no processor for job ${received.name}`);
    const { report, recorded } = await runScheduledVerification(this.dataSource, `schedule:${received.id}`, this.logger);
    return { ok: report.ok, violations: report.violations.length, recorded };
  }
}

/**
 * Registers the hourly schedule in Redis at start-up. `upsertJobScheduler` is idempotent: every worker
 * replica calls it, and BullMQ keeps one schedule and runs each slot once.
 */
@Injectable()
export class LedgerVerifySchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('ledger-verify');

  constructor(@InjectQueue(job.queue) private readonly queue: Queue) {}

  /** Not awaited: while Redis is down the call waits for it, and the rest of the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.register().catch((error: Error) => this.logger.warn(`could not register the hourly ledger verification: ${error.message}`));
  }

  register() {
    return this.queue.upsertJobScheduler(job.schedulerId, { every: job.everyMs }, {
      name: job.name,
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 48, removeOnFail: 200 },
    });
  }
}
