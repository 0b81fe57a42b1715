import { ValidationFailed } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { liabilityNow, type LiabilityFigures } from '../rollups/liability';

/**
 * What the console's dashboard draws, one function per chart, each reading rollups (never the big
 * tables) or a handful of rows through an index. Amounts are decimal strings (DESIGN §2).
 */
export const DASHBOARD_LIMITS = { maxDays: 366, maxMonths: 36, hourlyUpToDays: 2 } as const;

export function parseDays(raw: unknown, fallback: number): number {
  return parseBounded(raw, 'days', fallback, DASHBOARD_LIMITS.maxDays);
}

export function parseMonths(raw: unknown, fallback: number): number {
  return parseBounded(raw, 'months', fallback, DASHBOARD_LIMITS.maxMonths);
}

function parseBounded(raw: unknown, field: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > max) throw ValidationFailed.field(field, `must be a whole number from 1 to ${max}`);
  return value;
}

const DAY_MS = 86_400_000;

function windowStart(days: number, now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS);
}

/** The recharge rollup rows of the window from $1, with their bucket's start as `at` (per day, or per hour for two days). */
function bucketSource(bucket: 'day' | 'hour'): string {
  return bucket === 'hour'
    ? `(SELECT hour AS at, method, currency, decision, recharges, coins, amount_minor FROM rollup_recharges_hourly WHERE hour >= $1) r`
    : `(SELECT day::timestamp AT TIME ZONE 'UTC' AS at, method, currency, decision, recharges, coins, amount_minor
        FROM rollup_recharges_daily WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date) r`;
}

/**
 * A read over the recharge rollups: its aggregate's estimate passes PostgreSQL's jit_above_cost, and compiling
 * it took longer than running it (51 ms against 22 ms at 1 M recharges), so JIT is off for it alone.
 */
function withoutJit<T>(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL jit = off`);
    return manager.query(sql, parameters);
  });
}

async function rollupsAsOf(dataSource: DataSource): Promise<string | null> {
  const [row]: Array<{ at: Date | null }> = await dataSource.query(`SELECT max(updated_at) AS at FROM rollup_watermarks`);
  return row.at?.toISOString() ?? null;
}

export interface RechargeBucketDto {
  at: string;
  method: string;
  currency: string;
  recharges: string;
  coins: string;
  amount: string;
}

/** Recharge volume and value by method over time: per day, or per hour over the last two days. */
export async function rechargesByMethod(dataSource: DataSource, days: number, now = new Date()) {
  const bucket: 'day' | 'hour' = days <= DASHBOARD_LIMITS.hourlyUpToDays ? 'hour' : 'day';
  const rows = await withoutJit<Array<{ at: Date; method: string; currency: string; recharges: string; coins: string; amount_minor: string }>>(
    dataSource,
    `SELECT at, method, currency, sum(recharges)::text AS recharges, sum(coins)::text AS coins, sum(amount_minor)::text AS amount_minor
     FROM ${bucketSource(bucket)} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [windowStart(days, now)],
  );
  const buckets: RechargeBucketDto[] = rows.map((r) => ({
    at: r.at.toISOString(),
    method: r.method,
    currency: r.currency.trim(),
    recharges: r.recharges,
    coins: r.coins,
    amount: r.amount_minor,
  }));
  return { bucket, days, as_of: await rollupsAsOf(dataSource), buckets };
}

/** Risk decisions (allow / review / block; pending while unevaluated) per day or hour. */
export async function decisionsOverTime(dataSource: DataSource, days: number, now = new Date()) {
  const bucket: 'day' | 'hour' = days <= DASHBOARD_LIMITS.hourlyUpToDays ? 'hour' : 'day';
  const rows = await withoutJit<Array<{ at: Date; decision: string; recharges: string }>>(
    dataSource,
    `SELECT at, decision, sum(recharges)::text AS recharges FROM ${bucketSource(bucket)} GROUP BY 1, 2 ORDER BY 1, 2`,
    [windowStart(days, now)],
  );
  return {
    bucket,
    days,
    as_of: await rollupsAsOf(dataSource),
    buckets: rows.map((r) => ({ at: r.at.toISOString(), decision: r.decision, recharges: r.recharges })),
  };
}

