import { SeededRandom, SimulatedStripe, type StripeJson } from '@coinops/payments';
import { fingerprint, formInteger, type FormValue } from './form';
import type { StripeSimOptions } from './options';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Effect = () => Reply;
type FaultMode = 'before' | 'after';

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

export function stripeError(status: number, type: string, message: string, extra: { code?: string; param?: string } = {}): Reply {
  return { status, body: { error: { type, message, ...extra } } };
}

/**
 * The `/v1` half of the simulator: Stripe's refunds, transfers and charge reads over the in-memory
 * `SimulatedStripe`, with Stripe's idempotency semantics (same key + same parameters replays the first
 * answer, other parameters are a 400 `idempotency_error`, a concurrent call with the key is a 409) and
 * injected 500s: half fail before acting, half after (the effect happened, the answer was lost), so a
 * retry with the same key must act exactly once either way.
 */
export class StripeApi {
  private readonly random: SeededRandom;
  private readonly keys = new Map<string, { fingerprint: string; reply: Reply }>();
  private readonly inFlight = new Set<string>();
  private readonly pendingRefundsMinor = new Map<string, bigint>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Faults forced by `/sim/faults` (tests): the next calls fail this way, in order, before any drawn ones. */
  private readonly forced: FaultMode[] = [];
  readonly counters = { refunds: 0, transfers: 0, chargeReads: 0, replays: 0, injectedFailures: 0 };

  constructor(
    readonly stripe: SimulatedStripe,
    private readonly options: StripeSimOptions,
  ) {
    this.random = new SeededRandom(options.seed).fork('api');
  }

  forceFaults(count: number, mode: FaultMode): void {
    for (let i = 0; i < Math.min(count, 100); i++) this.forced.push(mode);
  }

  latencyMs(): number {
    return this.random.int(this.options.callLatencyMs.min, this.options.callLatencyMs.max);
  }

  getCharge(chargeId: string): Reply {
    this.counters.chargeReads += 1;
    const charge = this.stripe.chargeNow(chargeId);
    if (!charge) return stripeError(404, 'invalid_request_error', `No such charge: '${chargeId}'`, { code: 'resource_missing', param: 'id' });
    return { status: 200, body: charge };
  }

  createRefund(form: Record<string, FormValue>, key: string | null): Reply {
    return this.idempotent('/v1/refunds', form, key, this.options.refundFailureShare, () => this.refund(form, key));
  }

