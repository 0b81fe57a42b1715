import { SCHEDULED_JOBS } from '@coinops/outbox';
import { sweepProviderEvents, type SweepResult } from '@coinops/payments';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { WORKER_DOMAIN, type WorkerDomain } from '../domain/domain.providers';
import { providerEventHandlers } from './provider-events.handlers';

const job = SCHEDULED_JOBS.providerEventsSweep;

/**
 * Offers stored provider events that are still unprocessed to their flow again: those that waited for
 * their charge to be evaluated, those whose job failed, those stored while Redis was down. Each event is
 * processed at most once (row lock + `processed_at` in the effect's transaction), so overlapping sweeps
 * and the arrival job never act twice.
 */
@Processor(job.queue, { concurrency: 1 })
export class ProviderEventsSweepProcessor extends WorkerHost {
  private readonly logger = new Logger('provider-events');

  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(WORKER_DOMAIN) private readonly domain: WorkerDomain,
  ) {
    super();
  }

  async process(received: Job): Promise<SweepResult> {
    if (received.name !== job.name) throw new Error(`queue ${job.queue} has no processor for job ${received.name}`);
    const result = await sweepProviderEvents(this.dataSource, providerEventHandlers(this.domain), undefined, (error, id) =>
      this.logger.warn(`provider event ${id} failed, will retry: ${(error as Error)?.message ?? error}`),
    );
    if (result.done || result.failed) this.logger.log(`provider events: ${result.done} processed, ${result.waiting} waiting, ${result.failed} failed`);
    return result;
  }
}

/** Registers the schedule at start-up; one schedule whatever the number of replicas. */
@Injectable()
export class ProviderEventsSweepSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('provider-events');

  constructor(@InjectQueue(job.queue) private readonly queue: Queue) {}

  onApplicationBootstrap(): void {
    void this.queue
      .upsertJobScheduler(job.schedulerId, { every: job.everyMs }, {
        name: job.name,
        data: {},
        opts: { attempts: 1, removeOnComplete: 50, removeOnFail: 100 },
      })
      .catch((error: Error) => this.logger.warn(`could not register the provider-events sweep: ${error.message}`));
  }
}
