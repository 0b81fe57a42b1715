import { runOnce } from '@coinops/outbox';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { JobHandler, OutboxJobData } from '../job-handlers';

/**
 * Dispatches outbox jobs of one queue to their handlers, each at most once per outbox row
 * (`runOnce`): BullMQ may deliver a job again after a crash or a stalled lock, and the relayer may
 * publish a row twice; the receipt table turns both into no-ops.
 */
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly byName: Map<string, JobHandler>;

  constructor(
    private readonly dataSource: DataSource,
    handlers: JobHandler[],
  ) {
    this.byName = new Map(handlers.map((h) => [h.job.name, h as JobHandler]));
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  async dispatch(job: Job<OutboxJobData>): Promise<{ applied: boolean }> {
    const handler = this.byName.get(job.name);
    if (!handler) throw new Error(`no handler for job ${job.name} on queue ${job.queueName}`);
    const { outbox_id: outboxId, payload } = job.data;
    if (!/^\d{1,19}$/.test(String(outboxId))) throw new Error(`job ${job.id} has no valid outbox_id`);
    const applied = await runOnce(this.dataSource.manager, outboxId, job.name, (manager) => handler.effect(manager, payload, outboxId));
    if (!applied) this.logger.log(`job ${job.name} for outbox row ${outboxId} already applied: skipped`);
    return { applied };
  }
}