  createTransfer(form: Record<string, FormValue>, key: string | null): Reply {
    return this.idempotent('/v1/transfers', form, key, this.options.transferFailureShare, () => this.transfer(form, key));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private idempotent(path: string, form: Record<string, FormValue>, key: string | null, failureShare: number, effect: Effect): Reply {
    const fault = this.forced.shift() ?? (this.random.chance(failureShare) ? (this.random.chance(0.5) ? 'before' : 'after') : null);
    if (key === null) return this.withFault(fault, effect);
    const print = fingerprint(path, form);
    if (this.inFlight.has(key)) return stripeError(409, 'idempotency_error', 'There is currently another in-progress request using this Idempotent Key', { code: 'idempotency_key_in_use' });
    const remembered = this.keys.get(key);
    if (remembered) {
      if (remembered.fingerprint !== print) {
        return stripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
      }
      this.counters.replays += 1;
      if (fault === 'before') return this.outage();
      return { ...remembered.reply, headers: { ...remembered.reply.headers, 'idempotent-replayed': 'true' } };
    }
    this.inFlight.add(key);
    try {
      return this.withFault(fault, effect, (reply) => {
        // Stripe saves the result once the endpoint started executing: successes and refusals alike.
        this.keys.set(key, { fingerprint: print, reply });
        if (this.keys.size > this.options.maxIdempotencyKeys) this.keys.delete(this.keys.keys().next().value as string);
      });
    } finally {
      this.inFlight.delete(key);
    }
  }

  private withFault(fault: FaultMode | null, effect: Effect, remember: (reply: Reply) => void = () => undefined): Reply {
    if (fault === 'before') return this.outage();
    const reply = effect();
    remember(reply);
    return fault === 'after' ? this.outage() : reply;
  }

  private outage(): Reply {
    this.counters.injectedFailures += 1;
    return stripeError(500, 'api_error', 'Simulated Stripe outage (HTTP 500): retry with the same idempotency key.');
  }

  private refund(form: Record<string, FormValue>, key: string | null): Reply {
    const chargeId = typeof form.charge === 'string' ? form.charge : '';
    const charge = chargeId ? this.stripe.chargeNow(chargeId) : undefined;
    if (!charge) return stripeError(400, 'invalid_request_error', `No such charge: '${chargeId}'`, { code: 'resource_missing', param: 'charge' });
    const reason = typeof form.reason === 'string' ? form.reason : 'requested_by_customer';
    if (!REFUND_REASONS.includes(reason)) return stripeError(400, 'invalid_request_error', `Invalid reason: must be one of ${REFUND_REASONS.join(', ')}`, { param: 'reason' });
    const pending = this.pendingRefundsMinor.get(chargeId) ?? 0n;
    const refundable = BigInt(charge.amount as number) - BigInt(charge.amount_refunded as number) - pending;
    const amountMinor = form.amount === undefined ? refundable : formInteger(form.amount);
    if (amountMinor === null || amountMinor <= 0n) return stripeError(400, 'invalid_request_error', 'Invalid positive integer', { param: 'amount' });
    if (amountMinor > refundable) {
      return stripeError(400, 'invalid_request_error', `Refund amount (${amountMinor}) is greater than unrefunded amount on charge (${refundable})`, { code: 'charge_already_refunded', param: 'amount' });
    }
    this.counters.refunds += 1;
    const refundId = this.stripe.newId('re');
    const metadata = typeof form.metadata === 'object' ? form.metadata : {};
    this.pendingRefundsMinor.set(chargeId, pending + amountMinor);
    // Stripe answers `pending` and confirms with charge.refunded later; the charge shows it from then on.
    this.later(() => {
      const left = (this.pendingRefundsMinor.get(chargeId) ?? amountMinor) - amountMinor;
      if (left > 0n) this.pendingRefundsMinor.set(chargeId, left);
      else this.pendingRefundsMinor.delete(chargeId);
      this.stripe.refund(chargeId, amountMinor, { refundId, reason: metadata.reason ?? reason, idempotencyKey: key ?? undefined });
    });
    const refund: StripeJson = {
      id: refundId, object: 'refund', amount: Number(amountMinor), charge: chargeId, created: Math.floor(Date.now() / 1000),
      currency: charge.currency, metadata, reason, status: 'pending',
    };
    return { status: 200, body: refund };
  }

  private transfer(form: Record<string, FormValue>, key: string | null): Reply {
    const amountMinor = formInteger(form.amount);
    if (amountMinor === null || amountMinor <= 0n) return stripeError(400, 'invalid_request_error', 'Invalid positive integer', { param: 'amount' });
    const currency = typeof form.currency === 'string' && /^[a-z]{3}$/.test(form.currency) ? form.currency : null;
    if (!currency) return stripeError(400, 'invalid_request_error', 'Invalid currency', { param: 'currency' });
    const destination = typeof form.destination === 'string' && /^acct_[A-Za-z0-9]{1,64}$/.test(form.destination) ? form.destination : null;
    if (!destination) return stripeError(400, 'invalid_request_error', 'No such destination: it must be a connected account acct_...', { code: 'resource_missing', param: 'destination' });
    this.counters.transfers += 1;
    const metadata = typeof form.metadata === 'object' ? form.metadata : {};
    const transferId = this.stripe.newId('tr');
    const bounces = this.random.chance(this.options.payoutBounceShare);
    // The connected account's bank payout, announced under the transfer's id and idempotency key so the
    // payouts flow can match it either way.
    this.later(() => {
      this.stripe.payoutSettled({
        id: transferId, amountMinor, currency, creatorId: metadata.creator_id ?? '', method: destination,
        status: bounces ? 'failed' : 'paid', idempotencyKey: key ?? undefined,
      });
    });
    const transfer: StripeJson = {
      id: transferId, object: 'transfer', amount: Number(amountMinor), amount_reversed: 0, created: Math.floor(Date.now() / 1000),
      currency, destination, livemode: false, metadata, reversed: false,
    };
    return { status: 200, body: transfer };
  }

  private later(run: () => void): void {
    const delayMs = this.random.int(this.options.confirmDelayMs.min, this.options.confirmDelayMs.max);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }
}
