import { recordAudit, systemActor, type Actor } from '@coinops/access';
import { CHARGEBACK_DISPUTED_STATES, CHARGEBACK_FINAL_STATES, type ChargebackState } from '@coinops/contracts';
import { rechargeCoinUsage, type Ledger } from '@coinops/ledger';
import { openCaseReview } from '@coinops/reviews';
import type { RiskEngine } from '@coinops/risk';
import type { EntityManager } from 'typeorm';
import { DISPUTE_STATUS_RANK, type DisputeEvent, type NormalizedEvent } from '../provider/provider-event';
import type { StoredProviderEvent } from '../provider-events/event-queries';
import type { RechargeState } from '../recharges/recharge-states';
import { buildClawback, buildDisputeFee } from './chargeback-entries';
import { DEFAULT_CHARGEBACK_SETTINGS, type ChargebackSettings } from './chargeback-settings';
import { actionBetween, chargebackStateOf, isNewer } from './dispute-states';
import { markDiamondsAtRisk, releaseDiamondsAtRisk, writeOffDiamondsAtRisk } from './diamonds-at-risk';
import { freezeForChargeback } from './flag-user';

export const CHARGEBACKS_ACTOR = 'worker:chargebacks';

export interface ChargebackDeps {
  ledger: Ledger;
  risk: RiskEngine;
  settings?: ChargebackSettings;
}

interface RechargeRow {
  id: string;
  user_id: string;
  provider: string;
  state: RechargeState;
  coins: string;
  currency: string;
  ledger_transaction_id: string | null;
}

export interface ChargebackRow {
  id: string;
  recharge_id: string;
  user_id: string;
  state: ChargebackState;
  provider_updated_at: Date;
  status_rank: number;
  disputed_at: Date;
  clawback_transaction_id: string | null;
  reversal_transaction_id: string | null;
  fee_transaction_id: string | null;
  hold_void_transaction_id: string | null;
  coins_clawed_back: string;
  currency: string;
  provider: string;
}

/** The dispute as one event tells it; the stored JSON has amounts as decimal strings and dates as ISO strings. */
interface DisputeFacts {
  disputeId: string;
  chargeId: string;
  status: DisputeEvent['status'];
  phase: DisputeEvent['phase'];
  reason: string | null;
  amountMinor: bigint;
  currency: string;
  evidenceDueBy: Date | null;
  at: Date;
  rank: number;
}

function factsOf(event: StoredProviderEvent, normalized: DisputeEvent): DisputeFacts {
  return {
    disputeId: normalized.disputeId,
    chargeId: normalized.chargeId,
    status: normalized.status,
    phase: normalized.phase,
    reason: normalized.reason ? String(normalized.reason).slice(0, 100) : null,
    amountMinor: BigInt(String(normalized.amountMinor)),
    currency: String(normalized.currency).toUpperCase(),
    evidenceDueBy: normalized.evidenceDueBy ? new Date(normalized.evidenceDueBy as unknown as string) : null,
    at: new Date(event.provider_created_at),
    rank: DISPUTE_STATUS_RANK[normalized.status] ?? 0,
  };
}

/**
 * The provider-event handler for disputes (`charge.dispute.*`), in the transaction that marks the event
 * processed (docs/chargebacks.md). The newest event by provider time decides the state; an older or
 * duplicate one changes nothing. Entering a disputed state claws the coins back once; `won` reverses the
 * clawback; `lost` books the fee. Waits while the charge's recharge is not evaluated.
 */
export function disputeHandler(deps: ChargebackDeps) {
  return async (manager: EntityManager, event: StoredProviderEvent, normalized: NormalizedEvent): Promise<'done' | 'wait'> => {
    if (normalized.kind !== 'dispute') return 'done';
    const facts = factsOf(event, normalized);
    const [recharge]: RechargeRow[] = await manager.query(
      `SELECT id, user_id, provider, state, coins::text, currency, ledger_transaction_id FROM recharges WHERE provider = $1 AND provider_ref = $2 FOR UPDATE`,
      [event.provider, facts.chargeId],
    );
    if (!recharge || recharge.state === 'received') return 'wait';
    await applyDispute(manager, { ...deps, settings: deps.settings ?? DEFAULT_CHARGEBACK_SETTINGS }, recharge, event, facts);
    return 'done';
  };
}

