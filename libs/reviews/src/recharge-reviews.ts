import { recordAudit, type Actor } from '@coinops/access';
import type { ReviewSeverity } from '@coinops/contracts';
import type { EntityManager } from 'typeorm';
import { maxSeverity, type ReviewSettings } from './sla';
import { readSlaPolicy } from './sla-policy';

export interface HeldRecharge {
  userId: string;
  rechargeId: string;
  holdTransactionId: string;
  decisionId: string | null;
  severity: ReviewSeverity;
  ruleKeys: string[];
  reason: string;
}

export interface ReviewItemRef {
  reviewId: string;
  created: boolean;
}

/**
 * Puts a held recharge in front of trust and safety: a new item for the user, or the user's item
 * that is still active (several held recharges of one user are decided together). The item's
 * severity and SLA follow its most severe recharge, with the minutes of `review_sla_policies` (or the
 * caller's override). Runs in the caller's transaction.
 */
export async function openRechargeReview(manager: EntityManager, actor: Actor, held: HeldRecharge, override?: ReviewSettings): Promise<ReviewItemRef> {
  const settings = override ?? (await readSlaPolicy(manager));
  // The partial unique index admits one active item per user and kind; ON CONFLICT joins it.
  const rows: Array<{ id: string; created: boolean; severity: ReviewSeverity }> = await manager.query(
    `INSERT INTO review_items (kind, user_id, severity, opened_reason, rule_keys, sla_due_at)
     VALUES ('recharge', $1, $2, $3, $4, now() + make_interval(mins => $5))
     ON CONFLICT (user_id, kind) WHERE state IN ('open','in_review','escalated')
     DO UPDATE SET updated_at = now()
     RETURNING id, (xmax = 0) AS created, severity`,
    [held.userId, held.severity, held.reason.slice(0, 1000), held.ruleKeys, settings.slaMinutes[held.severity]],
  );
  const item = rows[0];
  if (!item.created) {
    const severity = maxSeverity(item.severity, held.severity);
    await manager.query(
      `UPDATE review_items
          SET severity = $2,
              sla_due_at = LEAST(sla_due_at, created_at + make_interval(mins => $3)),
              rule_keys = ARRAY(SELECT DISTINCT unnest(rule_keys || $4::text[]))
        WHERE id = $1`,
      [item.id, severity, settings.slaMinutes[severity], held.ruleKeys],
    );
  }
  await manager.query(
    `INSERT INTO review_item_recharges (review_id, recharge_id, hold_transaction_id, decision_id) VALUES ($1, $2, $3, $4)`,
    [item.id, held.rechargeId, held.holdTransactionId, held.decisionId],
  );
  await recordAudit(manager, actor, {
    action: item.created ? 'review.opened' : 'review.recharge_added',
    entity: 'review',
    entityId: item.id,
    after: { recharge_id: held.rechargeId, severity: held.severity, rules: held.ruleKeys },
    reason: held.reason,
  });
  return { reviewId: item.id, created: item.created };
}
