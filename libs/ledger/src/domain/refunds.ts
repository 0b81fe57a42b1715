import { ValidationFailed } from '@coinops/contracts';
import { platformCoinsIssued, platformRevenueDeferred, providerClearing, userCoins } from '../accounts/account-codes';
import { isCurrency } from '../money/assets';
import type { PostingInput, TransactionInput } from '../transactions/types';

export interface RechargeRefundEntry {
  readonly refundId: string;
  readonly rechargeId: string;
  readonly userId: string;
  /** The recharge's coins taken back from the wallet (its unspent ones; 0 when none were credited). */
  readonly coins: bigint;
  /** The cash returned, in minor units of `currency`. */
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly provider: string;
  /** A hold (reserved until the provider confirms, then posted) rather than a posted entry. */
  readonly pending?: boolean;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export function rechargeRefundKey(refundId: string): string {
  return `refund:${refundId}`;
}

/**
 * Refund of (part of) a credited recharge (DESIGN §3): the negative of the recharge's legs for the
 * refunded part — coins from the wallet back to `platform:coins:issued`, cash out of the provider's
 * clearing account against deferred revenue. Referenced by the recharge, so the recharge's coin usage
 * counts it against that recharge's own coins.
 */
export function buildRechargeRefund(entry: RechargeRefundEntry): TransactionInput {
  if (entry.coins < 0n) throw ValidationFailed.field('coins', 'must not be negative');
  if (entry.amountMinor <= 0n) throw ValidationFailed.field('amount', 'must be positive');
  if (!isCurrency(entry.currency)) throw ValidationFailed.field('currency', `${entry.currency} is not an ISO 4217 currency`);
  const postings: PostingInput[] = [];
  if (entry.coins > 0n) {
    postings.push({ account: userCoins(entry.userId), amount: -entry.coins }, { account: platformCoinsIssued(), amount: entry.coins });
  }
  postings.push(
    { account: providerClearing(entry.provider, entry.currency), amount: -entry.amountMinor },
    { account: platformRevenueDeferred(entry.currency), amount: entry.amountMinor },
  );
  return {
    idempotencyKey: rechargeRefundKey(entry.refundId),
    type: 'refund',
    pending: entry.pending ?? false,
    postings,
    reference: { type: 'recharge', id: entry.rechargeId },
    metadata: { ...entry.metadata, refund_id: entry.refundId },
  };
}
