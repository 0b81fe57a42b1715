import { CHARGEBACK_MACHINE, type ChargebackAction, type ChargebackState } from '@coinops/contracts';
import type { DisputeEvent, DisputeStatus } from '../provider/provider-event';

/**
 * Our state for a provider's dispute status (docs/chargebacks.md, "States"). Inquiries (`warning_*`)
 * claw nothing back; `prevented` ends in our favour like `won`.
 */
export function chargebackStateOf(status: DisputeStatus, phase: DisputeEvent['phase']): ChargebackState {
  switch (status) {
    case 'warning_needs_response':
    case 'warning_under_review':
      return 'inquiry';
    case 'warning_closed':
      return 'inquiry_closed';
    case 'needs_response':
      return phase === 'created' ? 'opened' : 'needs_response';
    case 'under_review':
      return 'under_review';
    case 'won':
    case 'prevented':
      return 'won';
    case 'lost':
      return 'lost';
  }
}

/** The machine's action from `from` to `to`, or null when the table does not allow it (the event is ignored). */
export function actionBetween(from: ChargebackState, to: ChargebackState): ChargebackAction | null {
  for (const [action, { from: starts, to: target }] of Object.entries(CHARGEBACK_MACHINE.transitions) as Array<[ChargebackAction, { from: readonly ChargebackState[]; to: ChargebackState }]>) {
    if (target === to && starts.includes(from)) return action;
  }
  return null;
}

/** Whether an event at (time, rank) is newer than what the chargeback shows: older or equal events never move it. */
export function isNewer(eventAt: Date, eventRank: number, appliedAt: Date, appliedRank: number): boolean {
  const delta = eventAt.getTime() - appliedAt.getTime();
  return delta > 0 || (delta === 0 && eventRank > appliedRank);
}
