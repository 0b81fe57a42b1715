import type { DataSource } from 'typeorm';

/** A card programme's line, from `chargeback_ratio_thresholds` (the chargebacks flow's data; docs/chargebacks.md). */
export interface RatioThresholdDto {
  id: string;
  programme: string;
  level: string;
  card_brand: string | null;
  min_count: number;
  ratio_ppm: string;
  counts_fraud_warnings: boolean;
  denominator: 'same_month' | 'previous_month';
}

/** One month measured the way one programme measures it. */
export interface ThresholdMeasureDto {
  count: string;
  transactions: string;
  ratio_ppm: string;
  crossed: boolean;
}

export interface ChargebackMonthDto {
  month: string;
  transactions: string;
  disputes: string;
  fraud_warnings: string;
  /** disputes ÷ the month's transactions, parts per million (rounded down): integers end to end. */
  ratio_ppm: string;
  by_threshold: Record<string, ThresholdMeasureDto>;
}

interface MonthRow {
  month: string;
  card_brand: string;
  transactions: string;
  disputes: string;
  fraud_warnings: string;
}

const tablesPresent = async (dataSource: DataSource) => {
  const [row]: Array<{ months: boolean; thresholds: boolean }> = await dataSource.query(
    `SELECT to_regclass('public.chargeback_ratio_months') IS NOT NULL AS months, to_regclass('public.chargeback_ratio_thresholds') IS NOT NULL AS thresholds`,
  );
  return row.months && row.thresholds;
};

/**
 * The chargeback ratio by month against each enabled threshold, from the chargebacks flow's monthly
 * rollup (per provider × method × card brand, refreshed hourly by its job): a programme watches one card
 * brand (or all), may count fraud warnings, and divides by the same or the previous month's transactions.
 */
export async function chargebackRatio(dataSource: DataSource, months: number, now = new Date()) {
  if (!(await tablesPresent(dataSource))) return { months, available: false, has_data: false, thresholds: [], monthly: [] };
  // One month more than shown: the first month's transactions are the next one's previous-month basis.
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const rows: MonthRow[] = await dataSource.query(
    `SELECT to_char(month, 'YYYY-MM') AS month, card_brand, sum(transactions)::text AS transactions, sum(disputes)::text AS disputes,
            sum(fraud_warnings)::text AS fraud_warnings
     FROM chargeback_ratio_months WHERE month >= $1::date GROUP BY 1, 2 ORDER BY 1, 2`,
    [from.toISOString().slice(0, 10)],
  );
  const thresholdRows: Array<Omit<RatioThresholdDto, 'ratio_ppm'> & { ratio_bps: number }> = await dataSource.query(
    `SELECT id, programme, level, card_brand, min_count, ratio_bps, counts_fraud_warnings, denominator
     FROM chargeback_ratio_thresholds WHERE enabled ORDER BY ratio_bps, id`,
  );
  const thresholds: RatioThresholdDto[] = thresholdRows.map(({ ratio_bps, ...t }) => ({ ...t, ratio_ppm: String(BigInt(ratio_bps) * 100n) }));
  const monthNames = [...new Set(rows.map((r) => r.month))].sort();
  const monthly = monthNames.slice(monthNames[0] === toMonth(from) ? 1 : 0).map((month) => measureMonth(month, rows, thresholds));
  const hasData = monthly.some((m) => m.transactions !== '0' || m.disputes !== '0');
  return { months, available: true, has_data: hasData, thresholds, monthly };
}

function measureMonth(month: string, rows: MonthRow[], thresholds: RatioThresholdDto[]): ChargebackMonthDto {
  const sum = (m: string, field: 'transactions' | 'disputes' | 'fraud_warnings', brand: string | null) =>
    rows.filter((r) => r.month === m && (brand === null || r.card_brand === brand)).reduce((total, r) => total + BigInt(r[field]), 0n);
  const previous = previousMonthOf(month);
  const by_threshold: Record<string, ThresholdMeasureDto> = {};
  for (const t of thresholds) {
    const count = sum(month, 'disputes', t.card_brand) + (t.counts_fraud_warnings ? sum(month, 'fraud_warnings', t.card_brand) : 0n);
    const transactions = sum(t.denominator === 'previous_month' ? previous : month, 'transactions', t.card_brand);
    const ratio = ppm(count, transactions);
    by_threshold[t.id] = { count: String(count), transactions: String(transactions), ratio_ppm: String(ratio), crossed: count >= BigInt(t.min_count) && ratio >= BigInt(t.ratio_ppm) };
  }
  const transactions = sum(month, 'transactions', null);
  const disputes = sum(month, 'disputes', null);
  return {
    month,
    transactions: String(transactions),
    disputes: String(disputes),
    fraud_warnings: String(sum(month, 'fraud_warnings', null)),
    ratio_ppm: String(ppm(disputes, transactions)),
    by_threshold,
  };
}

function ppm(numerator: bigint, denominator: bigint): bigint {
  return denominator === 0n ? 0n : (numerator * 1_000_000n) / denominator;
}

function toMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

function previousMonthOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return toMonth(new Date(Date.UTC(year, m - 2, 1)));
}
