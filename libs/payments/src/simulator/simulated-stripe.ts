import Stripe from 'stripe';
import { SeededRandom } from './seeded-random';
import {
  chargeObject, disputeObject, earlyFraudWarningObject, eventEnvelope, payoutObject, refundObject,
  type ChargeFields, type DisputeFields, type SimulatedCard, type StripeJson,
} from './stripe-objects';
import { WebhookDelivery, type DeliveryOptions, type DeliveryStats } from './webhook-delivery';

export interface SimulatedStripeOptions {
  /** The webhook signing secret shared with the API (STRIPE_WEBHOOK_SECRET). */
  secret: string;
  seed: string | number;
  /** POST every event to `delivery.url`; without it, events wait in memory for `takeEmitted()`. */
  delivery?: Partial<DeliveryOptions> & { url: string };
  /** Charges, disputes and payouts remembered at most; the oldest are forgotten past it. */
  maxObjects?: number;
  /** Events kept for `takeEmitted()` at most (without delivery); the oldest are dropped past it. */
  maxEmitted?: number;
  /** The simulated Stripe clock, unix seconds: event and object `created` times. */
  nowSeconds?: () => number;
}

export interface SimulatedChargeInput {
  userId: string;
  coins: bigint;
  amountMinor: bigint;
  /** ISO 4217, any case. */
  currency: string;
  packageId?: string;
  deviceId?: string;
  ip?: string;
  /** Reuse a card across charges (card sharing) by passing the same fingerprint; the rest is drawn. */
  card?: Partial<SimulatedCard>;
  /** Merged into metadata last: a test can send anything a real payload could carry. */
  metadata?: Record<string, string>;
}

interface ChargeState {
  fields: ChargeFields;
  amountRefundedMinor: bigint;
  refunds: StripeJson[];
  disputed: boolean;
}

const BRANDS = ['visa', 'mastercard', 'amex', 'discover'] as const;
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'NG', 'ID', 'MX'] as const;

/**
 * Stripe's side of the conversation, in memory: charges, refunds, disputes, early fraud warnings and
 * payouts, each announced by a Stripe-shaped, Stripe-signed event (`SIMULATED_API_VERSION`). With a
 * delivery URL the events go through `WebhookDelivery` (late, shuffled, duplicated, retried).
 */
export class SimulatedStripe {
  readonly delivery: WebhookDelivery | null;
  private readonly objects: SeededRandom;
  private readonly cards: SeededRandom;
  private readonly charges = new Map<string, ChargeState>();
  private readonly disputes = new Map<string, DisputeFields>();
  private readonly emitted: StripeJson[] = [];
  private readonly maxObjects: number;
  private readonly maxEmitted: number;

  constructor(private readonly options: SimulatedStripeOptions) {
    const random = new SeededRandom(options.seed);
    this.objects = random.fork('objects');
    this.cards = random.fork('cards');
    this.maxObjects = options.maxObjects ?? 100_000;
    this.maxEmitted = options.maxEmitted ?? 10_000;
    this.delivery = options.delivery
      ? new WebhookDelivery({ ...options.delivery, secret: options.secret, seed: options.seed, nowSeconds: options.delivery.nowSeconds ?? options.nowSeconds })
      : null;
  }

  now(): number {
    return Math.floor(this.options.nowSeconds?.() ?? Date.now() / 1000);
  }

  /** A successful charge, announced by `charge.succeeded`; returns the event. */
  charge(input: SimulatedChargeInput): StripeJson {
    const card = this.card(input.card);
    const fields: ChargeFields = {
      id: this.objects.id('ch'),
      paymentIntentId: this.objects.id('pi'),
      amountMinor: input.amountMinor,
      currency: input.currency,
      createdSeconds: this.now(),
      card,
      metadata: {
        user_id: input.userId,
        coins: input.coins.toString(),
        ...(input.packageId ? { package_id: input.packageId } : {}),
        ...(input.deviceId ? { device_id: input.deviceId } : {}),
        ...(input.ip ? { ip: input.ip } : {}),
        ...input.metadata,
      },
    };
    const state: ChargeState = { fields, amountRefundedMinor: 0n, refunds: [], disputed: false };
    this.remember(this.charges, fields.id, state);
    return this.emit('charge.succeeded', this.chargeJson(state));
  }

  /** Refunds part or all of a charge, announced by `charge.refunded` (the charge with its new totals). */
  refund(chargeId: string, amountMinor: bigint, options: { refundId?: string; reason?: string; idempotencyKey?: string } = {}): { refund: StripeJson; event: StripeJson } {
    const state = this.chargeState(chargeId);
    const rest = state.fields.amountMinor - state.amountRefundedMinor;
    if (amountMinor <= 0n || amountMinor > rest) throw new RangeError(`refund of ${amountMinor} exceeds the refundable ${rest} of ${chargeId}`);
    const refund = refundObject(options.refundId ?? this.objects.id('re'), chargeId, amountMinor, state.fields.currency, this.now(), options.reason ?? '');
    state.amountRefundedMinor += amountMinor;
    state.refunds = [refund, ...state.refunds].slice(0, 10);
    const event = this.emit('charge.refunded', this.chargeJson(state), { idempotencyKey: options.idempotencyKey });
    return { refund, event };
  }

