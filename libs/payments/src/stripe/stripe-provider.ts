import Stripe from 'stripe';
import { ProviderIdempotencyConflict, ProviderRejected, ProviderUnavailable, type ProviderError } from '../provider/errors';
import type { PaymentProvider, PayoutRequest, PayoutResult, ProviderCharge, RefundRequest, RefundResult, WebhookHeaders } from '../provider/payment-provider';
import type { ProviderEvent } from '../provider/provider-event';
import { checkCallRequest, toProviderAmount } from '../provider/requests';
import { normalizeStripeEvent } from './stripe-event';
import { STRIPE_TOLERANCE_SECONDS, verifyStripeSignature } from './stripe-signature';

export interface StripeProviderOptions {
  webhookSecret: string;
  toleranceSeconds?: number;
  /** A Stripe client for refunds, payouts and reads; without one, those calls throw ProviderRejected. */
  client?: Stripe;
  /** Stored as `provider` on events and recharges. */
  name?: string;
}

/** Stripe's client for the worker: its own network retries reuse the idempotency key; jobs retry after that. */
export function createStripeClient(apiKey: string, overrides: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(apiKey, { maxNetworkRetries: 2, timeout: 20_000, telemetry: false, ...overrides });
}

/**
 * The Stripe adapter: webhooks verified with the official package; refunds as Stripe refunds, payouts
 * as Connect transfers to the creator's connected account (`method` = `acct_...`), each with the
 * caller's idempotency key, so a job that retries refunds or pays once.
 */
export class StripeProvider implements PaymentProvider {
  readonly name: string;
  private readonly toleranceSeconds: number;

  constructor(private readonly options: StripeProviderOptions) {
    this.name = options.name ?? 'stripe';
    this.toleranceSeconds = options.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS;
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): ProviderEvent {
    return normalizeStripeEvent(verifyStripeSignature(rawBody, headers, this.options.webhookSecret, this.toleranceSeconds), this.name);
  }

  async refundCharge(request: RefundRequest): Promise<RefundResult> {
    checkCallRequest(this.name, request);
    const refund = await this.call((stripe) =>
      stripe.refunds.create(
        {
          charge: request.chargeId,
          amount: toProviderAmount(this.name, request.amountMinor),
          reason: /fraud/i.test(request.reason) ? 'fraudulent' : /duplicate/i.test(request.reason) ? 'duplicate' : 'requested_by_customer',
          metadata: { reason: request.reason.slice(0, 500), currency: request.currency },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
    if (refund.currency.toUpperCase() !== request.currency) {
      throw new ProviderRejected(this.name, `refund ${refund.id} is in ${refund.currency.toUpperCase()}, not ${request.currency}`);
    }
    const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
    return { refundId: refund.id, status };
  }

  async payout(request: PayoutRequest): Promise<PayoutResult> {
    checkCallRequest(this.name, request);
    if (!/^acct_[A-Za-z0-9]{1,64}$/.test(request.method)) throw new ProviderRejected(this.name, 'payout method must be a connected account id acct_...');
    const transfer = await this.call((stripe) =>
      stripe.transfers.create(
        {
          amount: toProviderAmount(this.name, request.amountMinor),
          currency: request.currency.toLowerCase(),
          destination: request.method,
          metadata: { creator_id: request.creatorId },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
    // The transfer funds the connected account; its bank payout is confirmed by payout.paid / payout.failed.
    return { payoutId: transfer.id, status: transfer.reversed ? 'failed' : 'pending' };
  }

  async fetchCharge(chargeId: string): Promise<ProviderCharge> {
    const charge = await this.call((stripe) => stripe.charges.retrieve(chargeId));
    const card = charge.payment_method_details?.card;
    return {
      chargeId: charge.id,
      status: charge.status,
      amountMinor: BigInt(charge.amount),
      amountRefundedMinor: BigInt(charge.amount_refunded),
      currency: charge.currency.toUpperCase(),
      refunded: charge.refunded,
      disputed: charge.disputed,
      createdAt: new Date(charge.created * 1000),
      card: card
        ? { fingerprint: card.fingerprint ?? null, brand: card.brand ?? null, country: card.country ?? null, last4: card.last4 ?? null, wallet: card.wallet?.type ?? null }
        : null,
      metadata: { ...charge.metadata },
    };
  }

  private async call<T>(operation: (stripe: Stripe) => Promise<T>): Promise<T> {
    if (!this.options.client) throw new ProviderRejected(this.name, 'no Stripe API key is configured for provider calls');
    try {
      return await operation(this.options.client);
    } catch (error) {
      throw providerError(this.name, error);
    }
  }
}

/** Stripe's error classes → whether the same call may succeed later. */
export function providerError(provider: string, error: unknown): ProviderError {
  const stripeError = error as { type?: string; statusCode?: number; code?: string; message?: string };
  const message = (stripeError?.message ?? String(error)).slice(0, 300);
  const code = stripeError?.code ?? null;
  switch (stripeError?.type) {
    case 'StripeConnectionError':
    case 'StripeAPIError':
    case 'StripeRateLimitError':
      return new ProviderUnavailable(provider, message, code);
    case 'StripeIdempotencyError':
      return new ProviderIdempotencyConflict(provider, message, code);
  }
  if (code === 'lock_timeout' || (stripeError?.statusCode ?? 0) >= 500) return new ProviderUnavailable(provider, message, code);
  return new ProviderRejected(provider, message, code);
}
