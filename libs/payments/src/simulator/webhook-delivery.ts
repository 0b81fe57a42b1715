import Stripe from 'stripe';
import { SeededRandom } from './seeded-random';

export interface DeliveryOptions {
  /** Where to POST, e.g. `http://127.0.0.1:3000/api/webhooks/stripe`. */
  url: string;
  /** The webhook signing secret (the API's STRIPE_WEBHOOK_SECRET). */
  secret: string;
  seed: string | number;
  /** Every delivery waits a uniform draw from this range before its first attempt. */
  latencyMs: { min: number; max: number };
  /** Plus a uniform draw from [0, shuffleWindowMs]: events emitted closer together than this may swap. */
  shuffleWindowMs: number;
  /** Share of events delivered twice (two independent copies with their own delays and retries), 0-1. */
  duplicateShare: number;
  /** Attempts per copy, the first included (Stripe tries for days; a simulation needs far fewer). */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubled for each next one, capped at retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Copies scheduled or in flight at most; `send` throws past it (back-pressure, bounded memory). */
  maxPending: number;
  requestTimeoutMs: number;
  /** Attempts remembered in `history()`, most recent last. */
  historyLimit: number;
  /** Clock for the signature timestamp, unix seconds (each attempt is signed when it is sent, as Stripe does). */
  nowSeconds?: () => number;
}

export const DEFAULT_DELIVERY: Omit<DeliveryOptions, 'url' | 'secret' | 'seed'> = {
  latencyMs: { min: 50, max: 500 },
  shuffleWindowMs: 2_000,
  duplicateShare: 0.05,
  maxAttempts: 5,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  maxPending: 10_000,
  requestTimeoutMs: 10_000,
  historyLimit: 1_000,
};

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  /** 0 for the first copy, 1 for the duplicate. */
  copy: number;
  attempt: number;
  /** HTTP status, or 0 when the request failed (refused, timed out). */
  status: number;
  atMs: number;
}

export interface DeliveryStats {
  pending: number;
  sent: number;
  duplicates: number;
  delivered: number;
  failedAttempts: number;
  gaveUp: number;
}

interface Copy {
  eventId: string;
  type: string;
  body: string;
  copy: number;
  attempt: number;
}

export class SimulatorBackpressure extends Error {}

/** The delays (ms) of each copy of the next event: a pure function of the random stream and the knobs. */
export function planCopies(random: SeededRandom, options: Pick<DeliveryOptions, 'latencyMs' | 'shuffleWindowMs' | 'duplicateShare'>): number[] {
  const delay = () => random.int(options.latencyMs.min, options.latencyMs.max) + random.int(0, options.shuffleWindowMs);
  const first = delay();
  return random.chance(options.duplicateShare) ? [first, delay()] : [first];
}

