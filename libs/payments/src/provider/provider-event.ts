import type { RechargeIntake } from '../recharges/recharge-intake';

/** What a stored event means to coinops, independent of the provider's JSON. Amounts are bigint. */
export type NormalizedEvent =
  | ChargeSucceeded
  | ChargeRefunded
  | DisputeEvent
  | EarlyFraudWarning
  | PayoutEvent;

export interface ChargeSucceeded {
  kind: 'charge_succeeded';
  chargeId: string;
  /** null when the charge cannot become a recharge (`problems` says why); the event is kept for reconciliation. */
  recharge: RechargeIntake | null;
  problems: string[];
}

export interface ChargeRefunded {
  kind: 'charge_refunded';
  chargeId: string;
  /** Cumulative, as the charge object says at `created`: take the largest seen, never add them up. */
  amountRefundedMinor: bigint;
  amountMinor: bigint;
  currency: string;
  /** true once the charge is refunded in full. */
  refunded: boolean;
  refundIds: string[];
}

export const DISPUTE_STATUSES = ['warning_needs_response', 'warning_under_review', 'warning_closed', 'needs_response', 'under_review', 'won', 'lost', 'prevented'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/**
 * How far a dispute has gone: when two events of one dispute carry the same `created` second, the
 * higher rank is the later state. Final states (won, lost, prevented, warning_closed) outrank the rest.
 */
export const DISPUTE_STATUS_RANK: Readonly<Record<DisputeStatus, number>> = {
  warning_needs_response: 0,
  warning_under_review: 1,
  needs_response: 2,
  under_review: 3,
  warning_closed: 4,
  won: 4,
  lost: 4,
  prevented: 4,
};

export interface DisputeEvent {
  kind: 'dispute';
  phase: 'created' | 'updated' | 'closed';
  disputeId: string;
  chargeId: string;
  status: DisputeStatus;
  reason: string;
  amountMinor: bigint;
  currency: string;
  evidenceDueBy: Date | null;
}

export interface EarlyFraudWarning {
  kind: 'early_fraud_warning';
  warningId: string;
  chargeId: string;
  fraudType: string;
  actionable: boolean;
}

export interface PayoutEvent {
  kind: 'payout';
  payoutId: string;
  status: 'paid' | 'failed';
  amountMinor: bigint;
  currency: string;
  creatorId: string | null;
  /** The idempotency key of the API call that created the payout, when the provider reports it. */
  idempotencyKey: string | null;
  failureCode: string | null;
}

/** A verified webhook event, normalized, with its payload redacted (docs/payments.md, "What is stored"). */
export interface ProviderEvent {
  provider: string;
  /** The provider's event id (`evt_...`): stored once per provider. */
  id: string;
  type: string;
  /** false for a type coinops does not use: acknowledged, recorded as seen, payload not kept. */
  handled: boolean;
  /** The provider's own time of the event, which consumers order by (never the arrival time). */
  createdAt: Date;
  /** The object the event is about (`ch_...`, `dp_...`, `issfr_...`, `po_...`). */
  objectId: string | null;
  /** The charge it concerns, so refunds and disputes join their recharge whatever order they came in. */
  chargeId: string | null;
  normalized: NormalizedEvent | null;
  /** The redacted provider JSON; null for unhandled types. */
  payload: Record<string, unknown> | null;
}