  openDispute(chargeId: string, reason = 'fraudulent'): StripeJson {
    const state = this.chargeState(chargeId);
    state.disputed = true;
    const dispute: DisputeFields = {
      id: this.objects.id('dp'),
      chargeId,
      amountMinor: state.fields.amountMinor - state.amountRefundedMinor,
      currency: state.fields.currency,
      reason,
      createdSeconds: this.now(),
      status: 'needs_response',
    };
    this.remember(this.disputes, dispute.id, dispute);
    return this.emit('charge.dispute.created', disputeObject(dispute));
  }

  updateDispute(disputeId: string, status: 'under_review' | 'needs_response' = 'under_review'): StripeJson {
    const dispute = this.dispute(disputeId);
    const previous = dispute.status;
    dispute.status = status;
    return this.emit('charge.dispute.updated', disputeObject(dispute), { previousAttributes: { status: previous } });
  }

  closeDispute(disputeId: string, outcome: 'won' | 'lost'): StripeJson {
    const dispute = this.dispute(disputeId);
    dispute.status = outcome;
    return this.emit('charge.dispute.closed', disputeObject(dispute));
  }

  earlyFraudWarning(chargeId: string, fraudType = 'made_with_stolen_card'): StripeJson {
    this.chargeState(chargeId);
    return this.emit('radar.early_fraud_warning.created', earlyFraudWarningObject(this.objects.id('issfr'), chargeId, fraudType, this.now()));
  }

  /** A payout's outcome, announced by `payout.paid` or `payout.failed`. */
  payoutSettled(payout: { id: string; amountMinor: bigint; currency: string; creatorId: string; method: string; status: 'paid' | 'failed'; idempotencyKey?: string }): StripeJson {
    const object = payoutObject({ ...payout, createdSeconds: this.now() });
    return this.emit(`payout.${payout.status}`, object, { idempotencyKey: payout.idempotencyKey });
  }

  /** The charge as it is now (what `fetchCharge` reads), or undefined when unknown or forgotten. */
  chargeNow(chargeId: string): StripeJson | undefined {
    const state = this.charges.get(chargeId);
    return state ? this.chargeJson(state) : undefined;
  }

  newId(prefix: string): string {
    return this.objects.id(prefix);
  }

  /** Wraps an object in an event and sends it (or keeps it for `takeEmitted`). */
  emit(type: string, object: StripeJson, extras: { previousAttributes?: StripeJson; idempotencyKey?: string | null } = {}): StripeJson {
    const event = eventEnvelope(this.objects.id('evt'), type, this.now(), object, extras);
    if (this.delivery) this.delivery.send(event as { id: string; type: string });
    else {
      this.emitted.push(event);
      if (this.emitted.length > this.maxEmitted) this.emitted.shift();
    }
    return event;
  }

  /** The events emitted since the last call, oldest first (without a delivery URL). */
  takeEmitted(): StripeJson[] {
    return this.emitted.splice(0);
  }

  /** The body and `Stripe-Signature` header Stripe would send for an event, signed now (or at `timestampSeconds`). */
  sign(event: StripeJson, timestampSeconds = this.now()): { body: string; signature: string } {
    const body = JSON.stringify(event, null, 2);
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: this.options.secret, timestamp: timestampSeconds }) };
  }

  stats(): DeliveryStats | null {
    return this.delivery?.stats() ?? null;
  }

  idle(): Promise<void> {
    return this.delivery?.idle() ?? Promise.resolve();
  }

  stop(): void {
    this.delivery?.stop();
  }

  private card(given: Partial<SimulatedCard> = {}): SimulatedCard {
    return {
      fingerprint: given.fingerprint ?? this.cards.id('fp', 16).slice(3),
      brand: given.brand ?? this.cards.pick(BRANDS),
      country: given.country ?? this.cards.pick(COUNTRIES),
      last4: given.last4 ?? String(this.cards.int(0, 9999)).padStart(4, '0'),
      wallet: given.wallet ?? null,
    };
  }

  private chargeJson(state: ChargeState): StripeJson {
    return chargeObject(state.fields, state);
  }

  private chargeState(chargeId: string): ChargeState {
    const state = this.charges.get(chargeId);
    if (!state) throw new RangeError(`no such charge: ${chargeId}`);
    return state;
  }

  private dispute(disputeId: string): DisputeFields {
    const dispute = this.disputes.get(disputeId);
    if (!dispute) throw new RangeError(`no such dispute: ${disputeId}`);
    return dispute;
  }

  private remember<T>(map: Map<string, T>, id: string, value: T): void {
    map.set(id, value);
    if (map.size > this.maxObjects) map.delete(map.keys().next().value as string);
  }
}
