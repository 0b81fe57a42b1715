import { rechargeCoinUsage } from '@coinops/ledger';
import type { EntityManager } from 'typeorm';
import { proportionalCoins } from '../refunds/refund-amounts';
import { requestRefund, type RefundDeps } from '../refunds/refund-request';
import type { RequestUnspentRefund } from './reports';

/**
 * The cash that returns exactly the recharge's coins still unspent and not already taken by a refund in
 * flight (docs/refunds.md, "Partial refunds": coins follow the cumulative rounding-down rule), or 0.
 */
export function cashForUnspentCoins(rechargeCoins: bigint, rechargeAmountMinor: bigint, refundedBeforeMinor: bigint, unspentCoins: bigint): bigint {
  const remainingMinor = rechargeAmountMinor - refundedBeforeMinor;
  if (unspentCoins <= 0n || remainingMinor <= 0n) return 0n;
  if (proportionalCoins(rechargeCoins, rechargeAmountMinor, refundedBeforeMinor, remainingMinor) <= unspentCoins) return remainingMinor;
  // Coins already counted before this refund, plus the unspent ones: the first amount past it is one cent too many.
  const coinsBefore = (refundedBeforeMinor * rechargeCoins) / rechargeAmountMinor;
  let amount = ((coinsBefore + unspentCoins + 1n) * rechargeAmountMinor + rechargeCoins - 1n) / rechargeCoins - refundedBeforeMinor;
  if (amount > remainingMinor) amount = remainingMinor;
  while (amount > 0n && proportionalCoins(rechargeCoins, rechargeAmountMinor, refundedBeforeMinor, amount) > unspentCoins) amount--;
  return amount;
}

/** Refunds the unspent coins of a recharge through the refund flow (threshold and four-eyes included), or nothing when none are left. */
export function unspentRefundRequester(deps: RefundDeps): RequestUnspentRefund {
  return async (manager: EntityManager, actor, request) => {
    const [recharge]: Array<{ coins: string; amount_minor: string }> = await manager.query(`SELECT coins::text, amount_minor::text FROM recharges WHERE id = $1`, [request.rechargeId]);
    if (!recharge) return null;
    const [refunds]: Array<{ claimed: string }> = await manager.query(
      `SELECT COALESCE(SUM(amount_minor) FILTER (WHERE state <> 'rejected'), 0)::text AS claimed FROM refunds WHERE recharge_id = $1`,
      [request.rechargeId],
    );
    // Coins reserved by this recharge's refunds in flight are counted as taken by the attribution already.
    const unspent = (await rechargeCoinUsage(manager, request.rechargeId)).unspentCoins;
    const amountMinor = cashForUnspentCoins(BigInt(recharge.coins), BigInt(recharge.amount_minor), BigInt(refunds.claimed), unspent);
    if (amountMinor <= 0n) return null;
    const refundId = await requestRefund(manager, deps, actor, { rechargeId: request.rechargeId, amountMinor, reason: request.reason });
    const [row]: Array<{ state: string }> = await manager.query(`SELECT state FROM refunds WHERE id = $1`, [refundId]);
    return { refundId, state: row?.state ?? 'requested' };
  };
}
