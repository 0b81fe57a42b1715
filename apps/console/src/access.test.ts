import { ROLES } from '@coinops/contracts';
import { describe, expect, it } from 'vitest';
import { canRoleAccess, menuResourcesFor } from './access';

describe('the menu of each role', () => {
  it('shows a viewer the audit log and not the operators', () => {
    expect(menuResourcesFor('viewer')).toEqual(['audit-events']);
  });

  it('shows an admin both the operators and the audit log', () => {
    expect(menuResourcesFor('admin')).toEqual(['operators', 'audit-events']);
  });

  it('shows every role the audit log and only the admin the operators', () => {
    for (const role of ROLES) {
      expect(canRoleAccess(role, 'audit-events', 'list')).toBe(true);
      expect(canRoleAccess(role, 'operators', 'list')).toBe(role === 'admin');
    }
  });
});

describe('actions', () => {
  it('keeps the audit log read-only, even for an admin', () => {
    for (const action of ['create', 'edit', 'delete']) {
      expect(canRoleAccess('admin', 'audit-events', action)).toBe(false);
    }
    expect(canRoleAccess('admin', 'audit-events', 'show')).toBe(true);
  });

  it('lets only an admin reset a password', () => {
    expect(canRoleAccess('admin', 'operators', 'reset-password')).toBe(true);
    expect(canRoleAccess('trust_safety', 'operators', 'reset-password')).toBe(false);
  });

  it('refuses unknown roles, resources and actions', () => {
    expect(canRoleAccess('root', 'operators', 'list')).toBe(false);
    expect(canRoleAccess(undefined, 'audit-events', 'list')).toBe(false);
    expect(canRoleAccess('admin', 'payouts', 'list')).toBe(false);
    expect(canRoleAccess('admin', 'operators', 'delete')).toBe(false);
  });
});
