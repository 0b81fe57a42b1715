import type { SimulatedCard, SimulatedStripe, StripeJson } from '@coinops/payments';
import type { StripeApi, Reply } from './stripe-api';

type Body = Record<string, unknown>;

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const MAX_DAYS_BACK = 400;

function bad(message: string, param?: string): Reply {
  return { status: 400, body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } } };
}

function missing(what: string, id: string): Reply {
  return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'` } } };
}

function text(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

function whole(value: unknown): bigint | null {
  const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value : '';
  return /^[1-9][0-9]{0,14}$/.test(raw) ? BigInt(raw) : null;
}

/** `created` in unix seconds: the past (seeding simulated days) up to now; absent = now. */
function createdAt(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return undefined;
  const now = Date.now() / 1000;
  return typeof value === 'number' && Number.isInteger(value) && value > now - MAX_DAYS_BACK * 86_400 && value <= now + 60 ? value : null;
}

/**
 * The control endpoints (`/sim/...`, JSON): what happens on Stripe's side without coinops asking —
 * a customer pays, disputes, the issuer warns of fraud, someone refunds from the dashboard. Used by
 * the economy simulator, the fault suite and browser tests. Each answers the Stripe object it made.
 */
export class Control {
  /** Simulated time for the object being made (unix seconds), read by SimulatedStripe's clock. */
  clockSeconds: number | null = null;

  constructor(
    private readonly stripe: SimulatedStripe,
    private readonly api: StripeApi,
  ) {}

  route(method: string, path: string, body: Body): Reply | null {
    if (method === 'GET' && path === '/sim/health') return { status: 200, body: { status: 'ok' } };
    if (method === 'GET' && path === '/sim/stats') return { status: 200, body: { delivery: this.stripe.stats(), api: this.api.counters } };
    if (method !== 'POST') return null;
    if (path === '/sim/charges') return this.at(body.created, () => this.charge(body));
    if (path === '/sim/disputes') return this.at(body.created, () => this.openDispute(body));
    if (path === '/sim/early-fraud-warnings') return this.at(body.created, () => this.warning(body));
    if (path === '/sim/faults') return this.faults(body);
    const refund = /^\/sim\/charges\/([^/]+)\/refunds$/.exec(path);
    if (refund) return this.at(body.created, () => this.refund(refund[1], body));
    const dispute = /^\/sim\/disputes\/([^/]+)\/(update|close)$/.exec(path);
    if (dispute) return this.at(body.created, () => (dispute[2] === 'close' ? this.closeDispute(dispute[1], body) : this.updateDispute(dispute[1], body)));
    return null;
  }

  private at(created: unknown, make: () => Reply): Reply {
    const seconds = createdAt(created);
    if (seconds === null) return bad(`created must be unix seconds within the last ${MAX_DAYS_BACK} days`, 'created');
    this.clockSeconds = seconds ?? null;
    try {
      return make();
    } finally {
      this.clockSeconds = null;
    }
  }

  private charge(body: Body): Reply {
    const userId = text(body.user_id, 64);
    const coins = whole(body.coins);
    const amountMinor = whole(body.amount);
    const currency = text(body.currency, 3);
    if (!userId) return bad('user_id is required', 'user_id');
    if (coins === null) return bad('coins must be a positive whole number', 'coins');
    if (amountMinor === null) return bad('amount must be a positive whole number of minor units', 'amount');
    if (!currency || !/^[A-Za-z]{3}$/.test(currency)) return bad('currency must be an ISO 4217 code', 'currency');
    const card = (typeof body.card === 'object' && body.card !== null ? body.card : {}) as Partial<SimulatedCard>;
    const metadata = typeof body.metadata === 'object' && body.metadata !== null ? (body.metadata as Record<string, string>) : undefined;
    const event = this.stripe.charge({
      userId, coins, amountMinor, currency,
      packageId: text(body.package_id, 64), deviceId: text(body.device_id), ip: text(body.ip, 64),
      card: {
        fingerprint: text(card.fingerprint), brand: text(card.brand, 40), country: text(card.country, 2), last4: text(card.last4, 4),
        wallet: card.wallet === 'apple_pay' || card.wallet === 'google_pay' ? card.wallet : undefined,
      },
      metadata,
    });
    return { status: 200, body: { ...eventObject(event), event_id: event.id } };
  }

  private refund(chargeId: string, body: Body): Reply {
    const charge = this.stripe.chargeNow(chargeId);
    if (!charge) return missing('charge', chargeId);
    const rest = BigInt(charge.amount as number) - BigInt(charge.amount_refunded as number);
    const amountMinor = body.amount === undefined ? rest : whole(body.amount);
    if (amountMinor === null || amountMinor > rest || amountMinor <= 0n) return bad(`amount must be 1-${rest}`, 'amount');
    const { refund, event } = this.stripe.refund(chargeId, amountMinor, { reason: text(body.reason, 500) });
    return { status: 200, body: { ...refund, event_id: event.id } };
  }

  private openDispute(body: Body): Reply {
    const chargeId = text(body.charge, 100);
    if (!chargeId || !this.stripe.chargeNow(chargeId)) return missing('charge', String(body.charge));
    const event = this.stripe.openDispute(chargeId, text(body.reason, 100) ?? 'fraudulent');
    return { status: 200, body: { ...eventObject(event), event_id: event.id } };
  }

  private updateDispute(disputeId: string, body: Body): Reply {
    const status = body.status === 'needs_response' ? 'needs_response' : 'under_review';
    return this.known(disputeId, () => this.stripe.updateDispute(disputeId, status));
  }

  private closeDispute(disputeId: string, body: Body): Reply {
    if (body.outcome !== 'won' && body.outcome !== 'lost') return bad('outcome must be won or lost', 'outcome');
    const outcome = body.outcome;
    return this.known(disputeId, () => this.stripe.closeDispute(disputeId, outcome));
  }

  private warning(body: Body): Reply {
    const chargeId = text(body.charge, 100);
    if (!chargeId || !this.stripe.chargeNow(chargeId)) return missing('charge', String(body.charge));
    const event = this.stripe.earlyFraudWarning(chargeId, text(body.fraud_type, 100) ?? 'made_with_stolen_card');
    return { status: 200, body: { ...eventObject(event), event_id: event.id } };
  }

  private faults(body: Body): Reply {
    const count = typeof body.count === 'number' && Number.isInteger(body.count) && body.count > 0 && body.count <= 100 ? body.count : null;
    if (count === null) return bad('count must be 1-100', 'count');
    const mode = body.mode === 'after' ? 'after' : 'before';
    this.api.forceFaults(count, mode);
    return { status: 200, body: { forced: count, mode } };
  }

  private known(id: string, run: () => StripeJson): Reply {
    if (!ID.test(id)) return bad('invalid id');
    try {
      const event = run();
      return { status: 200, body: { ...eventObject(event), event_id: event.id } };
    } catch (error) {
      if (error instanceof RangeError) return missing('dispute', id);
      throw error;
    }
  }
}

function eventObject(event: StripeJson): StripeJson {
  return (event.data as { object: StripeJson }).object;
}
