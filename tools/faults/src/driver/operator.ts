import { DEMO_PASSWORD } from '@coinops/access';
import { sleep } from '../services';

export type Operator = 'support' | 'support2' | 'finance' | 'finance2';

export interface CallResult {
  status: number;
  body: any;
  /** Attempts that failed (transport error, 5xx, 429) before this answer. */
  failedAttempts: number;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Operators at the console: signed in once each, every call to the next API process (round robin), and
 * retried on a transport error, a 5xx or a 429 while PostgreSQL restarts — like a person pressing again.
 * A retried POST may have acted the first time: callers read the state back rather than trust the answer.
 */
export class OperatorClient {
  private readonly tokens = new Map<Operator, string>();
  private turn = 0;

  constructor(
    private readonly apiUrls: readonly string[],
    private readonly retryForMs: number,
  ) {}

  async call(who: Operator, method: 'GET' | 'POST', path: string, body?: unknown): Promise<CallResult> {
    const token = await this.token(who);
    return this.retrying(() => this.once(method, path, body, token));
  }

  private async token(who: Operator): Promise<string> {
    const known = this.tokens.get(who);
    if (known) return known;
    const result = await this.retrying(() => this.once('POST', '/api/auth/login', { email: `${who}@coinops.dev`, password: DEMO_PASSWORD }));
    if (result.status !== 200 && result.status !== 201) throw new Error(`login as ${who}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    this.tokens.set(who, result.body.token);
    return result.body.token;
  }

  private async retrying(attempt: () => Promise<{ status: number; body: any }>): Promise<CallResult> {
    const deadline = Date.now() + this.retryForMs;
    let failedAttempts = 0;
    let delayMs = 200;
    for (;;) {
      const answer = await attempt();
      const transient = answer.status === 0 || answer.status >= 500 || answer.status === 429;
      if (!transient || Date.now() > deadline) return { ...answer, failedAttempts };
      failedAttempts += 1;
      await sleep(delayMs);
      delayMs = Math.min(2_000, delayMs * 2);
    }
  }

  private async once(method: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
    const base = this.apiUrls[this.turn++ % this.apiUrls.length];
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (a proxy's error page): keep the text
      }
      return { status: response.status, body: parsed };
    } catch {
      return { status: 0, body: null };
    }
  }
}

/** The Stripe simulator's control and `/v1` endpoints (it is never restarted: one call each, a transport error retried). */
export class SimClient {
  constructor(
    readonly url: string,
    private readonly apiKey: string,
  ) {}

  async control(path: string, body: unknown = {}): Promise<{ status: number; body: any }> {
    return this.request('POST', path, body);
  }

  async get(path: string): Promise<{ status: number; body: any }> {
    return this.request('GET', path, undefined, path.startsWith('/v1/') ? { Authorization: `Bearer ${this.apiKey}` } : {});
  }

  private async request(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    // A control POST makes something (a charge, a dispute): never sent twice. Reads are retried.
    const tries = method === 'GET' ? 5 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${this.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        return { status: response.status, body: await response.json() };
      } catch (error) {
        if (attempt >= tries) throw error;
        await sleep(200 * attempt);
      }
    }
  }
}
