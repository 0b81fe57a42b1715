import { canTransition, PAYOUT_HOLD_REASONS, PAYOUT_MACHINE, type PayoutAction, type PayoutState } from '@coinops/contracts';

export const payoutStateChoices = PAYOUT_MACHINE.states.map((id) => ({ id, name: id.replace('_', ' ') }));

/** What each hold reason means, for people. */
export const HOLD_LABELS: Record<(typeof PAYOUT_HOLD_REASONS)[number], string> = {
  kyc_unverified: 'KYC not verified',
  tax_form_missing: 'Tax form missing',
  creator_frozen: 'Creator frozen',
  open_review: 'Open review',
  reserve_window: 'Earned in reserve window',
  chargeback_exposure: 'Chargeback exposure',
  unusual_amount: 'Unusual amount',
  flagged_gift_sources: 'Flagged gift sources',
};

export const holdReasonChoices = PAYOUT_HOLD_REASONS.map((id) => ({ id, name: HOLD_LABELS[id] }));

/** The roles of apps/api/src/payouts: finance and admins decide; support, finance and admins cancel for the creator. */
export const DECIDERS = ['finance', 'admin'];
export const REQUESTERS = ['support', 'finance', 'admin'];

export type ButtonAction = Extract<PayoutAction, 'approve' | 'reject' | 'cancel'>;

/**
 * The buttons a payout shows, from PAYOUT_MACHINE and the operator: approve (not one's own request, not a
 * second time), reject, cancel. The server enforces all of it again.
 */
export function payoutButtons(
  payout: { state: PayoutState; requested_by: string | null; approved_by?: string[] },
  role: unknown,
  operatorId: unknown,
): ButtonAction[] {
  const actions: ButtonAction[] = [];
  const decider = DECIDERS.includes(String(role));
  if (decider && canTransition(PAYOUT_MACHINE, payout.state, 'approve')) {
    const own = payout.requested_by !== null && String(payout.requested_by) === String(operatorId);
    const already = (payout.approved_by ?? []).includes(String(operatorId));
    if (!own && !already) actions.push('approve');
  }
  if (decider && canTransition(PAYOUT_MACHINE, payout.state, 'reject')) actions.push('reject');
  if (REQUESTERS.includes(String(role)) && canTransition(PAYOUT_MACHINE, payout.state, 'cancel')) actions.push('cancel');
  return actions;
}

export const payoutStateColor = (state: unknown) =>
  state === 'paid' ? 'success' : state === 'failed' || state === 'rejected' ? 'error' : state === 'on_hold' ? 'warning' : state === 'pending_approval' ? 'info' : 'default';
