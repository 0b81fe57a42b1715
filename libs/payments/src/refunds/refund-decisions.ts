import { assertFourEyes, type Actor } from '@coinops/access';
import { ValidationFailed } from '@coinops/contracts';
import { enqueue, JOBS } from '@coinops/outbox';
import type { EntityManager } from 'typeorm';
import { lockRefund } from './refund-records';
import { checkReason, type RefundDeps } from './refund-request';
import { moveRefund, refundIdempotencyKey, startProcessing } from './refund-transitions';

/** Why a refund failed when the provider never answered (a retry keeps the same idempotency key). */
export const PROVIDER_UNAVAILABLE = 'provider_unavailable';

/**
 * A second operator approves a refund above the threshold (DESIGN §6): never its requester, checked on
 * the locked row so two racing approvals see each other (the second gets a 409 naming `processing`).
 * A refund of spent coins needs `overrideReason`. Approved → processing, with the worker's job.
 */
export async function approveRefund(manager: EntityManager, actor: Actor, id: string, reason: string, overrideReason: string | null): Promise<void> {
  const checked = checkReason(reason);
  const row = await lockRefund(manager, id);
  if (row.state === 'requested') assertFourEyes({ requestedBy: row.requested_by, approver: actor, entity: 'refund', entityId: id });
  let override: string | null = null;
  if (row.requires_override && row.state === 'requested') {
    if (!overrideReason) throw ValidationFailed.field('override_reason', `required: this refund returns cash for ${row.coins_unrecovered} coins the user already spent`);
    override = checkReason(overrideReason, 'override_reason');
  }
  await moveRefund(manager, actor, row, 'approve', { approved_by: actor.operatorId, approved_at: new Date(), decided_by: actor.operatorId, decision_reason: checked, ...(override ? { override_reason: override } : {}) }, checked);
  await startProcessing(manager, actor, row);
}

/**
 * Rejects a refund still waiting for approval, or gives up a failed one: its ledger hold is voided, so
 * the reserved coins are the user's to spend again and the cash no longer counts as refunded.
 */
export async function rejectRefund(manager: EntityManager, deps: Pick<RefundDeps, 'ledger'>, actor: Actor, id: string, reason: string): Promise<void> {
  const checked = checkReason(reason);
  const row = await lockRefund(manager, id);
  const previous = row.state;
  await moveRefund(manager, actor, row, 'reject', { decided_by: actor.operatorId, decision_reason: checked }, checked);
  if (row.hold_transaction_id) {
    await deps.ledger.voidPending(row.hold_transaction_id, { manager, idempotencyKey: `refund-void:${id}`, reason: `refund ${id} ${previous === 'failed' ? 'given up' : 'rejected'}: ${checked}`.slice(0, 500) });
  }
}

/**
 * failed → processing: the worker calls the provider again. After a refusal the attempt gets a new
 * idempotency key (the same key would replay the refusal); after an outage it keeps the old one, so a
 * refund the provider did make while we could not hear the answer is not made twice.
 */
export async function retryRefund(manager: EntityManager, actor: Actor, id: string, reason: string | null): Promise<void> {
  const row = await lockRefund(manager, id);
  const attempt = row.state === 'failed' && row.failure_code !== PROVIDER_UNAVAILABLE ? row.attempt + 1 : row.attempt;
  await moveRefund(manager, actor, row, 'retry', { attempt, idempotency_key: refundIdempotencyKey(id, attempt), failure_code: null, failure_reason: null, processing_at: new Date() }, reason?.trim() || `retry (attempt ${attempt})`);
  row.attempt = attempt;
  await enqueue(manager, JOBS.refundExecute, { refund_id: id, attempt });
}
