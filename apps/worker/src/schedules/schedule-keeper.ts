import { CONFIG, type Config } from '@coinops/config';
import { redisConnection, SCHEDULED_JOBS } from '@coinops/outbox';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';

/** How often the keeper looks for schedules Redis lost. */
export const SCHEDULE_CHECK_MS = 60_000;

type ScheduledJob = (typeof SCHEDULED_JOBS)[keyof typeof SCHEDULED_JOBS];

/**
 * Each queue's schedule class registers its job scheduler at start-up, but Redis keeps schedulers only
 * in memory here (no persistence): after a Redis restart every schedule would be gone until a worker
 * restarts (found by the fault suite, docs/reliability.md). The keeper looks every minute and puts back
 * the ones that are missing, with the interval of `SCHEDULED_JOBS`. It never touches a scheduler that
 * exists (re-upserting one would move its next run), so several workers doing this is harmless.
 */
@Injectable()
export class ScheduleKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('schedules');
  private readonly queues = new Map<string, Queue>();
  private timer?: NodeJS.Timeout;

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      void this.restoreMissing().catch((error: Error) => this.logger.warn(`could not check the schedules: ${error.message}`));
    }, SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Puts back every schedule Redis no longer has; returns their ids. */
  async restoreMissing(): Promise<string[]> {
    const restored: string[] = [];
    for (const job of Object.values(SCHEDULED_JOBS) as ScheduledJob[]) {
      const queue = this.queue(job.queue);
      if (await queue.getJobScheduler(job.schedulerId)) continue;
      await queue.upsertJobScheduler(job.schedulerId, { every: job.everyMs }, {
        name: job.name,
        data: {},
        opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 200 },
      });
      restored.push(job.schedulerId);
    }
    if (restored.length) this.logger.warn(`restored ${restored.length} schedule(s) Redis had lost: ${restored.join(', ')}`);
    return restored;
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redisConnection(this.config.REDIS_URL, 'failFast'), prefix: this.config.QUEUE_PREFIX });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }
}
