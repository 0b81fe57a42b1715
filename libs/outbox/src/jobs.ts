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
  reporting: 'reporting',
  risk: 'risk',
  providerEvents: 'provider-events',
  refunds: 'refunds',
  payouts: 'payouts',
  chargebacks: 'chargebacks',
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
  /** Dashboard rollups brought up to date (docs/reporting.md): each run recomputes a recent window. */
  reportingRollup: { queue: QUEUES.reporting, name: 'reporting.rollup', schedulerId: 'reporting-rollup-every-minute', everyMs: 60_000 },
  /** Yesterday's reconciliation of each provider against the ledger, redone hourly so late events land (docs/reporting.md). */
  reportingReconcile: { queue: QUEUES.reporting, name: 'reporting.reconcile', schedulerId: 'reporting-reconcile-hourly', everyMs: 3_600_000 },
  /** Provider events that waited (their charge not evaluated yet) or failed are offered to their flow again. */
  providerEventsSweep: { queue: QUEUES.providerEvents, name: 'provider-events.sweep', schedulerId: 'provider-events-sweep', everyMs: 5_000 },
  /** Recharges waiting as `blocked_pending_refund` without a refund (a rejected review, older data) get their automatic refund. */
  refundsSweepBlocked: { queue: QUEUES.refunds, name: 'refunds.sweep-blocked', schedulerId: 'refunds-sweep-blocked', everyMs: 60_000 },
  /** Approved payouts batched per method and sent to the provider; unconfirmed sends retried with the same key (docs/payouts.md). */
  payoutsExecute: { queue: QUEUES.payouts, name: 'payouts.execute', schedulerId: 'payouts-execute', everyMs: 15_000 },
  /** Open payouts' holds re-evaluated: a hold whose cause cleared releases itself (docs/payouts.md). */
  payoutsReevaluate: { queue: QUEUES.payouts, name: 'payouts.reevaluate', schedulerId: 'payouts-reevaluate-every-minute', everyMs: 60_000 },
  /** Chargeback ratios per provider, method and card brand recomputed; a crossed threshold alerts once per month (docs/chargebacks.md). */
  chargebackRatio: { queue: QUEUES.chargebacks, name: 'chargebacks.ratio-monitor', schedulerId: 'chargeback-ratio-hourly', everyMs: 3_600_000 },
} as const;

/** Gifts the API posted in one batch, for the risk engine's gift-side features (observed by the worker). */
export interface GiftsPostedPayload {
  gifts: Array<{ gift_id: string; sender_id: string; creator_id: string; coins: string; occurred_at: string }>;
}

/** A handled provider event other than `charge.succeeded` was stored: the worker hands it to its flow. */
export interface ProviderEventReceivedPayload {
  provider_event_row_id: string;
  provider: string;
  type: string;
}

/** A refund was approved (or retried): the worker calls the provider (docs/refunds.md). */
export interface RefundExecutePayload {
  refund_id: string;
  attempt: number;
}

/** A review rejected a held recharge (its hold voided): the refund flow starts its automatic refund. */
export interface RechargeRejectedPayload {
  recharge_id: string;
  review_id: string;
  reason: string;
}

export const JOBS = {
  operatorNotification: job<OperatorNotificationPayload>(QUEUES.notifications, 'operator.notification'),
  rechargeReceived: job<RechargeReceivedPayload>(QUEUES.payments, 'recharge.received'),
  giftsPosted: job<GiftsPostedPayload>(QUEUES.risk, 'gifts.posted'),
  providerEventReceived: job<ProviderEventReceivedPayload>(QUEUES.payments, 'provider-event.received'),
  refundExecute: job<RefundExecutePayload>(QUEUES.payments, 'refund.execute'),
  rechargeRejected: job<RechargeRejectedPayload>(QUEUES.payments, 'recharge.rejected'),
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS]['name'];

/** The BullMQ job id of an outbox row: BullMQ ignores a second add with the same id. */
export const jobIdOf = (outboxId: string | bigint): string => `outbox-${outboxId}`;
