import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

export const RATIO_LEVELS = ['early_warning', 'warning', 'excessive', 'high_excessive'] as const;
export type RatioLevel = (typeof RATIO_LEVELS)[number];

/** One monitoring line (a row of chargeback_ratio_thresholds; defaults and sources in docs/chargebacks.md). */
export interface RatioThreshold {
  id: string;
  programme: string;
  level: RatioLevel;
  /** The card brand it watches; null: every key. */
  card_brand: string | null;
  min_count: number;
  /** 150 = 1.5 %. */
  ratio_bps: number;
  counts_fraud_warnings: boolean;
  denominator: 'same_month' | 'previous_month';
  source: string;
  enabled: boolean;
}

export async function readRatioThresholds(db: Queryable, includeDisabled = false): Promise<RatioThreshold[]> {
  const rows: RatioThreshold[] = await db.query(
    `SELECT id, programme, level, card_brand, min_count, ratio_bps, counts_fraud_warnings, denominator, source, enabled
       FROM chargeback_ratio_thresholds WHERE enabled OR $1 ORDER BY card_brand NULLS FIRST, ratio_bps, id LIMIT 100`,
    [includeDisabled],
  );
  return rows.map((row) => ({ ...row, min_count: Number(row.min_count), ratio_bps: Number(row.ratio_bps) }));
}

export interface RatioCounts {
  disputes: bigint;
  fraudWarnings: bigint;
  /** The transactions the threshold divides by (this month's, or the previous month's for Mastercard). */
  transactions: bigint;
}

/** What a threshold counts: disputes, plus fraud reports for VAMP. */
export const countedBy = (threshold: Pick<RatioThreshold, 'counts_fraud_warnings'>, counts: RatioCounts): bigint =>
  counts.disputes + (threshold.counts_fraud_warnings ? counts.fraudWarnings : 0n);

/**
 * Whether a key's month crosses the line: at least `min_count` counted and counted / transactions at
 * least `ratio_bps` / 10,000 (integer arithmetic; no transactions at all counts as crossing once the
 * count is reached).
 */
export function crosses(threshold: RatioThreshold, counts: RatioCounts): boolean {
  const counted = countedBy(threshold, counts);
  if (counted < BigInt(threshold.min_count) || counted === 0n) return false;
  if (counts.transactions === 0n) return true;
  return counted * 10_000n >= BigInt(threshold.ratio_bps) * counts.transactions;
}

/** counted / transactions as a percentage with three decimals ("1.234"), rounded down; null without transactions. */
export function ratioPercent(counted: bigint, transactions: bigint): string | null {
  if (transactions <= 0n) return null;
  const thousandths = (counted * 100_000n) / transactions;
  return `${thousandths / 1000n}.${(thousandths % 1000n).toString().padStart(3, '0')}`;
}
