import { defineStateMachine } from './state-machine';

/** Review items (DESIGN §5): claimed into `in_review`, decided `approved` | `rejected`; `escalated` past the SLA. */
export const REVIEW_STATES = ['open', 'in_review', 'escalated', 'approved', 'rejected'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

export const REVIEW_KINDS = ['recharge', 'early_fraud_warning', 'unauthorized_activity', 'chargeback', 'age_change'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export const REVIEW_MACHINE = defineStateMachine({
  entity: 'review',
  states: REVIEW_STATES,
  transitions: {
    claim: { from: ['open', 'escalated'], to: 'in_review' },
    unassign: { from: ['in_review'], to: 'open' },
    escalate: { from: ['open', 'in_review'], to: 'escalated' },
    approve: { from: ['in_review'], to: 'approved' },
    reject: { from: ['in_review'], to: 'rejected' },
  },
});

export type ReviewAction = keyof typeof REVIEW_MACHINE.transitions;

/** States in which an item still waits for a person (and new held recharges of the user join it). */
export const REVIEW_ACTIVE_STATES: readonly ReviewState[] = ['open', 'in_review', 'escalated'];
