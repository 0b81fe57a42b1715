import { creatorDiamonds, platformAccount, platformCoinsIssued, platformDiamondsIssued, providerClearing, userCoins, type AccountSpec, type PostingInput, type TransactionInput } from '@coinops/ledger';

/** Where disputed cash and dispute fees end, per currency (DESIGN §3). */
export const chargebackLosses = (currency: string): AccountSpec => platformAccount(`chargeback:losses:${currency.toLowerCase()}`, currency);

export interface ClawbackEntry {
  chargebackId: string;
  rechargeId: string;
  userId: string;
  provider: string;
  disputeId: string;
  /** The recharge's coins still in the wallet's books (0 for a held or blocked recharge). */
  coins: bigint;
  amountMinor: bigint;
  currency: string;
}

/**
 * The clawback when a dispute opens: the recharge's coins leave the user's wallet (a visible debt when
 * they were spent) back to issuance, and the disputed cash the provider took leaves its clearing account
 * for `platform:chargeback:losses`. It names the recharge, so coin attribution counts it against that
 * recharge's coins, and its reversal (a won dispute) puts them back there. null when nothing moves.
 */
export function buildClawback(entry: ClawbackEntry): TransactionInput | null {
  const postings: PostingInput[] = [];
  if (entry.coins > 0n) postings.push({ account: userCoins(entry.userId), amount: -entry.coins }, { account: platformCoinsIssued(), amount: entry.coins });
  if (entry.amountMinor > 0n) {
    postings.push({ account: providerClearing(entry.provider, entry.currency), amount: -entry.amountMinor }, { account: chargebackLosses(entry.currency), amount: entry.amountMinor });
  }
  if (postings.length === 0) return null;
  return {
    idempotencyKey: `chargeback:${entry.chargebackId}`,
    type: 'chargeback',
    postings,
    reference: { type: 'recharge', id: entry.rechargeId },
    metadata: { recharge_id: entry.rechargeId, chargeback_id: entry.chargebackId, dispute_id: entry.disputeId },
  };
}

/** A lost dispute's fee, taken by the provider from its balance: clearing to losses. */
export function buildDisputeFee(chargebackId: string, provider: string, currency: string, feeMinor: bigint): TransactionInput | null {
  if (feeMinor <= 0n) return null;
  return {
    idempotencyKey: `chargeback:${chargebackId}:fee`,
    type: 'chargeback',
    postings: [{ account: providerClearing(provider, currency), amount: -feeMinor }, { account: chargebackLosses(currency), amount: feeMinor }],
    reference: { type: 'chargeback', id: chargebackId },
    metadata: { chargeback_id: chargebackId, fee: true },
  };
}

/** Policy `claw_back`: a creator's diamonds earned from the disputed coins go back to issuance (may leave a debt). */
export function buildDiamondClawback(chargebackId: string, creatorId: string, diamonds: bigint): TransactionInput {
  return {
    idempotencyKey: `chargeback:${chargebackId}:diamonds:${creatorId}`,
    type: 'chargeback',
    postings: [{ account: creatorDiamonds(creatorId), amount: -diamonds }, { account: platformDiamondsIssued(), amount: diamonds }],
    reference: { type: 'chargeback', id: chargebackId },
    metadata: { chargeback_id: chargebackId, creator_id: creatorId },
  };
}
