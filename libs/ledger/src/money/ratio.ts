import { ValidationFailed } from '@coinops/contracts';

/**
 * A conversion rate as an integer fraction (`1 diamond per 2 coins` is 1/2): no float ever touches money.
 * The rounding remainder of a conversion is returned, so the caller books it somewhere named.
 */
export interface IntegerRatio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** Keeps configuration sane: a ratio's terms stay below this. */
export const MAX_RATIO_TERM = 1_000_000_000n;

export function ratio(numerator: bigint, denominator: bigint): IntegerRatio {
  if (numerator < 0n || denominator <= 0n || numerator > MAX_RATIO_TERM || denominator > MAX_RATIO_TERM) {
    throw ValidationFailed.field('ratio', `must be n/d with 0 <= n and 0 < d <= ${MAX_RATIO_TERM} (got ${numerator}/${denominator})`);
  }
  return Object.freeze({ numerator, denominator });
}

export interface Conversion {
  /** Whole units of the target: floor(amount × numerator / denominator). */
  readonly converted: bigint;
  /** What the floor dropped, in 1/denominator target units: amount × numerator − converted × denominator. */
  readonly remainderNumerator: bigint;
}

/** Converts a non-negative amount, rounding down; `converted × d + remainderNumerator = amount × n` exactly. */
export function convert(amount: bigint, rate: IntegerRatio): Conversion {
  if (amount < 0n) throw ValidationFailed.field('amount', 'must not be negative');
  const scaled = amount * rate.numerator;
  const converted = scaled / rate.denominator;
  return { converted, remainderNumerator: scaled - converted * rate.denominator };
}

/** The smallest amount whose conversion yields at least `target` whole units (the inverse, rounded up). */
export function sourceFor(target: bigint, rate: IntegerRatio): bigint {
  if (target < 0n) throw ValidationFailed.field('target', 'must not be negative');
  if (target === 0n) return 0n;
  if (rate.numerator === 0n) throw ValidationFailed.field('ratio', 'a zero rate converts nothing');
  const scaled = target * rate.denominator;
  return (scaled + rate.numerator - 1n) / rate.numerator;
}
