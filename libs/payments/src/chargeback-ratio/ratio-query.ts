import { ValidationFailed } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { PAYMENT_METHODS } from '../recharges/recharge-intake';
import { monthOf, previousMonth } from './ratio-monitor';
import { countedBy, ratioPercent, readRatioThresholds, type RatioThreshold } from './ratio-thresholds';

export interface RatioPoint {
  month: string;
  provider: string;
  method: string;
  card_brand: string;
  transactions: string;
  previous_month_transactions: string;
  disputes: string;
  fraud_warnings: string;
  /** disputes / transactions, percent with three decimals. */
  dispute_ratio_percent: string | null;
  /** (disputes + fraud warnings) / transactions: what VAMP counts. */
  vamp_ratio_percent: string | null;
  computed_at: string;
}

export interface RatioSeries {
  from: string;
  to: string;
  points: RatioPoint[];
  thresholds: RatioThreshold[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MAX_MONTHS = 36;
const MAX_POINTS = 5_000;

export interface RatioQuery {
  from?: unknown;
  to?: unknown;
  provider?: unknown;
  method?: unknown;
  card_brand?: unknown;
}

function optionalText(value: unknown, field: string, pattern: RegExp): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !pattern.test(value)) throw ValidationFailed.field(field, 'is not a valid value');
  return value;
}

/** The chart's data: the monthly rollup for a range of months (YYYY-MM, default the last 12), filtered by key, with the thresholds. */
export async function chargebackRatioSeries(dataSource: DataSource, query: RatioQuery, now = new Date()): Promise<RatioSeries> {
  const to = optionalText(query.to, 'to', MONTH) ?? monthOf(now).slice(0, 7);
  let from = optionalText(query.from, 'from', MONTH);
  if (from === null) {
    from = `${to}-01`;
    for (let i = 0; i < 11; i++) from = previousMonth(from);
    from = from.slice(0, 7);
  }
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const span = (ty - fy) * 12 + (tm - fm) + 1;
  if (span < 1) throw ValidationFailed.field('from', 'must not be after to');
  if (span > MAX_MONTHS) throw ValidationFailed.field('from', `the range is at most ${MAX_MONTHS} months`);
  const provider = optionalText(query.provider, 'provider', /^[a-z][a-z0-9_]{0,31}$/);
  const method = optionalText(query.method, 'method', /^[a-z_]{1,20}$/);
  if (method !== null && !(PAYMENT_METHODS as readonly string[]).includes(method)) throw ValidationFailed.field('method', `must be one of ${PAYMENT_METHODS.join(', ')}`);
  const cardBrand = optionalText(query.card_brand, 'card_brand', /^[a-z_ -]{1,40}$/);
  const rows: Array<Record<string, string | Date>> = await dataSource.query(
    `SELECT to_char(m.month, 'YYYY-MM') AS month, m.provider, m.method, m.card_brand, m.transactions::text, m.disputes::text, m.fraud_warnings::text,
            coalesce(p.transactions, 0)::text AS previous_month_transactions, m.computed_at
       FROM chargeback_ratio_months m
       LEFT JOIN chargeback_ratio_months p ON p.month = (m.month - interval '1 month')::date AND p.provider = m.provider AND p.method = m.method AND p.card_brand = m.card_brand
      WHERE m.month BETWEEN $1::date AND $2::date
        AND ($3::text IS NULL OR m.provider = $3) AND ($4::text IS NULL OR m.method = $4) AND ($5::text IS NULL OR m.card_brand = $5)
      ORDER BY m.month, m.provider, m.method, m.card_brand
      LIMIT $6`,
    [`${from}-01`, `${to}-01`, provider, method, cardBrand, MAX_POINTS],
  );
  const points = rows.map((row) => {
    const transactions = BigInt(row.transactions as string);
    const disputes = BigInt(row.disputes as string);
    const warnings = BigInt(row.fraud_warnings as string);
    return {
      month: row.month as string, provider: row.provider as string, method: row.method as string, card_brand: row.card_brand as string,
      transactions: transactions.toString(), previous_month_transactions: row.previous_month_transactions as string,
      disputes: disputes.toString(), fraud_warnings: warnings.toString(),
      dispute_ratio_percent: ratioPercent(countedBy({ counts_fraud_warnings: false }, { disputes, fraudWarnings: warnings, transactions }), transactions),
      vamp_ratio_percent: ratioPercent(disputes + warnings, transactions),
      computed_at: new Date(row.computed_at).toISOString(),
    };
  });
  return { from, to, points, thresholds: await readRatioThresholds(dataSource, true) };
}
