import { QUEUES } from '@coinops/outbox';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { OutboxJobData } from '../job-handlers';
import { OutboxDispatcher } from '../outbox/outbox-processor';

@Processor(QUEUES.risk, { concurrency: 4 })
export class RiskProcessor extends WorkerHost {
  constructor(private readonly dispatcher: OutboxDispatcher) {
    super();
  }

  process(job: Job<OutboxJobData>) {
    return this.dispatcher.dispatch(job);
  }
}
