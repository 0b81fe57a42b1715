/** Operator roles (DESIGN §6). Every API route names the roles it allows; none is implied by another. */
export const ROLES = ['admin', 'trust_safety', 'finance', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Roles that can read every back-office screen. Writes are declared route by route. */
export const ALL_ROLES: readonly Role[] = ROLES;

/**
 * What each role sees in the console menu. The server enforces access route by route;
 * this table only keeps the console from offering what the server would refuse.
 */
export const CONSOLE_RESOURCES: Record<string, readonly Role[]> = {
  operators: ['admin'],
  'audit-events': ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  users: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  creators: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  'ledger-accounts': ['admin', 'finance'],
  'ledger-transactions': ['admin', 'finance'],
  rules: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  'list-entries': ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  alerts: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  reviews: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  recharges: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  chargebacks: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  'unauthorized-activity': ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  refunds: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  adjustments: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  // The queue of refunds and adjustments waiting for a second operator (docs/refunds.md, "Roles").
  approvals: ['admin', 'finance', 'support'],
  // Creator payouts and their execution batches (docs/payouts.md): everyone reads, finance decides.
  payouts: ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
  'payout-batches': ['admin', 'trust_safety', 'finance', 'support', 'viewer'],
};
