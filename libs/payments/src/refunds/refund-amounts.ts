import type { RefundRow } from './refund-records';

/** States in which a refund still claims its share of the recharge's cash (every state but `rejected`). */
export const CLAIMING_STATES = new Set(['requested', 'approved', 'processing', 'succeeded', 'failed']);
/** States in which a refund's coins are reserved by its ledger hold and not yet posted. */
export const RESERVING_STATES = new Set(['requested', 'approved', 'processing', 'failed']);

/**
 * The coins a partial refund takes back, by the cumulative rule of docs/refunds.md ("Partial refunds"):
 * after refunds totalling `before` minor units, refunding `amount` more takes
 * floor((before + amount) × coins / total) − floor(before × coins / total) coins. Each refund rounds
 * down, the fraction stays in the wallet until a later refund completes it, and refunds adding up to the
 * whole amount take back exactly all the recharge's coins: nothing is created or lost by rounding.
 */
export function proportionalCoins(rechargeCoins: bigint, rechargeAmountMinor: bigint, beforeMinor: bigint, amountMinor: bigint): bigint {
  if (rechargeAmountMinor <= 0n) throw new RangeError('the recharge amount must be positive');
  if (beforeMinor < 0n || amountMinor <= 0n || beforeMinor + amountMinor > rechargeAmountMinor) throw new RangeError('refund amounts out of range');
  return ((beforeMinor + amountMinor) * rechargeCoins) / rechargeAmountMinor - (beforeMinor * rechargeCoins) / rechargeAmountMinor;
}

export function sumAmounts(refunds: readonly RefundRow[], states: ReadonlySet<string>): bigint {
  return refunds.filter((r) => states.has(r.state)).reduce((sum, r) => sum + BigInt(r.amount_minor), 0n);
}

export function sumCoins(refunds: readonly RefundRow[], states: ReadonlySet<string>): bigint {
  return refunds.filter((r) => states.has(r.state)).reduce((sum, r) => sum + BigInt(r.coins), 0n);
}