async function applyDispute(manager: EntityManager, deps: Required<ChargebackDeps>, recharge: RechargeRow, event: StoredProviderEvent, facts: DisputeFacts): Promise<void> {
  const actor = systemActor(CHARGEBACKS_ACTOR);
  const target = chargebackStateOf(facts.status, facts.phase);
  const [existing]: ChargebackRow[] = await manager.query(`SELECT * FROM chargebacks WHERE provider = $1 AND dispute_id = $2 FOR UPDATE`, [event.provider, facts.disputeId]);
  if (!existing) {
    const [created]: ChargebackRow[] = await manager.query(
      `INSERT INTO chargebacks (recharge_id, user_id, provider, dispute_id, charge_id, state, provider_status, reason, amount_minor, currency, evidence_due_by,
                                provider_updated_at, status_rank, disputed_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, CASE WHEN $6 IN ('won','lost','inquiry_closed') THEN now() END)
       RETURNING *`,
      [recharge.id, recharge.user_id, event.provider, facts.disputeId, facts.chargeId, target, facts.status, facts.reason, facts.amountMinor.toString(), facts.currency, facts.evidenceDueBy, facts.at, facts.rank],
    );
    await recordAudit(manager, actor, {
      action: 'chargeback.recorded',
      entity: 'chargeback',
      entityId: created.id,
      after: { state: target, dispute_id: facts.disputeId, recharge_id: recharge.id, status: facts.status, amount_minor: facts.amountMinor.toString(), currency: facts.currency },
      reason: `${event.type} ${event.provider_event_id}`,
    });
    await enterState(manager, deps, actor, recharge, created, target, facts);
    return;
  }

  // The month a dispute counts in is its earliest event, whatever order the webhooks came in.
  await manager.query(`UPDATE chargebacks SET disputed_at = LEAST(disputed_at, $2) WHERE id = $1`, [existing.id, facts.at]);
  if (!isNewer(facts.at, facts.rank, new Date(existing.provider_updated_at), existing.status_rank)) return;
  if (CHARGEBACK_FINAL_STATES.includes(existing.state)) return;
  if (target !== existing.state && actionBetween(existing.state, target) === null) return;
  await manager.query(
    `UPDATE chargebacks SET state = $2, provider_status = $3, amount_minor = $4, evidence_due_by = COALESCE($5, evidence_due_by), provider_updated_at = $6, status_rank = $7,
            reason = COALESCE($8, reason), closed_at = CASE WHEN $2 IN ('won','lost','inquiry_closed') THEN now() END, updated_at = now()
      WHERE id = $1`,
    [existing.id, target, facts.status, facts.amountMinor.toString(), facts.evidenceDueBy, facts.at, facts.rank, facts.reason],
  );
  if (target === existing.state) return;
  await recordAudit(manager, actor, {
    action: `chargeback.${target}`,
    entity: 'chargeback',
    entityId: existing.id,
    before: { state: existing.state },
    after: { state: target, status: facts.status },
    reason: `${event.type} ${event.provider_event_id}`,
  });
  await enterState(manager, deps, actor, recharge, { ...existing, currency: facts.currency }, target, { ...facts });
}

/** The ledger and account effects of entering `state`; each happens once per chargeback (checked on its row). */
async function enterState(manager: EntityManager, deps: Required<ChargebackDeps>, actor: Actor, recharge: RechargeRow, chargeback: ChargebackRow, state: ChargebackState, facts: DisputeFacts): Promise<void> {
  if (CHARGEBACK_DISPUTED_STATES.includes(state) && chargeback.clawback_transaction_id === null && chargeback.hold_void_transaction_id === null) {
    await clawBack(manager, deps, actor, recharge, chargeback, facts);
    [chargeback] = await manager.query(`SELECT * FROM chargebacks WHERE id = $1`, [chargeback.id]);
  }
  if (state === 'won' && chargeback.clawback_transaction_id !== null && chargeback.reversal_transaction_id === null) {
    const reversal = await deps.ledger.reverse(chargeback.clawback_transaction_id, `dispute ${facts.disputeId} won`, {
      manager, type: 'chargeback_reversal', idempotencyKey: `chargeback:${chargeback.id}:reversal`,
    });
    await manager.query(`UPDATE chargebacks SET reversal_transaction_id = $2 WHERE id = $1`, [chargeback.id, reversal.id]);
    await releaseDiamondsAtRisk(manager, deps.ledger, chargeback.id);
    // Coins that were in the wallet come back with the reversal: the recharge counts as credited again.
    if (BigInt(chargeback.coins_clawed_back) > 0n) await setRechargeState(manager, actor, recharge.id, 'charged_back', 'credited', chargeback.id);
  }
  if (state === 'lost' && chargeback.fee_transaction_id === null) {
    const fee = buildDisputeFee(chargeback.id, recharge.provider, facts.currency, deps.settings.feeMinor);
    const posted = fee ? await deps.ledger.post(fee, { manager }) : null;
    await manager.query(`UPDATE chargebacks SET fee_minor = $2, fee_transaction_id = $3 WHERE id = $1`, [chargeback.id, (fee ? deps.settings.feeMinor : 0n).toString(), posted?.id ?? null]);
    await writeOffDiamondsAtRisk(manager, chargeback.id);
  }
}

