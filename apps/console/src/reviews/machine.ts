import { canTransition, REVIEW_MACHINE, type ReviewAction, type ReviewState } from '@coinops/contracts';

/** The roles the API lets claim, assign and decide (apps/api/src/reviews). */
export const DECIDING_ROLES = ['trust_safety', 'admin'];

export type ReviewButton = ReviewAction | 'take_over';

export interface ReviewLike {
  state: ReviewState;
  assigned_to: string | null;
}

/**
 * The buttons an operator gets on an item: the transitions REVIEW_MACHINE allows from its state, narrowed
 * the way the server narrows them (a claimed item is decided and let go by its holder; an admin takes it
 * over by reassigning it to themselves). Everything here the server checks again.
 */
export function reviewButtons(review: ReviewLike | undefined, operatorId: string | undefined, role: string | undefined): ReviewButton[] {
  if (!review || !operatorId || !role || !DECIDING_ROLES.includes(role)) return [];
  const mine = review.assigned_to === operatorId;
  const buttons: ReviewButton[] = [];
  for (const action of Object.keys(REVIEW_MACHINE.transitions) as ReviewAction[]) {
    if (!canTransition(REVIEW_MACHINE, review.state, action)) continue;
    if ((action === 'approve' || action === 'reject') && !mine) continue;
    if (action === 'unassign' && !mine && role !== 'admin') continue;
    buttons.push(action);
  }
  if (review.state === 'in_review' && !mine && role === 'admin') buttons.push('take_over');
  return buttons;
}

export const ACTIVE_STATES: readonly ReviewState[] = ['open', 'in_review', 'escalated'];

/** `1h 05m left`, `3m 20s left`, `12m overdue`: minute precision past an hour, seconds under it. */
export function formatCountdown(remainingMs: number): string {
  const overdue = remainingMs < 0;
  const totalSeconds = Math.floor(Math.abs(remainingMs) / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${pad(minutes)}m` : `${minutes}m ${pad(seconds)}s`;
  return overdue ? `${text} overdue` : `${text} left`;
}
