import { defineStateMachine } from './state-machine';

/**
 * Refunds of a recharge (DESIGN §5, docs/refunds.md): `requested` → `approved` (at once below the
 * threshold, else by a second operator) | `rejected` → `processing` (the worker calls the provider) →
 * `succeeded` (the provider's `charge.refunded` confirmed it; the ledger reversal is posted) | `failed`
 * (visible, with the provider's reason). A failed refund can be retried (→ `processing`) or given up
 * (→ `rejected`, the reserved coins released); a late confirmation of a failed one still succeeds it.
 */
export const REFUND_STATES = ['requested', 'approved', 'rejected', 'processing', 'succeeded', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

/** `auto`: started by the system (a recharge the risk engine blocked); `external`: made at the provider, outside coinops. */
export const REFUND_KINDS = ['manual', 'auto', 'external'] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];

export const REFUND_MACHINE = defineStateMachine({
  entity: 'refund',
  states: REFUND_STATES,
  transitions: {
    approve: { from: ['requested'], to: 'approved' },
    reject: { from: ['requested', 'failed'], to: 'rejected' },
    execute: { from: ['approved'], to: 'processing' },
    confirm: { from: ['processing', 'failed'], to: 'succeeded' },
    fail: { from: ['processing'], to: 'failed' },
    retry: { from: ['failed'], to: 'processing' },
  },
});

export type RefundAction = keyof typeof REFUND_MACHINE.transitions;

/** States that still reserve the recharge's cash and coins (a new refund cannot take them). */
export const REFUND_ACTIVE_STATES: readonly RefundState[] = ['requested', 'approved', 'processing', 'failed'];

/**
 * Who may do what (DESIGN §1, §6; docs/refunds.md, "Roles"). Support asks; a second support operator,
 * finance or an admin approves (never the requester: the server checks it). Trust and safety and viewers
 * read only. Admins may ask too, since they may act for any role.
 */
export const REFUND_REQUESTER_ROLES = ['support', 'admin'] as const;
export const REFUND_APPROVER_ROLES = ['support', 'finance', 'admin'] as const;
