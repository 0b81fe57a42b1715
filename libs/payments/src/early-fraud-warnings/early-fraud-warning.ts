import { recordAudit, systemActor } from '@coinops/access';
import { openCaseReview } from '@coinops/reviews';
import type { EntityManager } from 'typeorm';
import type { EarlyFraudWarning, NormalizedEvent } from '../provider/provider-event';
import type { StoredProviderEvent } from '../provider-events/event-queries';
import { toJson } from '../provider-events/json';

export const EARLY_FRAUD_WARNINGS_ACTOR = 'worker:early-fraud-warnings';

/**
 * The provider-event handler for `radar.early_fraud_warning.created` (docs/chargebacks.md): the warning
 * is stored once, an alert is raised (risk_alerts, source `early_fraud_warning`) and a review item of
 * kind `early_fraud_warning` opens for the user. Nothing moves in the ledger: the issuer has not
 * disputed yet (a refund before it does avoids the dispute and its fee). Waits while the recharge is
 * not evaluated.
 */
export function earlyFraudWarningHandler() {
  return async (manager: EntityManager, event: StoredProviderEvent, normalized: NormalizedEvent): Promise<'done' | 'wait'> => {
    if (normalized.kind !== 'early_fraud_warning') return 'done';
    const warning = normalized as EarlyFraudWarning;
    const [recharge]: Array<{ id: string; user_id: string; state: string }> = await manager.query(
      `SELECT id, user_id, state FROM recharges WHERE provider = $1 AND provider_ref = $2`,
      [event.provider, warning.chargeId],
    );
    if (!recharge || recharge.state === 'received') return 'wait';
    const seen: unknown[] = await manager.query(`SELECT 1 FROM early_fraud_warnings WHERE provider = $1 AND warning_id = $2`, [event.provider, warning.warningId]);
    if (seen.length > 0) return 'done';
    const actor = systemActor(EARLY_FRAUD_WARNINGS_ACTOR);
    const review = await openCaseReview(manager, actor, {
      kind: 'early_fraud_warning', userId: recharge.user_id, rechargeId: recharge.id, severity: 'high', ruleKey: 'early_fraud_warning',
      reason: `early fraud warning ${warning.warningId} (${warning.fraudType}) on recharge ${recharge.id}`,
    });
    await manager.query(
      `INSERT INTO early_fraud_warnings (provider, warning_id, charge_id, recharge_id, user_id, fraud_type, actionable, warned_at, review_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [event.provider, warning.warningId, warning.chargeId, recharge.id, recharge.user_id, String(warning.fraudType || 'unknown').slice(0, 100), Boolean(warning.actionable), new Date(event.provider_created_at), review.reviewId],
    );
    await manager.query(
      `INSERT INTO risk_alerts (source, rule_key, action, severity, score, subject_type, subject_id, user_id, "values")
       VALUES ('early_fraud_warning', 'early_fraud_warning', 'review', 'high', 0, 'recharge', $1, $2, $3)
       ON CONFLICT (source, rule_key, subject_id) WHERE source <> 'rule' DO NOTHING`,
      [recharge.id, recharge.user_id, toJson({ warning_id: warning.warningId, charge_id: warning.chargeId, fraud_type: warning.fraudType, actionable: warning.actionable })],
    );
    await recordAudit(manager, actor, {
      action: 'early_fraud_warning.received',
      entity: 'recharge',
      entityId: recharge.id,
      after: { warning_id: warning.warningId, fraud_type: warning.fraudType, actionable: warning.actionable, review_id: review.reviewId },
      reason: `${event.type} ${event.provider_event_id}`,
    });
    return 'done';
  };
}
