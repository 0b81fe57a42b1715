/**
 * The recharge's `state` and its allowed transitions, as data (the migration's CHECK lists the same
 * names; a test keeps the two equal). The worker's evaluation leaves `received` for `credited`, `held` or
 * `blocked_pending_refund`; reviews, refunds and chargebacks take it from there (DESIGN §4, §5).
 */
export const RECHARGE_STATES = [
  'received',
  'credited',
  'held',
  'blocked_pending_refund',
  'refunded',
  'charged_back',
] as const;
export type RechargeState = (typeof RECHARGE_STATES)[number];

export const RECHARGE_DECISIONS = ['allow', 'review', 'block'] as const;
export type RechargeDecision = (typeof RECHARGE_DECISIONS)[number];

export const RECHARGE_TRANSITIONS: Readonly<Record<RechargeState, readonly RechargeState[]>> = {
  received: ['credited', 'held', 'blocked_pending_refund'],
  // held → charged_back: a dispute voids the hold instead of clawing back (docs/chargebacks.md)
  held: ['credited', 'blocked_pending_refund', 'charged_back'],
  credited: ['refunded', 'charged_back'],
  blocked_pending_refund: ['refunded', 'charged_back'],
  refunded: [],
  // a won dispute gives the clawed-back coins back
  charged_back: ['credited'],
};

export function canTransition(from: RechargeState, to: RechargeState): boolean {
  return RECHARGE_TRANSITIONS[from].includes(to);
}
