import { recordAudit, systemActor, type Actor, type AuditEntry } from '@coinops/access';
import type { ReviewSeverity } from '@coinops/contracts';
import type { Ledger, RechargeEntry } from '@coinops/ledger';
import { maxSeverity, openRechargeReview } from '@coinops/reviews';
import type { PaymentMethod, RechargeEvent, RiskDecision, RiskEngine, SubjectFacts } from '@coinops/risk';
import type { EntityManager } from 'typeorm';
import type { RechargeState } from './recharge-states';
import { requestAutomaticRefund } from '../refunds/refund-request';

export const RECHARGE_EVALUATION_ACTOR = 'worker:recharge.evaluate';
export const USER_COLUMNS = 'id, country, email, birth_year, created_at, frozen_at';

export interface RechargeRow {
  id: string;
  provider: string;
  provider_ref: string;
  user_id: string;
  method: PaymentMethod;
  coins: string;
  amount_minor: string;
  currency: string;
  card_fingerprint: string | null;
  card_brand: string | null;
  bin_country: string | null;
  wallet: string | null;
  device_id: string | null;
  ip: string | null;
  state: RechargeState;
  occurred_at: Date;
}

export interface UserRow {
  id: string;
  country: string | null;
  email: string | null;
  birth_year: number | null;
  created_at: Date;
  frozen_at: Date | null;
}

export interface RechargeEvaluation {
  rechargeId: string;
  /** false when the recharge had already been evaluated (a redelivered job). */
  evaluated: boolean;
  state: RechargeState;
  decision: RiskDecision['decision'] | null;
  reviewId: string | null;
}

export interface EvaluationDeps {
  risk: RiskEngine;
  ledger: Ledger;
}

/**
 * Decides a stored recharge and moves its coins, in the caller's transaction (DESIGN §4):
 * `allow` → coins credited and available; `review` → credited as a ledger hold and put in front of
 * trust and safety; `block` → nothing credited, the recharge waits as `blocked_pending_refund` until
 * the refund flow returns the money. The decision, its ledger entry, the review item and the audit
 * row commit together. A recharge already past evaluation is left alone.
 */
export async function evaluateRecharge(
  manager: EntityManager,
  deps: EvaluationDeps,
  rechargeId: string,
  requestId: string | null = null,
): Promise<RechargeEvaluation> {
  const [recharge]: RechargeRow[] = await manager.query(`SELECT * FROM recharges WHERE id = $1 FOR UPDATE`, [rechargeId]);
  if (!recharge) throw new Error(`recharge ${rechargeId} does not exist`);
  if (recharge.state !== 'received') {
    return { rechargeId, evaluated: false, state: recharge.state, decision: null, reviewId: null };
  }
  const [user]: UserRow[] = await manager.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [recharge.user_id]);
  const decision = await deps.risk.evaluate(toRiskEvent(recharge), subjectFacts(user, recharge), { record: true, manager });

  const actor = systemActor(RECHARGE_EVALUATION_ACTOR, requestId);
  let ledgerTransactionId: string | null = null;
  if (decision.decision === 'allow') ledgerTransactionId = (await deps.ledger.creditRecharge(ledgerEntry(recharge), { manager })).id;
  else if (decision.decision === 'review') ledgerTransactionId = (await deps.ledger.holdRecharge(ledgerEntry(recharge), { manager })).id;
  const { state, reviewId } = await followDecision(manager, actor, recharge, decision, ledgerTransactionId);

  await manager.query(
    `UPDATE recharges
        SET state = $2, decision = $3, risk_score = $4, risk_decision_id = $5, ledger_transaction_id = $6, evaluated_at = now(), updated_at = now()
      WHERE id = $1`,
    [recharge.id, state, decision.decision, decision.score, decision.decisionId, ledgerTransactionId],
  );
  await recordAudit(manager, actor, evaluationAudit(recharge, decision, state, ledgerTransactionId, reviewId));
  return { rechargeId, evaluated: true, state, decision: decision.decision, reviewId };
}

/**
 * What a decision does besides its ledger entry (already posted: a credit for `allow`, a hold for
 * `review`), shared by the one-by-one and the batched evaluation: `review` opens or joins the user's
 * review item; `block` credits nothing and leaves the recharge waiting for its refund.
 */
