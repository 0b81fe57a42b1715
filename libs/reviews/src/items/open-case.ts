import { recordAudit, type Actor } from '@coinops/access';
import type { ReviewSeverity } from '@coinops/contracts';
import type { EntityManager } from 'typeorm';
import { readSlaPolicy } from '../sla-policy';
import { maxSeverity } from '../sla';

/** Review kinds opened by a provider's signal about a recharge that holds nothing in the ledger. */
export type CaseReviewKind = 'chargeback' | 'early_fraud_warning';

export interface CaseReview {
  kind: CaseReviewKind;
  userId: string;
  rechargeId: string;
  severity: ReviewSeverity;
  ruleKey: string;
  reason: string;
}

/**
 * Opens (or joins: one active item per user and kind) a review item about a charged-back or warned
 * recharge, in the caller's transaction. The recharge is listed on the item without a hold, unless it
 * already belongs to another item (a recharge is listed on one item only: its own hold's review).
 */
export async function openCaseReview(manager: EntityManager, actor: Actor, review: CaseReview): Promise<{ reviewId: string; created: boolean }> {
  const settings = await readSlaPolicy(manager);
  const rows: Array<{ id: string; created: boolean; severity: ReviewSeverity }> = await manager.query(
    `INSERT INTO review_items (kind, user_id, severity, opened_reason, rule_keys, sla_due_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))
     ON CONFLICT (user_id, kind) WHERE state IN ('open','in_review','escalated')
     DO UPDATE SET updated_at = now()
     RETURNING id, (xmax = 0) AS created, severity`,
    [review.kind, review.userId, review.severity, review.reason.slice(0, 1000), [review.ruleKey], settings.slaMinutes[review.severity]],
  );
  const item = rows[0];
  if (!item.created) {
    const severity = maxSeverity(item.severity, review.severity);
    await manager.query(
      `UPDATE review_items SET severity = $2, sla_due_at = LEAST(sla_due_at, created_at + make_interval(mins => $3)) WHERE id = $1`,
      [item.id, severity, settings.slaMinutes[severity]],
    );
  }
  await manager.query(
    `INSERT INTO review_item_recharges (review_id, recharge_id, hold_transaction_id) VALUES ($1, $2, NULL) ON CONFLICT (recharge_id) DO NOTHING`,
    [item.id, review.rechargeId],
  );
  await recordAudit(manager, actor, {
    action: item.created ? 'review.opened' : 'review.recharge_added',
    entity: 'review',
    entityId: item.id,
    after: { kind: review.kind, recharge_id: review.rechargeId, severity: review.severity },
    reason: review.reason,
  });
  return { reviewId: item.id, created: item.created };
}
