import type { JobDefinition } from '@coinops/outbox';
import type { EntityManager } from 'typeorm';

/** An outbox job as the worker receives it from BullMQ. */
export interface OutboxJobData<P = unknown> {
  outbox_id: string;
  payload: P;
}

/** The effect of one job, run inside the transaction that also writes its receipt. */
export type JobEffect<P> = (manager: EntityManager, payload: P, outboxId: string) => Promise<void>;

export interface JobHandler<P = unknown> {
  job: JobDefinition<P>;
  effect: JobEffect<P>;
}

export const handler = <P>(job: JobDefinition<P>, effect: JobEffect<P>): JobHandler<P> => ({ job, effect });
