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

/** A recharge was stored (webhook or platform event): the worker evaluates it (libs/payments). */
export interface RechargeReceivedPayload {
  recharge_id: string;
  provider: string;
  provider_ref: string;
}

export const QUEUES = {
  notifications: 'notifications',
  payments: 'payments',
  ledger: 'ledger',
  reviews: 'reviews',
  risk: 'risk',
} as const;

/**
 * Repeatable jobs the worker schedules itself (BullMQ job schedulers), not carried by the outbox:
 * their processors live beside their queue in apps/worker.
 */
export const SCHEDULED_JOBS = {
  /** Every ledger invariant, hourly; violations alert (docs/economy.md, "Ledger verification"). */
  ledgerVerify: { queue: QUEUES.ledger, name: 'ledger.verify', schedulerId: 'ledger-verify-hourly', everyMs: 3_600_000 },
  /** Review items past their SLA become `escalated`, audited (docs/reviews.md); the shortest SLA is 5 minutes. */
  reviewsEscalate: { queue: QUEUES.reviews, name: 'reviews.escalate', schedulerId: 'reviews-escalate-every-minute', everyMs: 60_000 },
} as const;

/** Gifts the API posted in one batch, for the risk engine's gift-side features (observed by the worker). */
export interface GiftsPostedPayload {
  gifts: Array<{ gift_id: string; sender_id: string; creator_id: string; coins: string; occurred_at: string }>;
}

export const JOBS = {
  operatorNotification: job<OperatorNotificationPayload>(QUEUES.notifications, 'operator.notification'),
  rechargeReceived: job<RechargeReceivedPayload>(QUEUES.payments, 'recharge.received'),
  giftsPosted: job<GiftsPostedPayload>(QUEUES.risk, 'gifts.posted'),
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS]['name'];

/** The BullMQ job id of an outbox row: BullMQ ignores a second add with the same id. */
export const jobIdOf = (outboxId: string | bigint): string => `outbox-${outboxId}`;
