/**
 * The request mix, decided per request by a counter so the shares are exact: of every 10 requests, 7
 * read a list or a page as the console does, 2 are signed platform events (gifts and recharges), 1 is a
 * synchronous risk decision.
 */
import { signEvent } from '@coinops/economy';

export type Category = 'read' | 'event' | 'decision';

export interface MixOptions {
  token: string;
  eventsSecret: string;
  riskToken: string;
  /** Users seeded as `load-u-<n>`; the first `senders` of them hold coins for gifts. */
  users: number;
  senders: number;
  runTag: string;
}

export interface PlannedRequest {
  category: Category;
  /** What it is, for the per-route latencies: `GET /api/users`, `gift.sent`... */
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const range = (size: number) => encodeURIComponent(JSON.stringify([0, size - 1]));

/** What an operator's console asks for: list pages (25 rows), a record's page, the review counters. */
function reads(users: number): Array<(n: number) => string> {
  return [
    () => `/api/users?range=${range(25)}`,
    () => `/api/recharges?range=${range(25)}`,
    () => `/api/gifts?range=${range(25)}`,
    () => `/api/ledger-transactions?range=${range(25)}`,
    () => `/api/ledger-accounts?range=${range(25)}`,
    () => `/api/reviews?range=${range(25)}&filter=${encodeURIComponent(JSON.stringify({ state: 'open' }))}`,
    () => `/api/reviews/counts`,
    () => `/api/audit-events?range=${range(25)}`,
    () => `/api/rules?range=${range(25)}`,
    (n) => `/api/users/load-u-${(n * 7_919) % users}`,
    (n) => `/api/users?range=${range(25)}&filter=${encodeURIComponent(JSON.stringify({ q: `load-u-${(n * 104_729) % users}` }))}`,
  ];
}

export class Mix {
  private sequence = 0;
  private readonly readPaths: Array<(n: number) => string>;

  constructor(private readonly options: MixOptions) {
    this.readPaths = reads(options.users);
  }

  next(): PlannedRequest {
    const n = ++this.sequence;
    const slot = n % 10;
    if (slot < 7) {
      const path = this.readPaths[n % this.readPaths.length](n);
      const label = `GET ${path.split('?')[0].replace(/load-u-\d+/, ':id')}${path.includes('%22q%22') ? ' (search)' : ''}`;
      return { category: 'read', label, method: 'GET', path, headers: { authorization: `Bearer ${this.options.token}` } };
    }
    if (slot < 9) return this.event(n);
    return this.decision(n);
  }

  private event(n: number): PlannedRequest {
    const { runTag, senders, users } = this.options;
    const id = `evt_load_${runTag}_${n}`;
    // Two gifts for every recharge: gifts are posted in the request, recharges evaluated by the worker.
    const body =
      n % 3 === 0
        ? JSON.stringify({
            id,
            type: 'recharge.succeeded',
            occurred_at: new Date().toISOString(),
            data: { recharge_id: `rch_load_${runTag}_${n}`, user_id: `load-u-${(n * 31) % users}`, method: 'app_store', coins: '700', amount: '999', currency: 'USD' },
          })
        : JSON.stringify({
            id,
            type: 'gift.sent',
            occurred_at: new Date().toISOString(),
            data: { gift_id: `gift_load_${runTag}_${n}`, sender_id: `load-u-${n % senders}`, creator_id: `load-c-${n % 50}`, coins: String(1 + (n % 9)) },
          });
    return { category: 'event', label: n % 3 === 0 ? 'recharge.succeeded' : 'gift.sent', method: 'POST', path: '/api/events', body, headers: { 'content-type': 'application/json', 'coinops-signature': signEvent(this.options.eventsSecret, body) } };
  }

  private decision(n: number): PlannedRequest {
    const u = (n * 104_729) % this.options.users;
    const body = JSON.stringify({
      recharge_id: `load-decision-${n}`,
      user_id: `load-u-${u}`,
      method: 'card',
      amount: String(99 * (1 + (n % 20))),
      currency: 'USD',
      coins: 70 * (1 + (n % 20)),
      card_fingerprint: `card-${u}`,
      card_brand: 'visa',
      bin_country: 'US',
      device_id: `dev-${u}`,
      ip: `10.${u % 250}.${Math.floor(u / 250) % 250}.2`,
    });
    return { category: 'decision', label: 'POST /api/risk/decisions', method: 'POST', path: '/api/risk/decisions', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.riskToken}` } };
  }
}
