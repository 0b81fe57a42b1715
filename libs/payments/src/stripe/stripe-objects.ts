import { DISPUTE_STATUSES, type DisputeEvent, type DisputeStatus, type EarlyFraudWarning, type PayoutEvent } from '../provider/provider-event';
import { integer, object, text, unixSeconds, type Json } from './read';

/** `charge.dispute.created|updated|closed`: the dispute's state at the event's time. */
export function dispute(objectJson: Json, phase: DisputeEvent['phase']): DisputeEvent {
  const status = objectJson.status as DisputeStatus;
  return {
    kind: 'dispute',
    phase,
    disputeId: text(objectJson.id) ?? '',
    chargeId: text(objectJson.charge) ?? '',
    status: (DISPUTE_STATUSES as readonly string[]).includes(status) ? status : 'needs_response',
    reason: text(objectJson.reason, 100) ?? 'general',
    amountMinor: integer(objectJson.amount) ?? 0n,
    currency: text(objectJson.currency, 3)?.toUpperCase() ?? '',
    evidenceDueBy: unixSeconds(object(objectJson.evidence_details).due_by),
  };
}

/** `radar.early_fraud_warning.created`: the issuer reported the charge as fraud; a dispute may follow. */
export function earlyFraudWarning(objectJson: Json): EarlyFraudWarning {
  return {
    kind: 'early_fraud_warning',
    warningId: text(objectJson.id) ?? '',
    chargeId: text(objectJson.charge) ?? '',
    fraudType: text(objectJson.fraud_type, 100) ?? 'unknown',
    actionable: objectJson.actionable === true,
  };
}

/** `payout.paid|failed`; the creator comes from metadata, the idempotency key from the event's request. */
export function payout(objectJson: Json, event: Json): PayoutEvent {
  return {
    kind: 'payout',
    payoutId: text(objectJson.id) ?? '',
    status: objectJson.status === 'paid' ? 'paid' : 'failed',
    amountMinor: integer(objectJson.amount) ?? 0n,
    currency: text(objectJson.currency, 3)?.toUpperCase() ?? '',
    creatorId: text(object(objectJson.metadata).creator_id, 64),
    idempotencyKey: text(object(event.request).idempotency_key, 255),
    failureCode: text(objectJson.failure_code, 100),
  };
}

/** The charge a Stripe object concerns: a charge itself, or the `charge` field of a dispute or warning. */
export function chargeOf(objectJson: Json): string | null {
  if (objectJson.object === 'charge') return text(objectJson.id);
  return text(objectJson.charge);
}
