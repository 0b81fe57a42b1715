import { ValidationFailed } from '@coinops/contracts';
import { Asset, assetScale } from './assets';

/**
 * Amounts are bigint in memory, `bigint` in PostgreSQL and decimal strings of minor units on the wire.
 * This module is the only place that converts between them.
 */

/** Largest absolute amount of one posting (also a CHECK on ledger_postings): sums of postings cannot overflow. */
export const MAX_POSTING_AMOUNT = 1_000_000_000_000_000n;

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,18})$/;

/** Parses a decimal string of minor units (`"1250"`, `"-3"`); anything else is a ValidationFailed on `field`. */
export function parseAmount(text: string, field = 'amount'): bigint {
  if (typeof text !== 'string' || !DECIMAL_INTEGER.test(text)) {
    throw ValidationFailed.field(field, 'must be an integer written in decimal digits');
  }
  const amount = BigInt(text);
  if (amount > MAX_POSTING_AMOUNT || -amount > MAX_POSTING_AMOUNT) {
    throw ValidationFailed.field(field, `must be at most ${MAX_POSTING_AMOUNT} in absolute value`);
  }
  return amount;
}

/** Reads a PostgreSQL bigint as the driver returns it (a string). */
export function fromDb(value: string | number | bigint | null): bigint {
  if (value === null) throw new Error('expected a bigint, got NULL');
  return BigInt(value);
}

/** The wire form: decimal string of minor units. */
export function toWire(amount: bigint): string {
  return amount.toString();
}

/** Major units for people: `formatMajor(1250n, 'USD')` is `"12.50"`, `formatMajor(-5n, 'KWD')` is `"-0.005"`. */
export function formatMajor(amount: bigint, asset: Asset): string {
  const scale = assetScale(asset);
  const sign = amount < 0n ? '-' : '';
  const digits = (amount < 0n ? -amount : amount).toString();
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/** Parses major units (`"12.5"` USD → 1250n); more decimals than the currency has is refused, never rounded. */
export function parseMajor(text: string, asset: Asset, field = 'amount'): bigint {
  const scale = assetScale(asset);
  const match = /^(-?)(0|[1-9][0-9]{0,18})(?:\.([0-9]+))?$/.exec(text);
  if (!match) throw ValidationFailed.field(field, 'must be a decimal number');
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw ValidationFailed.field(field, `${asset} has ${scale} decimal places`);
  const magnitude = BigInt(whole + fraction.padEnd(scale, '0'));
  if (magnitude > MAX_POSTING_AMOUNT) throw ValidationFailed.field(field, `must be at most ${MAX_POSTING_AMOUNT} minor units`);
  return sign === '-' ? -magnitude : magnitude;
}

export function assertPositive(amount: bigint, field: string): void {
  if (amount <= 0n) throw ValidationFailed.field(field, 'must be greater than zero');
  if (amount > MAX_POSTING_AMOUNT) throw ValidationFailed.field(field, `must be at most ${MAX_POSTING_AMOUNT}`);
}
