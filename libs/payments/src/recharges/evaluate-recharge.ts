import { recordAudit, systemActor } from '@coinops/access';
import type { ReviewSeverity } from '@coinops/contracts';
import type { Ledger } from '@coinops/ledger';
import { maxSeverity, openRechargeReview } from '@coinops/reviews';
import type { PaymentMethod, RechargeEvent, RiskDecision, RiskEngine, SubjectFacts } from '@coinops/risk';
import type { EntityManager } from 'typeorm';
import type { RechargeState } from './recharge-states';

export const RECHARGE_EVALUATION_ACTOR = 'worker:recharge.evaluate';

interface RechargeRow {
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

interface UserRow {
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

/**
 * Decides a stored recharge and moves its coins, in the caller's transaction (DESIGN §4):
 * `allow` → coins credited and available; `review` → credited as a ledger hold and put in front of
 * trust and safety; `block` → nothing credited, the recharge waits as `blocked_pending_refund` until
 * the refund flow returns the money. The decision, its ledger entry, the review item and the audit
 * row commit together. A recharge already past evaluation is left alone.
 */
export async function evaluateRecharge(
  manager: EntityManager,
  deps: { risk: RiskEngine; ledger: Ledger },
  rechargeId: string,
  requestId: string | null = null,
): Promise<RechargeEvaluation> {
  const [recharge]: RechargeRow[] = await manager.query(`SELECT * FROM recharges WHERE id = $1 FOR UPDATE`, [rechargeId]);
  if (!recharge) throw new Error(`recharge ${rechargeId} does not exist`);
  if (recharge.state !== 'received') {
    return { rechargeId, evaluated: false, state: recharge.state, decision: null, reviewId: null };
  }
  const [user]: UserRow[] = await manager.query(`SELECT country, email, birth_year, created_at, frozen_at FROM users WHERE id = $1`, [recharge.user_id]);
  const event = toRiskEvent(recharge);
  const decision = await deps.risk.evaluate(event, subjectFacts(user, recharge), { record: true, manager });

  const entry = {
    rechargeId: recharge.id,
    userId: recharge.user_id,
    coins: BigInt(recharge.coins),
    amountMinor: BigInt(recharge.amount_minor),
    currency: recharge.currency.trim(),
    provider: recharge.provider,
    metadata: { provider_ref: recharge.provider_ref, method: recharge.method },
  };
  const actor = systemActor(RECHARGE_EVALUATION_ACTOR, requestId);
  let state: RechargeState;
  let ledgerTransactionId: string | null = null;
  let reviewId: string | null = null;
  if (decision.decision === 'allow') {
    ledgerTransactionId = (await deps.ledger.creditRecharge(entry, { manager })).id;
    state = 'credited';
  } else if (decision.decision === 'review') {
    ledgerTransactionId = (await deps.ledger.holdRecharge(entry, { manager })).id;
    state = 'held';
    const review = await openRechargeReview(manager, actor, {
      userId: recharge.user_id,
      rechargeId: recharge.id,
      holdTransactionId: ledgerTransactionId,
      decisionId: decision.decisionId,
      severity: mostSevere(decision),
      ruleKeys: decision.reasons.map((r) => r.ruleKey),
      reason: decision.reasons.map((r) => r.ruleName).join('; ') || 'held by the risk engine',
    });
    reviewId = review.reviewId;
  } else {
    state = 'blocked_pending_refund';
  }

  await manager.query(
    `UPDATE recharges
        SET state = $2, decision = $3, risk_score = $4, risk_decision_id = $5, ledger_transaction_id = $6, evaluated_at = now(), updated_at = now()
      WHERE id = $1`,
    [recharge.id, state, decision.decision, decision.score, decision.decisionId, ledgerTransactionId],
  );
  await recordAudit(manager, actor, {
    action: 'recharge.evaluated',
    entity: 'recharge',
    entityId: recharge.id,
    before: { state: recharge.state },
    after: { state, decision: decision.decision, score: decision.score, rules: decision.reasons.map((r) => r.ruleKey), ledger_transaction_id: ledgerTransactionId, review_id: reviewId },
    reason: decision.reasons.map((r) => `${r.ruleKey}: ${r.action}`).join(', ') || 'no rule matched',
  });
  return { rechargeId, evaluated: true, state, decision: decision.decision, reviewId };
}

function toRiskEvent(recharge: RechargeRow): RechargeEvent {
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
function subjectFacts(user: UserRow | undefined, recharge: RechargeRow): SubjectFacts {
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
