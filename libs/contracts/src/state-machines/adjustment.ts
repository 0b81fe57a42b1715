import { defineStateMachine } from './state-machine';

/**
 * Manual adjustments of a user's coins or a creator's diamonds (DESIGN §5, docs/refunds.md):
 * `requested` → `approved` (at once up to the threshold, else by a second operator) | `rejected`;
 * `approved` → `posted` when its ledger entry against `platform:adjustments` is written (same transaction).
 */
export const ADJUSTMENT_STATES = ['requested', 'approved', 'rejected', 'posted'] as const;
export type AdjustmentState = (typeof ADJUSTMENT_STATES)[number];

export const ADJUSTMENT_REASON_CODES = ['goodwill', 'bug_compensation', 'fraud_recovery', 'correction'] as const;
export type AdjustmentReasonCode = (typeof ADJUSTMENT_REASON_CODES)[number];

export const ADJUSTMENT_TARGETS = ['user', 'creator'] as const;
export type AdjustmentTarget = (typeof ADJUSTMENT_TARGETS)[number];

export const ADJUSTMENT_DIRECTIONS = ['credit', 'debit'] as const;
export type AdjustmentDirection = (typeof ADJUSTMENT_DIRECTIONS)[number];

export const ADJUSTMENT_MACHINE = defineStateMachine({
  entity: 'adjustment',
  states: ADJUSTMENT_STATES,
  transitions: {
    approve: { from: ['requested'], to: 'approved' },
    reject: { from: ['requested'], to: 'rejected' },
    post: { from: ['approved'], to: 'posted' },
  },
});

export type AdjustmentAction = keyof typeof ADJUSTMENT_MACHINE.transitions;

/** Same roles as refunds (docs/refunds.md, "Roles"): support asks, a second support operator, finance or an admin approves. */
export const ADJUSTMENT_REQUESTER_ROLES = ['support', 'admin'] as const;
export const ADJUSTMENT_APPROVER_ROLES = ['support', 'finance', 'admin'] as const;
