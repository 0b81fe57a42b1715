import { CONSOLE_RESOURCES, isRole, type Role } from '@coinops/contracts';

/**
 * What each console resource lets a permitted role do. Which roles see a resource comes from the
 * shared CONSOLE_RESOURCES table; this table only narrows the actions (the audit log is read-only).
 * The API enforces all of it again: this only keeps the console from offering what would be refused.
 */
export const RESOURCE_ACTIONS: Record<string, readonly string[]> = {
  operators: ['list', 'show', 'create', 'edit', 'export', 'reset-password'],
  'audit-events': ['list', 'show', 'export'],
};

/** Deny by default: an unknown role, resource or action is refused. */
export function canRoleAccess(role: unknown, resource: string, action: string): boolean {
  if (!isRole(role)) return false;
  const roles = CONSOLE_RESOURCES[resource];
  const actions = RESOURCE_ACTIONS[resource];
  if (!roles || !actions) return false;
  return roles.includes(role) && actions.includes(action);
}

/** The resources a role may list, in the order of the table: what its menu shows. */
export function menuResourcesFor(role: Role): string[] {
  return Object.keys(CONSOLE_RESOURCES).filter((resource) => canRoleAccess(role, resource, 'list'));
}
