import { recordAudit, type Actor } from '@coinops/access';
import { ValidationFailed } from '@coinops/contracts';
import { enqueue, JOBS } from '@coinops/outbox';
import type { EntityManager } from 'typeorm';
import { assertHeldBy, isAdmin, lockItem, nextState, type LockedItem } from '../items/review-lock';

/** Roles that may hold and decide an item (the API declares the same on the routes). */
export const DECIDING_ROLES = ['trust_safety', 'admin'] as const;

async function setAssignee(manager: EntityManager, item: LockedItem, state: string, operatorId: string | null): Promise<void> {
  await manager.query(
    `UPDATE review_items SET state = $2, assigned_to = $3, assigned_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE now() END, updated_at = now() WHERE id = $1`,
    [item.id, state, operatorId],
  );
}

/** `open` | `escalated` → `in_review`, held by the caller. Escalation released the previous holder's claim. */
export async function claimIn(manager: EntityManager, actor: Actor, id: string): Promise<void> {
  const item = await lockItem(manager, id);
  const state = nextState(item, 'claim');
  await setAssignee(manager, item, state, actor.operatorId);
  await recordAudit(manager, actor, {
    action: 'review.claimed',
    entity: 'review',
    entityId: id,
    before: { state: item.state, assigned_to: item.assigned_to },
    after: { state, assigned_to: actor.operatorId },
  });
}

/** `in_review` → `open`: the holder lets it go, or an admin takes it off someone. */
export async function unassignIn(manager: EntityManager, actor: Actor, id: string, reason: string | null): Promise<void> {
  const item = await lockItem(manager, id);
  const state = nextState(item, 'unassign');
  if (!isAdmin(actor)) assertHeldBy(item, actor, 'unassign');
  await setAssignee(manager, item, state, null);
  await recordAudit(manager, actor, {
    action: 'review.unassigned',
    entity: 'review',
    entityId: id,
    before: { state: item.state, assigned_to: item.assigned_to },
    after: { state, assigned_to: null },
    reason,
  });
}

/**
 * Gives an item to an operator who can decide it. An unclaimed item (`open`, `escalated`) is claimed
 * for them; a claimed one changes hands only from its holder or an admin (anyone else: 409).
 */
export async function assignIn(manager: EntityManager, actor: Actor, id: string, operatorId: string, reason: string | null): Promise<void> {
  const [target]: Array<{ id: string; email: string; role: string; disabled: boolean }> = await manager.query(`SELECT id, email, role, disabled FROM operators WHERE id = $1`, [operatorId]);
  if (!target || target.disabled || !(DECIDING_ROLES as readonly string[]).includes(target.role)) {
    throw ValidationFailed.field('operator_id', `must be an enabled operator with the role ${DECIDING_ROLES.join(' or ')}`);
  }
  const item = await lockItem(manager, id);
  let state = item.state;
  if (item.state === 'in_review') {
    if (item.assigned_to === operatorId) return;
    if (!isAdmin(actor)) assertHeldBy(item, actor, 'reassign');
  } else {
    state = nextState(item, 'claim');
  }
  await setAssignee(manager, item, state, operatorId);
  await recordAudit(manager, actor, {
    action: item.state === 'in_review' ? 'review.reassigned' : 'review.assigned',
    entity: 'review',
    entityId: id,
    before: { state: item.state, assigned_to: item.assigned_to },
    after: { state, assigned_to: operatorId },
    reason,
  });
  if (operatorId !== actor.operatorId) {
    await enqueue(manager, JOBS.operatorNotification, { operator_id: operatorId, kind: 'review.assigned', message: `${actor.email ?? 'an operator'} assigned you review ${id} (user ${item.user_id})` });
  }
}

/**
 * `open` | `in_review` → `escalated`: past its SLA (the worker's job) or sent up by an operator. The
 * holder, if any, is told; the item stays named after them until someone claims it.
 */
export async function escalateIn(manager: EntityManager, actor: Actor, id: string, reason: string): Promise<void> {
  const item = await lockItem(manager, id);
  const state = nextState(item, 'escalate');
  await escalateLocked(manager, actor, item, state, reason);
}

export async function escalateLocked(manager: EntityManager, actor: Actor, item: LockedItem, state: string, reason: string): Promise<void> {
  await manager.query(`UPDATE review_items SET state = $2, escalated_at = now(), escalation_reason = $3, updated_at = now() WHERE id = $1`, [item.id, state, reason.slice(0, 1000)]);
  await recordAudit(manager, actor, {
    action: 'review.escalated',
    entity: 'review',
    entityId: item.id,
    before: { state: item.state, assigned_to: item.assigned_to, sla_due_at: new Date(item.sla_due_at).toISOString() },
    after: { state },
    reason,
  });
  if (item.assigned_to) {
    await enqueue(manager, JOBS.operatorNotification, { operator_id: item.assigned_to, kind: 'review.escalated', message: `Review ${item.id} (user ${item.user_id}) was escalated: ${reason}`.slice(0, 2000) });
  }
}

/** Guards a reason a person typed: 3-1000 characters once trimmed. */
export function checkReason(reason: unknown, field = 'reason'): string {
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed.length < 3 || trimmed.length > 1000) throw ValidationFailed.field(field, 'must be 3-1000 characters');
  return trimmed;
}
