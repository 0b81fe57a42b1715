import type { RiskEngine, RiskReason } from '@coinops/risk';
import type { DataSource } from 'typeorm';
import { MAX_RECHARGES_PER_DECISION } from '../decisions/decide';

/** The rule that matched, with every feature value its expression read (the decision's explanation). */
export interface ExplanationReasonDto {
  rule_key: string;
  rule_name: string;
  version: number;
  action: string;
  severity: string;
  score: number;
  description: string | null;
  values: Record<string, unknown>;
}

export interface ReviewRechargeDto {
  id: string;
  provider: string;
  provider_ref: string;
  method: string;
  coins: string;
  amount: string;
  currency: string;
  card_fingerprint: string | null;
  card_brand: string | null;
  card_last4: string | null;
  bin_country: string | null;
  device_id: string | null;
  ip: string | null;
  state: string;
  occurred_at: string;
  /** null on a chargeback or early-fraud-warning item (nothing held). */
  hold_transaction_id: string | null;
  outcome: string | null;
  resolution_transaction_id: string | null;
  resolved_at: string | null;
  risk: { decision_id: string | null; decision: string; score: number; reasons: ExplanationReasonDto[] } | null;
}

export function explanationReason(reason: RiskReason): ExplanationReasonDto {
  return {
    rule_key: reason.ruleKey,
    rule_name: reason.ruleName,
    version: reason.version,
    action: reason.action,
    severity: reason.severity,
    score: reason.score,
    description: reason.description ?? null,
    values: reason.values,
  };
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The item's recharges, oldest first, each with the recorded risk decision that held it. */
export async function rechargesOfReview(dataSource: DataSource, risk: RiskEngine, reviewId: string): Promise<ReviewRechargeDto[]> {
  const rows = await dataSource.query(
    `SELECT r.id, r.provider, r.provider_ref, r.method, r.coins::text AS coins, r.amount_minor::text AS amount, r.currency, r.card_fingerprint, r.card_brand,
            r.card_last4, r.bin_country, r.device_id, r.ip, r.state, r.occurred_at,
            rr.hold_transaction_id, rr.outcome, rr.resolution_transaction_id, rr.resolved_at
       FROM review_item_recharges rr JOIN recharges r ON r.id = rr.recharge_id::uuid
      WHERE rr.review_id = $1 ORDER BY r.occurred_at, r.id LIMIT $2`,
    [reviewId, MAX_RECHARGES_PER_DECISION],
  );
  return Promise.all(
    rows.map(async (row: Record<string, unknown>) => {
      const decision = await risk.getDecision({ type: 'recharge', id: String(row.id) });
      return {
        ...(row as unknown as ReviewRechargeDto),
        currency: String(row.currency).trim(),
        bin_country: (row.bin_country as string | null)?.trim() ?? null,
        occurred_at: iso(row.occurred_at as Date)!,
        resolved_at: iso(row.resolved_at as Date | null),
        risk: decision ? { decision_id: decision.decisionId, decision: decision.decision, score: decision.score, reasons: decision.reasons.map(explanationReason) } : null,
      };
    }),
  );
}
