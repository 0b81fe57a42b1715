import { defineStateMachine } from './state-machine';

/**
 * Chargebacks (DESIGN §5): `opened` (coins clawed back at once, user flagged) → `needs_response` →
 * `under_review` → `won` (clawback reversed) | `lost` (final; loss and fee booked). The provider drives
 * every move; an inquiry (Stripe's `warning_*` statuses) is kept as `inquiry` and claws nothing back
 * until it becomes a dispute. Final states never change.
 */
export const CHARGEBACK_STATES = ['inquiry', 'inquiry_closed', 'opened', 'needs_response', 'under_review', 'won', 'lost'] as const;
export type ChargebackState = (typeof CHARGEBACK_STATES)[number];

/** States in which the coins are clawed back and the money is with the cardholder's bank. */
export const CHARGEBACK_DISPUTED_STATES: readonly ChargebackState[] = ['opened', 'needs_response', 'under_review', 'lost'];
export const CHARGEBACK_FINAL_STATES: readonly ChargebackState[] = ['won', 'lost', 'inquiry_closed'];
/** States in which evidence is still awaited: the console ages the due date. */
export const CHARGEBACK_AWAITING_EVIDENCE: readonly ChargebackState[] = ['opened', 'needs_response'];

const OPEN: ChargebackState[] = ['inquiry', 'opened', 'needs_response', 'under_review'];

export const CHARGEBACK_MACHINE = defineStateMachine({
  entity: 'chargeback',
  states: CHARGEBACK_STATES,
  transitions: {
    inquire: { from: ['inquiry'], to: 'inquiry' },
    close_inquiry: { from: ['inquiry'], to: 'inquiry_closed' },
    open: { from: ['inquiry'], to: 'opened' },
    needs_response: { from: OPEN, to: 'needs_response' },
    under_review: { from: OPEN, to: 'under_review' },
    win: { from: OPEN, to: 'won' },
    lose: { from: OPEN, to: 'lost' },
  },
});

export type ChargebackAction = keyof typeof CHARGEBACK_MACHINE.transitions;
