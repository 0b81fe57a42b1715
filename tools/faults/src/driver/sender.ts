import { signEvent } from '@coinops/economy';
import type { SimulatedStripe, StripeJson } from '@coinops/payments';
import { Agent, request } from 'node:http';
import { sleep } from '../services';

/** What a message is about: the effect checks count effects per `kind` and `businessKey`. */
export interface Outgoing {
  kind: string;
  /** The record the effect is keyed by: a charge id, a recharge id, a gift id, a user id. */
  businessKey: string;
  /**
   * Platform event or Stripe webhook (sent here: the first signed with EVENTS_SECRET, the second the Stripe
   * way); or an action the money-out driver made itself and recorded with `track` (a charge or dispute at
   * the Stripe simulator, whose webhooks the simulator delivers; a refund or approval by an operator).
   */
  channel: 'events' | 'stripe' | 'sim' | 'operator';
  /** The platform event, or the Stripe event object (signed again at every attempt, as Stripe does). */
  payload: Record<string, unknown>;
}

export interface SendRecord extends Outgoing {
  eventId: string;
  /** The status that ended the attempts (2xx, or 409 for a refused gift), or null if never acknowledged. */
  ackStatus: number | null;
  attempts: number;
  /** Attempts that failed (transport error or 5xx) before the acknowledgement: the outage seen by the sender. */
  failedAttempts: number;
  /** Copies delivered on purpose after the acknowledgement (duplicate delivery). */
  copies: number;
  lastProblem?: string;
}

export interface SenderOptions {
  apiUrls: readonly string[];
  eventsSecret: string;
  stripe: SimulatedStripe;
  /** A message not acknowledged by then is given up (and counts as "not acknowledged"). */
  retryForMs: number;
  connections: number;
}

const REQUEST_TIMEOUT_MS = 15_000;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 2_000;

/** 2xx is an acknowledgement; so is a 409 for a platform event (a gift refused for coins: remembered, final). */
function acknowledged(status: number, channel: Outgoing['channel']): boolean {
  return (status >= 200 && status < 300) || (channel === 'events' && status === 409);
}

/** A 4xx other than those is a bug in the driver or the API: retrying would not help. */
function permanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 409 && status !== 429 && status !== 408;
}

/**
 * Sends like a real sender: each message to one API (round robin, as a load balancer would), and on a
 * transport error or a 5xx again — same event id, same body — to the next API, with backoff, until it is
 * acknowledged or `retryForMs` passes. Every message and its outcome is kept in `records`.
 */
export class Sender {
  readonly records: SendRecord[] = [];
  private readonly agent: Agent;
  private turn = 0;
  /** The body of the last non-2xx answer per event id. */
  readonly lastRefusal = new Map<string, string>();

  constructor(private readonly options: SenderOptions) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  }

  async send(message: Outgoing): Promise<SendRecord> {
    const record: SendRecord = { ...message, eventId: String(message.payload.id), ackStatus: null, attempts: 0, failedAttempts: 0, copies: 0 };
    this.records.push(record);
    const platformBody = message.channel === 'events' ? JSON.stringify(message.payload) : '';
    const deadline = Date.now() + this.options.retryForMs;
    let delayMs = RETRY_BASE_MS;
    while (Date.now() < deadline) {
      record.attempts += 1;
      const status = await this.post(message, platformBody).catch((error: Error) => {
        record.lastProblem = error.message;
        return 0;
      });
      if (acknowledged(status, message.channel)) {
        record.ackStatus = status;
        if (status >= 300) record.lastProblem = this.lastRefusal.get(record.eventId);
        return record;
      }
      if (permanent(status)) return record;
      record.failedAttempts += 1;
      await sleep(delayMs);
      delayMs = Math.min(RETRY_MAX_MS, delayMs * 2);
    }
    return record;
  }

  /** Records an action made elsewhere (the money-out driver): it fills in the outcome itself. */
  track(message: Outgoing, eventId: string): SendRecord {
    const record: SendRecord = { ...message, eventId, ackStatus: null, attempts: 0, failedAttempts: 0, copies: 0 };
    this.records.push(record);
    return record;
  }

  /** Delivers an acknowledged message once more (a provider's or a platform's duplicate). */
  async duplicate(record: SendRecord): Promise<void> {
    record.copies += 1;
    const status = await this.post(record, record.channel === 'events' ? JSON.stringify(record.payload) : '').catch(() => 0);
    if (status !== 0 && status >= 500) record.lastProblem = `duplicate answered ${status}`;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(message: Outgoing, platformBody: string): Promise<number> {
    const base = this.options.apiUrls[this.turn++ % this.options.apiUrls.length];
    let body: string;
    let headers: Record<string, string>;
    let path: string;
    if (message.channel === 'events') {
      body = platformBody;
      headers = { 'Coinops-Signature': signEvent(this.options.eventsSecret, body) };
      path = '/api/events';
    } else {
      const signed = this.options.stripe.sign(message.payload as StripeJson, Math.floor(Date.now() / 1000));
      body = signed.body;
      headers = { 'Stripe-Signature': signed.signature };
      path = '/api/webhooks/stripe';
    }
    return new Promise<number>((resolve, reject) => {
      const call = request(
        new URL(path, base),
        { method: 'POST', agent: this.agent, timeout: REQUEST_TIMEOUT_MS, headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (response) => {
          // Keep why a message was not taken plainly (a refusal's body), for the report's examples.
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => (response.statusCode ?? 0) >= 300 && chunks.length < 4 && chunks.push(chunk));
          response.on('end', () => {
            if (chunks.length) this.lastRefusal.set(String(message.payload.id), Buffer.concat(chunks).toString('utf8').slice(0, 300));
            resolve(response.statusCode ?? 0);
          });
          response.on('error', reject);
        },
      );
      call.on('timeout', () => call.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      call.on('error', reject);
      call.end(body);
    });
  }
}
