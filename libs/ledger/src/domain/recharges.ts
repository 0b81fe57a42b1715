import { ValidationFailed } from '@coinops/contracts';
import { platformCoinsIssued, platformRevenueDeferred, providerClearing, userCoins } from '../accounts/account-codes';
import { assertPositive } from '../money/amount';
import { isCurrency } from '../money/assets';
import type { PostingInput, TransactionInput } from '../transactions/types';

export interface RechargeEntry {
  readonly rechargeId: string;
  readonly userId: string;
  readonly coins: bigint;
  /** What the buyer paid, in minor units of `currency` (0 for free coins: no cash legs). */
  readonly amountMinor: bigint;
  readonly currency: string;
  /** Payment provider name (`stripe`, `app_store`...): the clearing account that owes us the cash. */
  readonly provider: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** The key of a recharge's ledger entry: one per recharge, whether credited at once or held (a hold then a credit conflict). */
export function rechargeKey(rechargeId: string): string {
  return `recharge:${rechargeId}`;
}

function postings(entry: RechargeEntry): PostingInput[] {
  assertPositive(entry.coins, 'coins');
  if (entry.amountMinor < 0n) throw ValidationFailed.field('amount', 'must not be negative');
  if (!isCurrency(entry.currency)) throw ValidationFailed.field('currency', `${entry.currency} is not an ISO 4217 currency`);
  const legs: PostingInput[] = [
    { account: platformCoinsIssued(), amount: -entry.coins },
    { account: userCoins(entry.userId), amount: entry.coins },
  ];
  if (entry.amountMinor > 0n) {
    legs.push(
      { account: providerClearing(entry.provider, entry.currency), amount: entry.amountMinor },
      { account: platformRevenueDeferred(entry.currency), amount: -entry.amountMinor },
    );
  }
  return legs;
}

/** Recharge approved: coins issued to the user's wallet, the cash owed by the provider against deferred revenue. */
export function buildRechargeCredit(entry: RechargeEntry): TransactionInput {
  return {
    idempotencyKey: rechargeKey(entry.rechargeId),
    type: 'recharge',
    postings: postings(entry),
    reference: { type: 'recharge', id: entry.rechargeId },
    metadata: entry.metadata,
  };
}

/** Recharge held for review: the same entry as a pending transaction, posted on approve and voided on reject. */
export function buildRechargeHold(entry: RechargeEntry): TransactionInput {
  return { ...buildRechargeCredit(entry), pending: true };
}
