import { ProviderIdempotencyConflict, ProviderRejected, ProviderUnavailable, type ProviderError } from '../provider/errors';
import type { PaymentProvider, PayoutRequest, PayoutResult, ProviderCharge, RefundRequest, RefundResult, WebhookHeaders } from '../provider/payment-provider';
import type { ProviderEvent } from '../provider/provider-event';
import { checkCallRequest } from '../provider/requests';
import { normalizeStripeEvent } from '../stripe/stripe-event';
import { STRIPE_TOLERANCE_SECONDS, verifyStripeSignature } from '../stripe/stripe-signature';
import { SeededRandom } from './seeded-random';
import type { SimulatedStripe } from './simulated-stripe';

export interface SimulatorProviderOptions {
  /** Stored as `provider`; `stripe` by default, since it stands in for Stripe (same endpoint, same signatures). */
  name?: string;
  webhookSecret: string;
  toleranceSeconds?: number;
  seed: string | number;
  /** Each call answers after a uniform draw from this range. */
  callLatencyMs?: { min: number; max: number };
  /** Share of refund calls that fail like a 500 or a timeout (ProviderUnavailable: retry with the same key). */
  refundFailureShare?: number;
  /** Share of payout calls that fail the same way. */
  payoutFailureShare?: number;
  /** Share of accepted payouts that the bank bounces later: `payout.failed` instead of `payout.paid`. */
  payoutBounceShare?: number;
  /** Idempotency keys remembered (Stripe keeps them 24 h); the oldest are forgotten past it. */
  maxIdempotencyKeys?: number;
}

type Remembered = { fingerprint: string; result: RefundResult | PayoutResult } | { fingerprint: string; error: ProviderError };

/**
 * A payment provider that behaves like a real one, deterministically for a seed: calls take time, a
 * configurable share fails transiently, idempotency keys replay the first answer (and refuse other
 * parameters), concurrent calls with one key are refused like Stripe's 409, and every accepted refund or
 * payout is confirmed later by its webhook (`charge.refunded`, `payout.paid` / `payout.failed`).
 */
export class SimulatorProvider implements PaymentProvider {
  readonly name: string;
  private readonly random: SeededRandom;
  private readonly keys = new Map<string, Remembered>();
  private readonly inFlight = new Set<string>();
  private readonly sleepers = new Map<NodeJS.Timeout, (error: Error) => void>();
  private readonly settings: Required<Omit<SimulatorProviderOptions, 'name' | 'webhookSecret' | 'seed'>>;
  private stopped = false;

  constructor(
    readonly stripe: SimulatedStripe,
    private readonly options: SimulatorProviderOptions,
  ) {
    this.name = options.name ?? 'stripe';
    this.random = new SeededRandom(options.seed).fork('calls');
    this.settings = {
      toleranceSeconds: options.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS,
      callLatencyMs: options.callLatencyMs ?? { min: 20, max: 200 },
      refundFailureShare: options.refundFailureShare ?? 0.05,
      payoutFailureShare: options.payoutFailureShare ?? 0.05,
      payoutBounceShare: options.payoutBounceShare ?? 0.02,
      maxIdempotencyKeys: options.maxIdempotencyKeys ?? 100_000,
    };
    for (const share of [this.settings.refundFailureShare, this.settings.payoutFailureShare, this.settings.payoutBounceShare]) {
      if (!(share >= 0 && share <= 1)) throw new Error('simulator failure shares must be between 0 and 1');
    }
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): ProviderEvent {
    return normalizeStripeEvent(verifyStripeSignature(rawBody, headers, this.options.webhookSecret, this.settings.toleranceSeconds), this.name);
  }

  refundCharge(request: RefundRequest): Promise<RefundResult> {
    checkCallRequest(this.name, request);
    const fingerprint = JSON.stringify(['refund', request.chargeId, request.amountMinor.toString(), request.currency]);
    return this.call(request.idempotencyKey, fingerprint, this.settings.refundFailureShare, () => {
      const charge = this.stripe.chargeNow(request.chargeId);
      if (!charge) throw new ProviderRejected(this.name, `no such charge: ${request.chargeId}`, 'resource_missing');
      if (String(charge.currency).toUpperCase() !== request.currency) throw new ProviderRejected(this.name, `charge ${request.chargeId} is not in ${request.currency}`, 'currency_mismatch');
      const refundable = BigInt(charge.amount as number) - BigInt(charge.amount_refunded as number);
      if (request.amountMinor > refundable) throw new ProviderRejected(this.name, `refund exceeds the refundable ${refundable}`, 'charge_already_refunded');
      const { refund } = this.stripe.refund(request.chargeId, request.amountMinor, { reason: request.reason.slice(0, 500), idempotencyKey: request.idempotencyKey });
      return { refundId: String(refund.id), status: 'pending' as const };
    });
  }

