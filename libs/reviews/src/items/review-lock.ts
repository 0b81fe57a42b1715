import type { Actor } from '@coinops/access';
import { Conflict, IllegalTransition, NotFound, REVIEW_MACHINE, transition, type ReviewAction, type ReviewSeverity, type ReviewState } from '@coinops/contracts';
import type { EntityManager } from 'typeorm';

/** The columns of an item that decide what may happen to it, read under its row lock. */
export interface LockedItem {
  id: string;
  kind: string;
  user_id: string;
  state: ReviewState;
  severity: ReviewSeverity;
  assigned_to: string | null;
  assigned_email: string | null;
  sla_due_at: Date;
}

/**
 * Locks an item for the rest of the caller's transaction: two operators acting on one item take
 * turns, and the second sees what the first did (so of two concurrent claims exactly one wins).
 */
export async function lockItem(manager: EntityManager, id: string): Promise<LockedItem> {
  const [row]: LockedItem[] = await manager.query(
    `SELECT ri.id, ri.kind, ri.user_id, ri.state, ri.severity, ri.assigned_to, ri.sla_due_at,
            (SELECT email FROM operators WHERE id = ri.assigned_to) AS assigned_email
       FROM review_items ri WHERE ri.id = $1 FOR UPDATE OF ri`,
    [id],
  );
  if (!row) throw new NotFound('review', id);
  return row;
}

/**
 * The state the action leads to, or a 409 naming the current state (REVIEW_MACHINE). The body also
 * names who holds the item, so a losing claimer sees who won.
 */
export function nextState(item: LockedItem, action: ReviewAction): ReviewState {
  try {
    return transition(REVIEW_MACHINE, item.id, item.state, action);
  } catch (error) {
    if (error instanceof IllegalTransition) Object.assign(error.extra, { assigned_to: item.assigned_to, assigned_email: item.assigned_email });
    throw error;
  }
}

/** A claimed item belongs to its operator: anyone else (an admin too, who reassigns first) gets a 409. */
export function assertHeldBy(item: LockedItem, actor: Actor, action: string): void {
  if (item.assigned_to !== null && item.assigned_to === actor.operatorId) return;
  throw new Conflict(`review ${item.id} is claimed by ${item.assigned_email ?? item.assigned_to ?? 'nobody'}: only they can ${action} it (an admin can reassign it)`, undefined, {
    state: item.state,
    entity: 'review',
    id: item.id,
    action,
    assigned_to: item.assigned_to,
    assigned_email: item.assigned_email,
  });
}

export const isAdmin = (actor: Actor) => actor.role === 'admin';
