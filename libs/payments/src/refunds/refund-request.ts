import { recordAudit, type Actor } from '@coinops/access';
import { Conflict, IllegalTransition, NotFound, ValidationFailed } from '@coinops/contracts';
import { buildRechargeRefund, InsufficientFunds, rechargeCoinUsage, type Ledger } from '@coinops/ledger';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { RechargeState } from '../recharges/recharge-states';
import { CLAIMING_STATES, proportionalCoins, sumAmounts } from './refund-amounts';
import { lockRefund, refundsOfRecharge, type RefundRow } from './refund-records';
import { DEFAULT_REFUND_SETTINGS, usdMinorEquivalent, type RefundSettings } from './refund-settings';
import { moveRefund, refundIdempotencyKey, startProcessing } from './refund-transitions';

/** Where the attribution rule is written down; named in the 409 a refund of spent coins gets. */
export const COIN_ATTRIBUTION_RULE =
  'A refund takes back the refunded share of the recharge\'s coins, and only coins of that recharge still unspent: gifts and other spending use the oldest coins of the wallet first (FIFO), so a later recharge keeps its coins longest (docs/refunds.md, "Which coins can be refunded"; docs/ledger.md). Refunding spent coins needs an approver\'s override with a reason.';

export const REASON_MAX_LENGTH = 1000;

/** 409: the refund would return cash for coins of the recharge already spent; an approver may override. */
export class CoinsAlreadySpent extends Conflict {
  constructor(rechargeId: string, coinsRequired: bigint, unspentCoins: bigint, spentCoins: bigint) {
    super(
      `recharge ${rechargeId}: this refund takes back ${coinsRequired} coins but only ${unspentCoins} of the recharge's coins are unspent. ${COIN_ATTRIBUTION_RULE}`,
      [{ field: 'amount', message: `covers ${coinsRequired} coins; ${unspentCoins} unspent (${spentCoins} spent): ask for override_spent_coins` }],
      { recharge_id: rechargeId, coins_required: String(coinsRequired), unspent_coins: String(unspentCoins), spent_coins: String(spentCoins), rule: 'docs/refunds.md#which-coins-can-be-refunded' },
    );
  }
}

export interface RefundDeps {
  ledger: Ledger;
  settings: RefundSettings;
}

export interface RefundRequestInput {
  rechargeId: string;
  /** Cash to return in minor units; the whole part not refunded yet when omitted. */
  amountMinor?: bigint | null;
  reason: string;
  /** Ask an approver to refund coins the user already spent (then always a second operator, with a reason). */
  overrideSpentCoins?: boolean;
}

interface RechargeForRefund {
  id: string;
  user_id: string;
  provider: string;
  provider_ref: string;
  coins: string;
  amount_minor: string;
  currency: string;
  state: RechargeState;
}

export function checkReason(reason: unknown, field = 'reason'): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text.length < 3 || text.length > REASON_MAX_LENGTH) throw ValidationFailed.field(field, `must be 3-${REASON_MAX_LENGTH} characters`);
  return text;
}

async function lockRecharge(manager: EntityManager, rechargeId: string): Promise<RechargeForRefund> {
  const [recharge]: RechargeForRefund[] = await manager.query(
    `SELECT id, user_id, provider, provider_ref, coins::text, amount_minor::text, currency, state FROM recharges WHERE id = $1 FOR UPDATE`,
    [rechargeId],
  );
  if (!recharge) throw new NotFound('recharge', rechargeId);
  recharge.currency = recharge.currency.trim();
  return recharge;
}

/**
 * Support asks for a refund of a recharge, whole or in part (docs/refunds.md). In the caller's
 * transaction: the recharge is locked (refunds of one recharge queue), the amount checked against the
 * part not refunded yet, the coins counted by the cumulative rule and checked against the recharge's
 * unspent coins, the coins and cash reserved by a ledger hold, the row and its audit written. Up to the
 * threshold (and never with an override) it is approved at once and handed to the worker.
 */
export async function requestRefund(manager: EntityManager, deps: RefundDeps, actor: Actor, input: RefundRequestInput): Promise<string> {
  const reason = checkReason(input.reason);
  if (actor.operatorId === null) throw ValidationFailed.field('requested_by', 'a manual refund is asked by an operator');
  return createRefund(manager, deps, actor, { ...input, reason }, 'manual');
}

/**
 * The refund of a recharge the risk engine blocked (or a review rejected): nothing was credited, so only
 * the cash goes back; asked by the system and approved at once, in the caller's transaction (the block
 * decision's). At most one per recharge: a second call returns the first one's id.
 */
export async function requestAutomaticRefund(manager: EntityManager, actor: Actor, rechargeId: string, reason: string): Promise<string> {
  const [existing]: Array<{ id: string }> = await manager.query(`SELECT id FROM refunds WHERE recharge_id = $1 AND kind = 'auto'`, [rechargeId]);
  if (existing) return existing.id;
  // The ledger is never touched: a blocked recharge booked nothing, so there is nothing to reverse.
  return createRefund(manager, { ledger: null, settings: DEFAULT_REFUND_SETTINGS }, actor, { rechargeId, reason: reason.trim().slice(0, REASON_MAX_LENGTH) || 'blocked by the risk engine' }, 'auto');
}

