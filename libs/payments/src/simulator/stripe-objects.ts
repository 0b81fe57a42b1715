/**
 * Stripe-shaped JSON for the simulator: the fields coinops reads plus enough of the rest that the
 * payloads look like Stripe's (API version below). Amounts are JSON integers of minor units, as Stripe
 * sends them; currencies lower case; times unix seconds.
 */
export const SIMULATED_API_VERSION = '2025-08-27.basil';

export type StripeJson = Record<string, unknown>;

export interface SimulatedCard {
  fingerprint: string;
  brand: string;
  /** ISO 3166-1 alpha-2 of the issuer (what coinops stores as bin_country). */
  country: string;
  last4: string;
  /** `apple_pay`, `google_pay`, or null for a card used directly. */
  wallet: 'apple_pay' | 'google_pay' | null;
}

export interface ChargeFields {
  id: string;
  paymentIntentId: string;
  amountMinor: bigint;
  currency: string;
  createdSeconds: number;
  card: SimulatedCard;
  metadata: Record<string, string>;
}

export function chargeObject(fields: ChargeFields, state: { amountRefundedMinor: bigint; refunds: StripeJson[]; disputed: boolean }): StripeJson {
  const amount = Number(fields.amountMinor);
  const { card } = fields;
  return {
    id: fields.id,
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: Number(state.amountRefundedMinor),
    captured: true,
    created: fields.createdSeconds,
    currency: fields.currency.toLowerCase(),
    description: null,
    disputed: state.disputed,
    livemode: false,
    metadata: { ...fields.metadata },
    outcome: { network_status: 'approved_by_network', risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid: true,
    payment_intent: fields.paymentIntentId,
    payment_method: `pm_${fields.id.slice(3)}`,
    payment_method_details: {
      type: 'card',
      card: {
        brand: card.brand,
        country: card.country,
        exp_month: 12,
        exp_year: 2030,
        fingerprint: card.fingerprint,
        funding: 'credit',
        last4: card.last4,
        network: card.brand,
        wallet: card.wallet ? { type: card.wallet, [card.wallet]: {}, dynamic_last4: card.last4 } : null,
      },
    },
    refunded: state.amountRefundedMinor >= fields.amountMinor,
    refunds: { object: 'list', data: state.refunds, has_more: false, total_count: state.refunds.length, url: `/v1/charges/${fields.id}/refunds` },
    status: 'succeeded',
  };
}

export function refundObject(id: string, chargeId: string, amountMinor: bigint, currency: string, createdSeconds: number, reason: string): StripeJson {
  return { id, object: 'refund', amount: Number(amountMinor), charge: chargeId, created: createdSeconds, currency: currency.toLowerCase(), metadata: { reason }, reason: 'requested_by_customer', status: 'succeeded' };
}

export interface DisputeFields {
  id: string;
  chargeId: string;
  amountMinor: bigint;
  currency: string;
  reason: string;
  createdSeconds: number;
  status: string;
}

export function disputeObject(fields: DisputeFields): StripeJson {
  return {
    id: fields.id,
    object: 'dispute',
    amount: Number(fields.amountMinor),
    charge: fields.chargeId,
    created: fields.createdSeconds,
    currency: fields.currency.toLowerCase(),
    evidence_details: { due_by: fields.createdSeconds + 7 * 24 * 3600, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    reason: fields.reason,
    status: fields.status,
  };
}

export function earlyFraudWarningObject(id: string, chargeId: string, fraudType: string, createdSeconds: number): StripeJson {
  return { id, object: 'radar.early_fraud_warning', actionable: true, charge: chargeId, created: createdSeconds, fraud_type: fraudType, livemode: false };
}

export interface PayoutFields {
  id: string;
  amountMinor: bigint;
  currency: string;
  creatorId: string;
  method: string;
  createdSeconds: number;
  status: 'paid' | 'failed';
}

export function payoutObject(fields: PayoutFields): StripeJson {
  const failed = fields.status === 'failed';
  return {
    id: fields.id,
    object: 'payout',
    amount: Number(fields.amountMinor),
    arrival_date: fields.createdSeconds + 24 * 3600,
    created: fields.createdSeconds,
    currency: fields.currency.toLowerCase(),
    failure_code: failed ? 'account_closed' : null,
    failure_message: failed ? 'The bank account has been closed.' : null,
    livemode: false,
    metadata: { creator_id: fields.creatorId, method: fields.method },
    method: 'standard',
    status: fields.status,
  };
}

export function eventEnvelope(
  id: string,
  type: string,
  createdSeconds: number,
  object: StripeJson,
  extras: { previousAttributes?: StripeJson; idempotencyKey?: string | null } = {},
): StripeJson {
  return {
    id,
    object: 'event',
    api_version: SIMULATED_API_VERSION,
    created: createdSeconds,
    data: { object, ...(extras.previousAttributes ? { previous_attributes: extras.previousAttributes } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: extras.idempotencyKey ? `req_${id.slice(4, 18)}` : null, idempotency_key: extras.idempotencyKey ?? null },
    type,
  };
}
