import { DEMO_PASSWORD } from '@coinops/access';
import type { Query } from './driver/effects';

export interface ClaimFigures {
  /** Open review items two operators raced to claim, through different API processes. */
  raced: number;
  /** Items with exactly one successful claim and one `review.claimed` audit row. */
  claimedOnce: number;
  /** Items two operators both believe they own (two 200s, or two audit rows): must be 0. */
  claimedTwice: number;
  /** Items nobody managed to claim (each attempt failed): a liveness problem, not a safety one. */
  unclaimed: number;
}

const MAX_ITEMS = 25;

async function login(apiUrl: string, who: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `${who}@coinops.dev`, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login as ${who} at ${apiUrl}: HTTP ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * Trust and safety (`ts`) and an admin race to claim each open review item, each through both ends
 * (the first and the last API process): with several API processes the claim lock must still hold in
 * PostgreSQL, not in one process's memory.
 */
export async function raceClaims(apiUrls: readonly string[], query: Query): Promise<ClaimFigures> {
  const items = await query<{ id: string }>(`SELECT id::text FROM review_items WHERE state = 'open' ORDER BY created_at LIMIT ${MAX_ITEMS}`);
  const figures: ClaimFigures = { raced: items.length, claimedOnce: 0, claimedTwice: 0, unclaimed: 0 };
  if (items.length === 0) return figures;
  const [first, last] = [apiUrls[0], apiUrls[apiUrls.length - 1]];
  const tokens = { ts: await login(first, 'ts'), admin: await login(last, 'admin') };
  const claim = (apiUrl: string, token: string, id: string) =>
    fetch(`${apiUrl}/api/reviews/${id}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' }).then(
      (r) => r.status,
      () => 0,
    );
  for (const { id } of items) {
    const statuses = await Promise.all([claim(first, tokens.ts, id), claim(last, tokens.admin, id), claim(last, tokens.ts, id), claim(first, tokens.admin, id)]);
    const [audit] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'review.claimed'`, [id]);
    // The same operator claiming again answers 200 (idempotent): count distinct winners through the audit log.
    const winners = statuses.filter((s) => s === 200).length;
    if (audit.n === 0 && winners === 0) figures.unclaimed += 1;
    else if (audit.n === 1) figures.claimedOnce += 1;
    else figures.claimedTwice += 1;
  }
  return figures;
}