/**
 * Opening a dispute: a credited recharge's coins are clawed back (the wallet may go into debt); a held one
 * has its hold voided instead (nothing was spendable); the disputed cash goes to losses either way. The
 * user is flagged (frozen when CHARGEBACK_AUTO_FREEZE), a `chargeback` review item opens, gifted coins put
 * their diamonds at risk, and the known outcome `chargeback` is recorded for backtests.
 */
async function clawBack(manager: EntityManager, deps: Required<ChargebackDeps>, actor: Actor, recharge: RechargeRow, chargeback: ChargebackRow, facts: DisputeFacts): Promise<void> {
  const usage = await rechargeCoinUsage(manager, recharge.id);
  let holdVoidId: string | null = null;
  if (usage.state === 'held' && recharge.ledger_transaction_id) {
    holdVoidId = (await deps.ledger.voidPending(recharge.ledger_transaction_id, { manager, reason: `dispute ${facts.disputeId} opened` })).id;
    await manager.query(
      `UPDATE review_item_recharges SET outcome = 'rejected', resolution_transaction_id = $2, resolved_at = now() WHERE recharge_id = $1 AND outcome IS NULL`,
      [recharge.id, holdVoidId],
    );
  }
  const coins = usage.state === 'posted' ? usage.coins - usage.refundedCoins : 0n;
  const clawback = buildClawback({
    chargebackId: chargeback.id, rechargeId: recharge.id, userId: recharge.user_id, provider: recharge.provider, disputeId: facts.disputeId,
    coins: coins > 0n ? coins : 0n, amountMinor: facts.amountMinor, currency: facts.currency,
  });
  const posted = clawback ? await deps.ledger.post(clawback, { manager }) : null;
  const review = await openCaseReview(manager, actor, {
    kind: 'chargeback', userId: recharge.user_id, rechargeId: recharge.id, severity: 'high', ruleKey: 'chargeback',
    reason: `dispute ${facts.disputeId} (${facts.reason ?? 'no reason'}) on recharge ${recharge.id}`,
  });
  await manager.query(
    `UPDATE chargebacks SET clawback_transaction_id = $2, hold_void_transaction_id = $3, coins_clawed_back = $4, review_id = COALESCE(review_id, $5) WHERE id = $1`,
    [chargeback.id, posted?.id ?? null, holdVoidId, (coins > 0n ? coins : 0n).toString(), review.reviewId],
  );
  await markDiamondsAtRisk(manager, deps.ledger, chargeback.id, usage.gifts, deps.settings.diamondsPolicy);
  if (deps.settings.autoFreeze) await freezeForChargeback(manager, actor, recharge.user_id, `chargeback: dispute ${facts.disputeId} on recharge ${recharge.id}`);
  await deps.risk.recordOutcome({ type: 'recharge', id: recharge.id }, 'chargeback', { manager, note: `dispute ${facts.disputeId}`, recordedBy: 'chargebacks', occurredAt: facts.at });
  if (recharge.state !== 'charged_back' && recharge.state !== 'refunded') await setRechargeState(manager, actor, recharge.id, recharge.state, 'charged_back', chargeback.id);
  await recordAudit(manager, actor, {
    action: 'chargeback.clawed_back',
    entity: 'chargeback',
    entityId: chargeback.id,
    after: { coins: coins.toString(), amount_minor: facts.amountMinor.toString(), ledger_transaction_id: posted?.id ?? null, hold_void_transaction_id: holdVoidId, review_id: review.reviewId, gifts: usage.gifts.length },
    reason: `dispute ${facts.disputeId}`,
  });
}

async function setRechargeState(manager: EntityManager, actor: Actor, rechargeId: string, from: RechargeState, to: RechargeState, chargebackId: string): Promise<void> {
  const rows: unknown[] = await manager.query(`UPDATE recharges SET state = $3, updated_at = now() WHERE id = $1 AND state = $2 RETURNING id`, [rechargeId, from, to]);
  if (rows.length === 0) return;
  await recordAudit(manager, actor, { action: `recharge.${to}`, entity: 'recharge', entityId: rechargeId, before: { state: from }, after: { state: to, chargeback_id: chargebackId } });
}