async function createRefund(manager: EntityManager, deps: { ledger: Ledger | null; settings: RefundSettings }, actor: Actor, input: RefundRequestInput, kind: 'manual' | 'auto'): Promise<string> {
  const recharge = await lockRecharge(manager, input.rechargeId);
  // A credited recharge booked coins and cash (both reversed); a blocked one booked nothing (only cash goes back).
  // During the risk engine's block decision the recharge is still `received` in this transaction.
  const booked = recharge.state === 'credited';
  const blocked = recharge.state === 'blocked_pending_refund' || (kind === 'auto' && recharge.state === 'received');
  if (!booked && !blocked) throw new IllegalTransition('recharge', recharge.id, recharge.state, 'refund');
  if (kind === 'auto' && !blocked) throw new IllegalTransition('recharge', recharge.id, recharge.state, 'refund automatically');

  const refunds = await refundsOfRecharge(manager, recharge.id);
  const total = BigInt(recharge.amount_minor);
  const claimed = sumAmounts(refunds, CLAIMING_STATES);
  const refundable = total - claimed;
  if (refundable <= 0n) throw new Conflict(`recharge ${recharge.id} is refunded in full already, or by refunds still under way`, undefined, { recharge_id: recharge.id, refundable: '0' });
  const amountMinor = input.amountMinor ?? refundable;
  if (amountMinor <= 0n) throw ValidationFailed.field('amount', 'must be greater than zero');
  if (amountMinor > refundable) throw ValidationFailed.field('amount', `must be at most ${refundable} (the part of the recharge not refunded or being refunded)`);

  let coins = 0n;
  let unrecovered = 0n;
  let requiresOverride = false;
  if (booked) {
    const wanted = proportionalCoins(BigInt(recharge.coins), total, claimed, amountMinor);
    const usage = await rechargeCoinUsage(manager, recharge.id);
    // The attribution counts the holds of this recharge's refunds in flight as taken: reserved coins are not free.
    const unspent = usage.unspentCoins;
    coins = wanted;
    if (wanted > unspent) {
      if (!input.overrideSpentCoins) throw new CoinsAlreadySpent(recharge.id, wanted, unspent, usage.spentCoins);
      coins = unspent;
      unrecovered = wanted - unspent;
      requiresOverride = true;
    }
  }

  const id = randomUUID();
  const usdMinor = usdMinorEquivalent(amountMinor, recharge.currency);
  const needsApproval = kind === 'manual' && (requiresOverride || usdMinor === null || usdMinor > deps.settings.approvalThresholdUsdMinor);
  let holdId: string | null = null;
  if (booked) {
    if (!deps.ledger) throw new Error('a refund of a credited recharge needs the ledger');
    try {
      const hold = await deps.ledger.post(
        buildRechargeRefund({ refundId: id, rechargeId: recharge.id, userId: recharge.user_id, coins, amountMinor, currency: recharge.currency, provider: recharge.provider, pending: true }),
        { manager },
      );
      holdId = hold.id;
    } catch (error) {
      if (error instanceof InsufficientFunds) throw new Conflict(`the user's wallet cannot reserve ${coins} coins for this refund: ${error.message}`, undefined, { recharge_id: recharge.id, coins: String(coins) });
      throw error;
    }
  }
  await manager.query(
    `INSERT INTO refunds (id, recharge_id, user_id, kind, state, amount_minor, currency, coins, coins_unrecovered, amount_usd_minor, needs_approval, requires_override, reason, requested_by, hold_transaction_id, idempotency_key)
     VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [id, recharge.id, recharge.user_id, kind, amountMinor.toString(), recharge.currency, coins.toString(), unrecovered.toString(), usdMinor?.toString() ?? null, needsApproval, requiresOverride, input.reason, kind === 'manual' ? actor.operatorId : null, holdId, refundIdempotencyKey(id, 1)],
  );
  await recordAudit(manager, actor, {
    action: 'refund.requested',
    entity: 'refund',
    entityId: id,
    after: { state: 'requested', kind, recharge_id: recharge.id, amount_minor: amountMinor.toString(), currency: recharge.currency, coins: coins.toString(), coins_unrecovered: unrecovered.toString(), needs_approval: needsApproval, hold_transaction_id: holdId },
    reason: input.reason,
  });
  if (!needsApproval) {
    const row = await lockRefund(manager, id);
    await moveRefund(manager, actor, row, 'approve', { approved_at: new Date() }, `approved automatically: ${kind === 'auto' ? 'the system refunds a blocked recharge' : `at most ${deps.settings.approvalThresholdUsdMinor} USD cents`}`);
    await startProcessing(manager, actor, row);
  }
  return id;
}

export type { RefundRow };
