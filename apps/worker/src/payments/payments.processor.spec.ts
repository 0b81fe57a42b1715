import { JOBS } from '@coinops/outbox';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { WorkerDomain } from '../domain/domain.providers';
import type { OutboxJobData } from '../job-handlers';
import type { OutboxDispatcher } from '../outbox/outbox-processor';
import { OTHER_JOBS_CONCURRENCY, PaymentsProcessor } from './payments.processor';

describe('the payments processor', () => {
  it('runs the queue’s other jobs through the dispatcher, at most a few at once, while it takes many', async () => {
    let running = 0;
    let most = 0;
    const dispatcher = {
      dispatch: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        return { applied: true };
      },
    } as unknown as OutboxDispatcher;
    const processor = new PaymentsProcessor(dispatcher, {} as DataSource, {} as WorkerDomain);
    const job = (i: number) => ({ id: `outbox-${i}`, name: JOBS.providerEventReceived.name, data: { outbox_id: String(i), payload: {} } }) as Job<OutboxJobData>;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => processor.process(job(i))));
    expect(results).toHaveLength(40);
    expect(results.every((r) => r.applied)).toBe(true);
    expect(most).toBe(OTHER_JOBS_CONCURRENCY);
  });
});