/**
 * The review queue: its depth and overdue items now (counted through the partial index of active
 * items), and per day the items opened, decided, past their SLA, and the depth at the end of the day.
 */
export async function reviewQueue(dataSource: DataSource, days: number, now = new Date()) {
  const [current]: Array<{ depth: string; open: string; in_review: string; escalated: string; overdue: string }> = await dataSource.query(
    `SELECT count(*)::text AS depth,
            count(*) FILTER (WHERE state = 'open')::text AS open,
            count(*) FILTER (WHERE state = 'in_review')::text AS in_review,
            count(*) FILTER (WHERE state = 'escalated')::text AS escalated,
            count(*) FILTER (WHERE sla_due_at < $1)::text AS overdue
     FROM review_items WHERE state IN ('open', 'in_review', 'escalated')`,
    [now],
  );
  const rows: Array<{ day: string; opened: string; decided: string; sla_breached: string; depth_at_end: string }> = await dataSource.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, opened::text, decided::text, sla_breached::text, depth_at_end::text
     FROM rollup_reviews_daily WHERE day >= $1::date ORDER BY day`,
    [windowStart(days, now).toISOString().slice(0, 10)],
  );
  return { days, as_of: await rollupsAsOf(dataSource), now: current, daily: rows };
}

/** Payouts by state (snapshot kept by the rollup job once the payouts table exists). */
export async function payoutsByState(dataSource: DataSource) {
  const [{ present }]: Array<{ present: boolean }> = await dataSource.query(`SELECT to_regclass('public.payouts') IS NOT NULL AS present`);
  const rows: Array<{ state: string; currency: string; payouts: string; diamonds: string; amount_minor: string; computed_at: Date }> = await dataSource.query(
    `SELECT state, currency, payouts::text, diamonds::text, amount_minor::text, computed_at FROM rollup_payouts_by_state ORDER BY state, currency`,
  );
  return {
    available: present,
    has_data: rows.length > 0,
    as_of: rows[0]?.computed_at.toISOString() ?? null,
    states: rows.map((r) => ({ state: r.state, currency: r.currency.trim(), payouts: r.payouts, diamonds: r.diamonds, amount: r.amount_minor })),
  };
}

/**
 * The platform's liabilities: coins in users' wallets (and held for review), diamonds owed to creators
 * (and reserved by payouts), now from the ledger's platform accounts (shards summed), and per day.
 */
export async function liability(dataSource: DataSource, days: number, now = new Date()) {
  const current = await liabilityNow(dataSource);
  const rows: Array<{ day: string } & LiabilityFigures> = await dataSource.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, coins_outstanding::text, coins_held::text, coins_debt::text, diamonds_owed::text, diamonds_reserved::text, diamonds_debt::text
     FROM rollup_liability_daily WHERE day >= $1::date ORDER BY day`,
    [windowStart(days, now).toISOString().slice(0, 10)],
  );
  return { days, now: current, daily: rows };
}

/** Top creators by coins gifted from flagged accounts (snapshot of the last 30 days). */
export async function flaggedGiftCreators(dataSource: DataSource) {
  const rows: Array<{ rank: number; creator_id: string; coins: string; gifts: string; flagged_senders: string; window_days: number; computed_at: Date }> =
    await dataSource.query(`SELECT rank, creator_id, coins::text, gifts::text, flagged_senders::text, window_days, computed_at FROM rollup_flagged_gift_creators ORDER BY rank`);
  return {
    as_of: rows[0]?.computed_at.toISOString() ?? (await rollupsAsOf(dataSource)),
    window_days: rows[0]?.window_days ?? null,
    creators: rows.map(({ computed_at: _at, window_days: _days, ...r }) => r),
  };
}