export async function followDecision(
  manager: EntityManager,
  actor: Actor,
  recharge: RechargeRow,
  decision: RiskDecision,
  ledgerTransactionId: string | null,
): Promise<{ state: RechargeState; reviewId: string | null }> {
  if (decision.decision === 'allow') {
    return { state: 'credited', reviewId: null };
  } else if (decision.decision === 'review') {
    const review = await openRechargeReview(manager, actor, {
      userId: recharge.user_id,
      rechargeId: recharge.id,
      holdTransactionId: ledgerTransactionId as string,
      decisionId: decision.decisionId,
      severity: mostSevere(decision),
      ruleKeys: decision.reasons.map((r) => r.ruleKey),
      reason: decision.reasons.map((r) => r.ruleName).join('; ') || 'held by the risk engine',
    });
    return { state: 'held', reviewId: review.reviewId };
  } else {
    // Nothing credited: the refund flow returns the money. Both evaluation paths (one by one and
    // batched) come through here, so whatever a block starts belongs in this branch.
    await requestAutomaticRefund(manager, actor, recharge.id, `blocked by the risk engine: ${decision.reasons.map((r) => r.ruleKey).join(', ') || 'no rule named'}`);
    return { state: 'blocked_pending_refund', reviewId: null };
  }
}

/** The recharge's ledger entry: credited at once (`allow`) or held (`review`), under one key. */
export function ledgerEntry(recharge: RechargeRow): RechargeEntry {
  return {
    rechargeId: recharge.id,
    userId: recharge.user_id,
    coins: BigInt(recharge.coins),
    amountMinor: BigInt(recharge.amount_minor),
    currency: recharge.currency.trim(),
    provider: recharge.provider,
    metadata: { provider_ref: recharge.provider_ref, method: recharge.method },
  };
}

/** The `recharge.evaluated` audit row. */
export function evaluationAudit(recharge: RechargeRow, decision: RiskDecision, state: RechargeState, ledgerTransactionId: string | null, reviewId: string | null): AuditEntry {
  return {
    action: 'recharge.evaluated',
    entity: 'recharge',
    entityId: recharge.id,
    before: { state: recharge.state },
    after: { state, decision: decision.decision, score: decision.score, rules: decision.reasons.map((r) => r.ruleKey), ledger_transaction_id: ledgerTransactionId, review_id: reviewId },
    reason: decision.reasons.map((r) => `${r.ruleKey}: ${r.action}`).join(', ') || 'no rule matched',
  };
}

export function toRiskEvent(recharge: RechargeRow): RechargeEvent {
  return {
    kind: 'recharge',
    id: recharge.id,
    userId: recharge.user_id,
    method: recharge.method,
    amountMinor: BigInt(recharge.amount_minor),
    currency: recharge.currency.trim(),
    coins: BigInt(recharge.coins),
    cardFingerprint: recharge.card_fingerprint ?? undefined,
    cardBrand: recharge.card_brand ?? undefined,
    binCountry: recharge.bin_country?.trim() ?? undefined,
    wallet: recharge.wallet ?? undefined,
    deviceId: recharge.device_id ?? undefined,
    ip: recharge.ip ?? undefined,
    occurredAt: recharge.occurred_at,
  };
}

/** A recharge from a user the platform has not told us about yet counts as a brand-new account. */
export function subjectFacts(user: UserRow | undefined, recharge: RechargeRow): SubjectFacts {
  if (!user) return { createdAt: recharge.occurred_at };
  return {
    createdAt: user.created_at,
    country: user.country ?? undefined,
    birthYear: user.birth_year ?? undefined,
    emailDomain: user.email?.split('@')[1]?.toLowerCase(),
    frozen: user.frozen_at !== null,
  };
}

/** The most severe of the rules that asked for review or block: the review item's severity and SLA. */
function mostSevere(decision: RiskDecision): ReviewSeverity {
  return decision.reasons
    .filter((reason) => reason.action === 'review' || reason.action === 'block')
    .reduce<ReviewSeverity>((severity, reason) => maxSeverity(severity, reason.severity), 'low');
}
