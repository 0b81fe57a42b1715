import type { DataSource, EntityManager } from 'typeorm';
import { toJson } from '../provider-events/json';
import { crosses, countedBy, ratioPercent, readRatioThresholds, type RatioLevel } from './ratio-thresholds';

type Queryable = Pick<EntityManager, 'query'>;

/** The first day of the calendar month (UTC) of `at`, as YYYY-MM-DD. */
export function monthOf(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

export function previousMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number);
  return monthOf(new Date(Date.UTC(year, mon - 2, 1)));
}

/**
 * Recomputes one month's rollup per provider × method × card brand: transactions = recharges stored
 * that month; disputes = chargebacks (not inquiries) opened that month; fraud warnings = early fraud
 * warnings of that month. Each is one indexed range scan (recharges_created_at, chargebacks_disputed_at,
 * early_fraud_warnings_warned_at); an upsert, so a rerun converges.
 */
export async function refreshRatioMonth(db: Queryable, month: string): Promise<number> {
  const rows: unknown[] = await db.query(
    `WITH bounds AS (SELECT $1::date::timestamp AT TIME ZONE 'UTC' AS start, ($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC' AS stop),
     tx AS (
       SELECT r.provider, r.method, coalesce(lower(r.card_brand), 'none') AS card_brand, count(*) AS n
         FROM recharges r, bounds b WHERE r.created_at >= b.start AND r.created_at < b.stop GROUP BY 1, 2, 3),
     dp AS (
       SELECT c.provider, r.method, coalesce(lower(r.card_brand), 'none') AS card_brand, count(*) AS n
         FROM chargebacks c JOIN recharges r ON r.id = c.recharge_id, bounds b
        WHERE c.disputed_at >= b.start AND c.disputed_at < b.stop AND c.state NOT IN ('inquiry', 'inquiry_closed') GROUP BY 1, 2, 3),
     fw AS (
       SELECT w.provider, r.method, coalesce(lower(r.card_brand), 'none') AS card_brand, count(*) AS n
         FROM early_fraud_warnings w JOIN recharges r ON r.id = w.recharge_id, bounds b
        WHERE w.warned_at >= b.start AND w.warned_at < b.stop GROUP BY 1, 2, 3),
     keys AS (SELECT provider, method, card_brand FROM tx UNION SELECT provider, method, card_brand FROM dp UNION SELECT provider, method, card_brand FROM fw)
     INSERT INTO chargeback_ratio_months (month, provider, method, card_brand, transactions, disputes, fraud_warnings, computed_at)
     SELECT $1::date, k.provider, k.method, k.card_brand, coalesce(tx.n, 0), coalesce(dp.n, 0), coalesce(fw.n, 0), now()
       FROM keys k
       LEFT JOIN tx USING (provider, method, card_brand)
       LEFT JOIN dp USING (provider, method, card_brand)
       LEFT JOIN fw USING (provider, method, card_brand)
     ON CONFLICT (month, provider, method, card_brand)
     DO UPDATE SET transactions = EXCLUDED.transactions, disputes = EXCLUDED.disputes, fraud_warnings = EXCLUDED.fraud_warnings, computed_at = now()
     RETURNING 1`,
    [month],
  );
  return rows.length;
}

export interface RatioCrossing {
  threshold_id: string;
  level: RatioLevel;
  month: string;
  provider: string;
  method: string;
  card_brand: string;
  counted: string;
  transactions: string;
  ratio_percent: string | null;
  /** false when this level had already alerted for this key and month. */
  alerted: boolean;
}

const SEVERITY: Record<RatioLevel, string> = { early_warning: 'low', warning: 'medium', excessive: 'high', high_excessive: 'critical' };
const MAX_KEYS_PER_MONTH = 10_000;

interface MonthRow {
  provider: string;
  method: string;
  card_brand: string;
  transactions: string;
  disputes: string;
  fraud_warnings: string;
  previous_transactions: string | null;
}

/**
 * The hourly job (docs/chargebacks.md, "Ratio monitor"): refreshes this month and the previous one, then
 * raises an alert (risk_alerts, source `chargeback_ratio`) for every enabled threshold a key crosses in
 * the current month, once per threshold, key and month (a unique index makes a rerun alert nothing twice).
 */
export async function runChargebackRatioMonitor(dataSource: DataSource, now = new Date()): Promise<{ months: string[]; keys: number; crossings: RatioCrossing[] }> {
  const month = monthOf(now);
  const previous = previousMonth(month);
  let keys = 0;
  for (const m of [previous, month]) keys += await refreshRatioMonth(dataSource, m);
  const crossings = await dataSource.transaction(async (manager) => {
    const thresholds = await readRatioThresholds(manager);
    const rows: MonthRow[] = await manager.query(
      `SELECT m.provider, m.method, m.card_brand, m.transactions::text, m.disputes::text, m.fraud_warnings::text, p.transactions::text AS previous_transactions
         FROM chargeback_ratio_months m
         LEFT JOIN chargeback_ratio_months p ON p.month = $2 AND p.provider = m.provider AND p.method = m.method AND p.card_brand = m.card_brand
        WHERE m.month = $1 AND (m.disputes > 0 OR m.fraud_warnings > 0)
        LIMIT $3`,
      [month, previous, MAX_KEYS_PER_MONTH],
    );
    const found: RatioCrossing[] = [];
    for (const row of rows) {
      for (const threshold of thresholds) {
        if (threshold.card_brand !== null && threshold.card_brand !== row.card_brand) continue;
        const transactions = BigInt(threshold.denominator === 'previous_month' ? (row.previous_transactions ?? '0') : row.transactions);
        const counts = { disputes: BigInt(row.disputes), fraudWarnings: BigInt(row.fraud_warnings), transactions };
        if (!crosses(threshold, counts)) continue;
        const counted = countedBy(threshold, counts);
        const crossing = {
          threshold_id: threshold.id, level: threshold.level, month: month.slice(0, 7), provider: row.provider, method: row.method, card_brand: row.card_brand,
          counted: counted.toString(), transactions: transactions.toString(), ratio_percent: ratioPercent(counted, transactions),
        };
        const inserted: unknown[] = await manager.query(
          `INSERT INTO risk_alerts (source, rule_key, action, severity, score, subject_type, subject_id, user_id, "values")
           VALUES ('chargeback_ratio', $1, 'review', $2, 0, 'chargeback_ratio', $3, NULL, $4)
           ON CONFLICT (source, rule_key, subject_id) WHERE source <> 'rule' DO NOTHING RETURNING id`,
          [threshold.id, SEVERITY[threshold.level], `${crossing.month}:${row.provider}:${row.method}:${row.card_brand}`.slice(0, 200), toJson({ ...crossing, programme: threshold.programme, min_count: threshold.min_count, ratio_bps: threshold.ratio_bps })],
        );
        found.push({ ...crossing, alerted: inserted.length > 0 });
      }
    }
    return found;
  });
  return { months: [previous, month], keys, crossings };
}
