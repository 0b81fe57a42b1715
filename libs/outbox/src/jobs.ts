/**
 * Every job that goes through the outbox: its queue, its name and its payload type.
 * The worker refuses to start if a job here has no processor (apps/worker checks at boot).
 */
export interface JobDefinition<P> {
  queue: string;
  name: string;
  /** Type carrier only; never read at runtime. */
  readonly payload?: P;
}

function job<P>(queue: string, name: string): JobDefinition<P> {
  return { queue, name };
}

export interface OperatorNotificationPayload {
  operator_id: string;
  kind: string;
  message: string;
}

export const QUEUES = {
  notifications: 'notifications',
} as const;

export const JOBS = {
  operatorNotification: job<OperatorNotificationPayload>(QUEUES.notifications, 'operator.notification'),
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS]['name'];

/** The BullMQ job id of an outbox row: BullMQ ignores a second add with the same id. */
export const jobIdOf = (outboxId: string | bigint): string => `outbox-${outboxId}`;