  payout(request: PayoutRequest): Promise<PayoutResult> {
    checkCallRequest(this.name, request);
    const fingerprint = JSON.stringify(['payout', request.creatorId, request.amountMinor.toString(), request.currency, request.method]);
    // Drawn at the call, not at the answer, so concurrent calls keep the seed's sequence.
    const bounces = this.random.chance(this.settings.payoutBounceShare);
    return this.call(request.idempotencyKey, fingerprint, this.settings.payoutFailureShare, () => {
      if (!request.method || request.method.length > 100) throw new ProviderRejected(this.name, 'payout method must be 1-100 characters');
      const payoutId = this.stripe.newId('po');
      this.stripe.payoutSettled({ id: payoutId, amountMinor: request.amountMinor, currency: request.currency, creatorId: request.creatorId, method: request.method, status: bounces ? 'failed' : 'paid', idempotencyKey: request.idempotencyKey });
      return { payoutId, status: 'pending' as const };
    });
  }

  async fetchCharge(chargeId: string): Promise<ProviderCharge> {
    await this.sleep(this.random.int(this.settings.callLatencyMs.min, this.settings.callLatencyMs.max));
    const charge = this.stripe.chargeNow(chargeId);
    if (!charge) throw new ProviderRejected(this.name, `no such charge: ${chargeId}`, 'resource_missing');
    const card = (charge.payment_method_details as { card: { fingerprint: string; brand: string; country: string; last4: string; wallet: { type: string } | null } }).card;
    return {
      chargeId,
      status: 'succeeded',
      amountMinor: BigInt(charge.amount as number),
      amountRefundedMinor: BigInt(charge.amount_refunded as number),
      currency: String(charge.currency).toUpperCase(),
      refunded: charge.refunded === true,
      disputed: charge.disputed === true,
      createdAt: new Date((charge.created as number) * 1000),
      card: { fingerprint: card.fingerprint, brand: card.brand, country: card.country, last4: card.last4, wallet: card.wallet?.type ?? null },
      metadata: { ...(charge.metadata as Record<string, string>) },
    };
  }

  /** Rejects pending calls and clears their timers; the simulated Stripe's deliveries stop too. */
  stop(): void {
    this.stopped = true;
    for (const [timer, reject] of this.sleepers) {
      clearTimeout(timer);
      reject(new ProviderUnavailable(this.name, 'simulator stopped'));
    }
    this.sleepers.clear();
    this.stripe.stop();
  }

  private async call<T extends RefundResult | PayoutResult>(key: string, fingerprint: string, failureShare: number, effect: () => T): Promise<T> {
    const latencyMs = this.random.int(this.settings.callLatencyMs.min, this.settings.callLatencyMs.max);
    const fails = this.random.chance(failureShare);
    if (this.inFlight.has(key)) throw new ProviderUnavailable(this.name, 'a request with this idempotency key is in progress', 'idempotency_key_in_use');
    this.inFlight.add(key);
    try {
      await this.sleep(latencyMs);
      if (fails) throw new ProviderUnavailable(this.name, 'simulated outage (HTTP 500)', 'api_error');
      const remembered = this.keys.get(key);
      if (remembered) {
        if (remembered.fingerprint !== fingerprint) throw new ProviderIdempotencyConflict(this.name, `idempotency key ${key} was used with other parameters`);
        if ('error' in remembered) throw remembered.error;
        return remembered.result as T;
      }
      try {
        const result = effect();
        this.remember(key, { fingerprint, result });
        return result;
      } catch (error) {
        if (error instanceof ProviderRejected) this.remember(key, { fingerprint, error });
        throw error;
      }
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, value: Remembered): void {
    this.keys.set(key, value);
    if (this.keys.size > this.settings.maxIdempotencyKeys) this.keys.delete(this.keys.keys().next().value as string);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new ProviderUnavailable(this.name, 'simulator stopped'));
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, reject);
    });
  }
}
