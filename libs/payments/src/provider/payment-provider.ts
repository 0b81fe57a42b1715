import type { ProviderEvent } from './provider-event';

/** Incoming request headers as Node gives them (lower-case names). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface RefundRequest {
  /** The provider's charge reference (`ch_...` for Stripe). */
  chargeId: string;
  amountMinor: bigint;
  /** ISO 4217, upper case: must be the charge's currency. */
  currency: string;
  /** Same key, same request: the provider answers the first result again and refunds once. */
  idempotencyKey: string;
  /** Why, kept with the refund at the provider (free text, at most 500 characters). */
  reason: string;
}

/** `pending` until the provider confirms by webhook (`charge.refunded`); `failed` is final. */
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface RefundResult {
  refundId: string;
  status: RefundStatus;
}

export interface PayoutRequest {
  creatorId: string;
  amountMinor: bigint;
  currency: string;
  /** Where the money goes, in the provider's terms (a Stripe connected account `acct_...`, a simulator label). */
  method: string;
  idempotencyKey: string;
}

/** `pending` until the provider confirms by webhook (`payout.paid` / `payout.failed`). */
export type PayoutStatus = 'pending' | 'paid' | 'failed';

export interface PayoutResult {
  payoutId: string;
  status: PayoutStatus;
}

/** A charge as the provider knows it now: the current object state, whatever order webhooks came in. */
export interface ProviderCharge {
  chargeId: string;
  status: 'succeeded' | 'pending' | 'failed';
  amountMinor: bigint;
  amountRefundedMinor: bigint;
  currency: string;
  refunded: boolean;
  disputed: boolean;
  createdAt: Date;
  card: { fingerprint: string | null; brand: string | null; country: string | null; last4: string | null; wallet: string | null } | null;
  metadata: Record<string, string>;
}

/**
 * One payment provider behind one interface (docs/payments.md). The API verifies webhooks with it;
 * the worker calls refunds and payouts from jobs with retries, so every call takes an idempotency key
 * and is safe to repeat. Failures are `ProviderError`s that say whether a retry can help.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Checks the signature on the exact bytes received and normalizes the event; throws `WebhookSignatureInvalid`. */
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): ProviderEvent;
  refundCharge(request: RefundRequest): Promise<RefundResult>;
  payout(request: PayoutRequest): Promise<PayoutResult>;
  fetchCharge(chargeId: string): Promise<ProviderCharge>;
}
