import { signEvent } from '@coinops/economy';

const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpReply {
  status: number;
  body: any;
  headers: Headers;
}

async function call(url: string, init: RequestInit): Promise<HttpReply> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body, headers: response.headers };
}

/** coinops' public API as the platform (signed events) and as an operator (lists, commands). */
export class CoinopsApi {
  private tokens = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly eventsSecret: string,
    private readonly password = 'coinops-demo',
  ) {}

  /** `POST /api/events` signed now, whatever `occurred_at` says (the signature must be fresh, the event may be old). */
  sendEvent(event: { id: string; type: string; occurred_at: string; data: Record<string, unknown> }): Promise<HttpReply> {
    const body = JSON.stringify(event);
    return call(`${this.baseUrl}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'coinops-signature': signEvent(this.eventsSecret, body) }, body });
  }

  async asOperator(email: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpReply> {
    const token = await this.token(email);
    const reply = await call(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (reply.status === 401) this.tokens.delete(email);
    return reply;
  }

  /** A list route read as react-admin does: `filter`, `range`; rows and the total from Content-Range. */
  async list(email: string, resource: string, filter: Record<string, unknown>, range: [number, number], sort?: [string, 'ASC' | 'DESC']): Promise<{ rows: any[]; total: number }> {
    const query = new URLSearchParams({ filter: JSON.stringify(filter), range: JSON.stringify(range), ...(sort ? { sort: JSON.stringify(sort) } : {}) });
    const reply = await this.asOperator(email, 'GET', `/api/${resource}?${query}`);
    if (reply.status !== 200) throw new Error(`GET /api/${resource}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    const total = Number(/\/(\d+)$/.exec(reply.headers.get('content-range') ?? '')?.[1] ?? reply.body.length);
    return { rows: reply.body, total };
  }

  private async token(email: string): Promise<string> {
    const known = this.tokens.get(email);
    if (known) return known;
    const reply = await call(`${this.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: this.password }) });
    if (reply.status !== 200 && reply.status !== 201) throw new Error(`sign-in as ${email} failed: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
    this.tokens.set(email, reply.body.token);
    return reply.body.token;
  }
}

/** The Stripe simulator server's control endpoints. */
export class StripeSimClient {
  constructor(readonly baseUrl: string) {}

  async post(path: string, body: Record<string, unknown>): Promise<any> {
    const reply = await call(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (reply.status !== 200) throw new Error(`stripe simulator ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    return reply.body;
  }

  async stats(): Promise<any> {
    return (await call(`${this.baseUrl}/sim/stats`, { method: 'GET' })).body;
  }

  async healthy(): Promise<boolean> {
    try {
      return (await call(`${this.baseUrl}/sim/health`, { method: 'GET' })).status === 200;
    } catch {
      return false;
    }
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time, in order of start. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