export function checkDeliveryOptions(options: DeliveryOptions): void {
  const problems: string[] = [];
  const range = (value: number, min: number, max: number, name: string) => {
    if (!Number.isFinite(value) || value < min || value > max) problems.push(`${name} must be between ${min} and ${max}`);
  };
  range(options.latencyMs.min, 0, 3_600_000, 'latencyMs.min');
  range(options.latencyMs.max, options.latencyMs.min, 3_600_000, 'latencyMs.max');
  range(options.shuffleWindowMs, 0, 3_600_000, 'shuffleWindowMs');
  range(options.duplicateShare, 0, 1, 'duplicateShare');
  range(options.maxAttempts, 1, 20, 'maxAttempts');
  range(options.retryBaseMs, 1, 3_600_000, 'retryBaseMs');
  range(options.retryMaxMs, options.retryBaseMs, 24 * 3_600_000, 'retryMaxMs');
  range(options.maxPending, 1, 1_000_000, 'maxPending');
  range(options.requestTimeoutMs, 1, 120_000, 'requestTimeoutMs');
  range(options.historyLimit, 0, 100_000, 'historyLimit');
  if (!/^https?:\/\//.test(options.url)) problems.push('url must be http(s)://...');
  if (problems.length) throw new Error(`simulator delivery: ${problems.join('; ')}`);
}

/**
 * Delivers signed webhooks the way Stripe does, only worse on purpose: late (latency), out of order
 * (shuffle window), some twice (duplicate share), retried on anything but 2xx with exponential backoff
 * up to a bounded number of attempts. Deterministic for a seed: the same events sent in the same order
 * get the same delays. Everything is bounded, and `stop()` clears every timer and aborts every request.
 */
export class WebhookDelivery {
  private readonly options: DeliveryOptions;
  private readonly random: SeededRandom;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<AbortController>();
  private readonly attempts: DeliveryAttempt[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private readonly startedAtMs = Date.now();
  private stopped = false;
  private counters: DeliveryStats = { pending: 0, sent: 0, duplicates: 0, delivered: 0, failedAttempts: 0, gaveUp: 0 };

  constructor(options: Partial<DeliveryOptions> & Pick<DeliveryOptions, 'url' | 'secret' | 'seed'>) {
    this.options = { ...DEFAULT_DELIVERY, ...options };
    checkDeliveryOptions(this.options);
    this.random = new SeededRandom(this.options.seed).fork('delivery');
  }

  /** Schedules an event's copies; returns their delays. Throws SimulatorBackpressure when full. */
  send(event: { id: string; type: string }): number[] {
    if (this.stopped) throw new Error('simulator delivery is stopped');
    const delays = planCopies(this.random, this.options);
    if (this.counters.pending + delays.length > this.options.maxPending) {
      throw new SimulatorBackpressure(`${this.counters.pending} webhook deliveries pending (maxPending ${this.options.maxPending})`);
    }
    const body = JSON.stringify(event, null, 2);
    this.counters.sent += 1;
    this.counters.duplicates += delays.length - 1;
    delays.forEach((delayMs, copy) => {
      this.counters.pending += 1;
      this.later(delayMs, () => this.attempt({ eventId: event.id, type: event.type, body, copy, attempt: 1 }));
    });
    return delays;
  }

  stats(): DeliveryStats {
    return { ...this.counters };
  }

  history(): DeliveryAttempt[] {
    return [...this.attempts];
  }

  /** Resolves when nothing is scheduled or in flight (or after stop). */
  idle(): Promise<void> {
    if (this.counters.pending === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const request of this.requests) request.abort();
    this.requests.clear();
    this.counters.pending = 0;
    this.settle();
  }

  private later(delayMs: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(copy: Copy): Promise<void> {
    if (this.stopped) return;
    const status = await this.post(copy.body);
    if (this.stopped) return;
    this.remember({ eventId: copy.eventId, type: copy.type, copy: copy.copy, attempt: copy.attempt, status, atMs: Date.now() - this.startedAtMs });
    if (status >= 200 && status < 300) {
      this.counters.delivered += 1;
      return this.finish();
    }
    this.counters.failedAttempts += 1;
    if (copy.attempt >= this.options.maxAttempts) {
      this.counters.gaveUp += 1;
      return this.finish();
    }
    const backoffMs = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (copy.attempt - 1));
    this.later(backoffMs, () => this.attempt({ ...copy, attempt: copy.attempt + 1 }));
  }

  private async post(body: string): Promise<number> {
    const timestamp = Math.floor(this.options.nowSeconds?.() ?? Date.now() / 1000);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: this.options.secret, timestamp });
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.options.requestTimeoutMs);
    this.requests.add(controller);
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'coinops-simulator (Stripe-shaped webhooks)' },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    } finally {
      clearTimeout(timeout);
      this.requests.delete(controller);
    }
  }

  private remember(attempt: DeliveryAttempt): void {
    if (this.options.historyLimit === 0) return;
    this.attempts.push(attempt);
    if (this.attempts.length > this.options.historyLimit) this.attempts.shift();
  }

  private finish(): void {
    this.counters.pending -= 1;
    this.settle();
  }

  private settle(): void {
    if (this.counters.pending > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
