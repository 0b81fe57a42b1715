/** The shapes of `GET /api/chargeback-ratio` (libs/payments/src/chargeback-ratio/ratio-query.ts). */
export interface RatioPoint {
  month: string;
  provider: string;
  method: string;
  card_brand: string;
  transactions: string;
  previous_month_transactions: string;
  disputes: string;
  fraud_warnings: string;
}

export interface RatioThreshold {
  id: string;
  programme: string;
  level: string;
  card_brand: string | null;
  min_count: number;
  ratio_bps: number;
  counts_fraud_warnings: boolean;
  denominator: 'same_month' | 'previous_month';
  enabled: boolean;
}

export interface MonthRatio {
  month: string;
  transactions: number;
  disputes: number;
  fraudWarnings: number;
  /** Percent, for drawing only (the API keeps counts as integers). */
  disputeRatio: number | null;
  vampRatio: number | null;
}

/** Sums the keys of each month (a brand, or all) and derives the ratios the chart draws. */
export function monthlyRatios(points: readonly RatioPoint[], brand: string | null): MonthRatio[] {
  const byMonth = new Map<string, { transactions: bigint; disputes: bigint; fraudWarnings: bigint }>();
  for (const point of points) {
    if (brand !== null && point.card_brand !== brand) continue;
    const sum = byMonth.get(point.month) ?? { transactions: 0n, disputes: 0n, fraudWarnings: 0n };
    sum.transactions += BigInt(point.transactions);
    sum.disputes += BigInt(point.disputes);
    sum.fraudWarnings += BigInt(point.fraud_warnings);
    byMonth.set(point.month, sum);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, sum]) => ({
      month,
      transactions: Number(sum.transactions),
      disputes: Number(sum.disputes),
      fraudWarnings: Number(sum.fraudWarnings),
      disputeRatio: sum.transactions > 0n ? Number((sum.disputes * 100_000n) / sum.transactions) / 1000 : null,
      vampRatio: sum.transactions > 0n ? Number(((sum.disputes + sum.fraudWarnings) * 100_000n) / sum.transactions) / 1000 : null,
    }));
}

/** The thresholds that watch a brand (or every brand's when none is chosen), as percentages. */
export function linesFor(thresholds: readonly RatioThreshold[], brand: string | null) {
  return thresholds
    .filter((t) => t.enabled && (brand === null || t.card_brand === null || t.card_brand === brand))
    .map((t) => ({ id: t.id, label: `${t.programme} ${t.level.replace(/_/g, ' ')} (${t.ratio_bps / 100} %, ≥ ${t.min_count})`, percent: t.ratio_bps / 100 }));
}
