import { CONSOLE_RESOURCES, isRole, type Role } from '@coinops/contracts';
import { MENU_GROUPS } from './layout/menuGroups';

/**
 * What each console resource lets a permitted role do. Which roles see a resource comes from the
 * shared CONSOLE_RESOURCES table; this table only narrows the actions (the audit log is read-only).
 * The API enforces all of it again: this only keeps the console from offering what would be refused.
 */
export const RESOURCE_ACTIONS: Record<string, readonly string[]> = {
  operators: ['list', 'show', 'create', 'edit', 'export', 'reset-password'],
  'audit-events': ['list', 'show', 'export'],
  users: ['list', 'show', 'export', 'freeze', 'note'],
  creators: ['list', 'show', 'export'],
  'ledger-accounts': ['list', 'show', 'export'],
  'ledger-transactions': ['list', 'show', 'export'],
  rules: ['list', 'show', 'create', 'edit', 'export', 'backtest'],
  'list-entries': ['list', 'show', 'create', 'export', 'remove'],
  alerts: ['list', 'show', 'export'],
  reviews: ['list', 'show', 'export', 'claim', 'assign', 'decide', 'escalate'],
  recharges: ['list', 'show', 'export'],
  chargebacks: ['list', 'show', 'export', 'refresh-ratio'],
  'unauthorized-activity': ['list', 'show', 'export', 'report', 'decide'],
  refunds: ['list', 'show', 'export', 'request', 'decide'],
  adjustments: ['list', 'show', 'create', 'export', 'decide'],
  approvals: ['list'],
  payouts: ['list', 'show', 'export', 'request', 'decide', 'release', 'cancel'],
  'payout-batches': ['list', 'show', 'export'],
};

/**
 * Actions only some of a resource's roles may take (everyone reads rules and lists; only trust and
 * safety and admins change them), mirroring the roles the API declares on those routes.
 */
export const ACTION_ROLES: Record<string, Record<string, readonly Role[]>> = {
  rules: { create: ['trust_safety', 'admin'], edit: ['trust_safety', 'admin'], backtest: ['trust_safety', 'admin'] },
  'list-entries': { create: ['trust_safety', 'admin'], remove: ['trust_safety', 'admin'] },
  // The review routes' roles (apps/api/src/reviews): everyone reads, trust and safety and admins act.
  reviews: { claim: ['trust_safety', 'admin'], assign: ['trust_safety', 'admin'], decide: ['trust_safety', 'admin'], escalate: ['trust_safety', 'admin'] },
  users: { freeze: ['trust_safety', 'admin'], note: ['admin', 'trust_safety', 'finance', 'support'] },
  // POST /api/chargeback-ratio/refresh (apps/api/src/chargebacks): finance and admins recompute the ratios now.
  chargebacks: { 'refresh-ratio': ['finance', 'admin'] },
  // apps/api/src/unauthorized-activity: support records a user's report, trust and safety decide it.
  'unauthorized-activity': { report: ['support', 'trust_safety', 'admin'], decide: ['trust_safety', 'admin'] },
  // apps/api/src/refunds and adjustments: support asks, a second support operator, finance or an admin decides.
  refunds: { request: ['support', 'admin'], decide: ['support', 'finance', 'admin'] },
  adjustments: { create: ['support', 'admin'], decide: ['support', 'finance', 'admin'] },
  // apps/api/src/payouts: finance and admins decide and release holds; support asks and cancels for a creator.
  payouts: { decide: ['finance', 'admin'], release: ['finance', 'admin'], request: ['support', 'finance', 'admin'], cancel: ['support', 'finance', 'admin'] },
  'payout-batches': { export: ['finance', 'admin'] },
};

/** Deny by default: an unknown role, resource or action is refused. */
export function canRoleAccess(role: unknown, resource: string, action: string): boolean {
  if (!isRole(role)) return false;
  const roles = CONSOLE_RESOURCES[resource];
  const actions = RESOURCE_ACTIONS[resource];
  if (!roles || !actions) return false;
  const narrowed = ACTION_ROLES[resource]?.[action];
  return roles.includes(role) && actions.includes(action) && (!narrowed || narrowed.includes(role));
}

/** The resources a role may list, in the order of the menu's sections: what its menu shows. */
export function menuResourcesFor(role: Role): string[] {
  return MENU_GROUPS.flatMap((group) => group.resources).filter((resource) => canRoleAccess(role, resource, 'list'));
}
