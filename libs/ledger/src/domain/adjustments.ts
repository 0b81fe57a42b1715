import { creatorDiamonds, platformAccount, userCoins, type AccountSpec } from '../accounts/account-codes';
import { assertPositive } from '../money/amount';
import type { TransactionInput } from '../transactions/types';

export interface AdjustmentEntry {
  readonly adjustmentId: string;
  readonly target: 'user' | 'creator';
  readonly targetId: string;
  readonly direction: 'credit' | 'debit';
  /** Coins for a user, diamonds for a creator. */
  readonly amount: bigint;
  readonly reasonCode: string;
  readonly note: string;
}

// The other side of every manual adjustment, per asset (DESIGN §3: `platform:adjustments`).
const ADJUSTMENTS_COINS = Object.freeze(platformAccount('adjustments:coins', 'COIN'));
const ADJUSTMENTS_DIAMONDS = Object.freeze(platformAccount('adjustments:diamonds', 'DIAMOND'));

export const platformAdjustments = (asset: 'COIN' | 'DIAMOND'): AccountSpec => (asset === 'COIN' ? ADJUSTMENTS_COINS : ADJUSTMENTS_DIAMONDS);

export function adjustmentKey(adjustmentId: string): string {
  return `adjustment:${adjustmentId}`;
}

/** A credit moves value from `platform:adjustments:<asset>` to the account; a debit the other way (never below zero). */
export function buildAdjustment(entry: AdjustmentEntry): TransactionInput {
  assertPositive(entry.amount, 'amount');
  const account = entry.target === 'user' ? userCoins(entry.targetId) : creatorDiamonds(entry.targetId);
  const platform = platformAdjustments(entry.target === 'user' ? 'COIN' : 'DIAMOND');
  const signed = entry.direction === 'credit' ? entry.amount : -entry.amount;
  return {
    idempotencyKey: adjustmentKey(entry.adjustmentId),
    type: 'adjustment',
    postings: [
      { account, amount: signed },
      { account: platform, amount: -signed },
    ],
    reference: { type: 'adjustment', id: entry.adjustmentId },
    reason: `${entry.reasonCode}: ${entry.note}`.slice(0, 500),
    metadata: { reason_code: entry.reasonCode },
  };
}
