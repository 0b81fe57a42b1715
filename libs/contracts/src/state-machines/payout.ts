import { defineStateMachine } from './state-machine';

/**
 * Creator payouts (DESIGN §5, docs/payouts.md): diamonds reserved on request; automatic holds with named
 * reasons; approval (two distinct operators above the threshold); executed by the worker; paid or failed
 * by the provider's webhook. Canceled by the creator (or support for them) before approval.
 */
export const PAYOUT_STATES = ['requested', 'on_hold', 'pending_approval', 'approved', 'rejected', 'processing', 'paid', 'failed', 'canceled'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

export const PAYOUT_MACHINE = defineStateMachine({
  entity: 'payout',
  states: PAYOUT_STATES,
  transitions: {
    /** A hold's cause appeared (at request, or on re-evaluation before approval). */
    hold: { from: ['requested', 'pending_approval'], to: 'on_hold' },
    /** No active hold is left: the payout waits for finance. */
    clear: { from: ['requested', 'on_hold'], to: 'pending_approval' },
    approve: { from: ['pending_approval'], to: 'approved' },
    reject: { from: ['on_hold', 'pending_approval'], to: 'rejected' },
    cancel: { from: ['requested', 'on_hold', 'pending_approval'], to: 'canceled' },
    /** The worker took it into a batch. */
    process: { from: ['approved'], to: 'processing' },
    pay: { from: ['processing'], to: 'paid' },
    fail: { from: ['processing'], to: 'failed' },
  },
});

export type PayoutAction = keyof typeof PAYOUT_MACHINE.transitions;

/** Why a payout is held: one row per cause (payout_holds.reason). */
export const PAYOUT_HOLD_REASONS = [
  'kyc_unverified', 'tax_form_missing', 'creator_frozen', 'open_review', 'reserve_window', 'chargeback_exposure', 'unusual_amount', 'flagged_gift_sources',
] as const;
export type PayoutHoldReason = (typeof PAYOUT_HOLD_REASONS)[number];

/** States in which a payout's holds are still evaluated (before approval). */
export const PAYOUT_OPEN_STATES: readonly PayoutState[] = ['requested', 'on_hold', 'pending_approval'];
