import { CONSOLE_RESOURCES, ROLES } from '@coinops/contracts';
import { MENU_GROUPS } from './layout/menuGroups';
import { describe, expect, it } from 'vitest';
import { canRoleAccess, menuResourcesFor } from './access';

/** The whole menu of each role, in the order of the menu's sections: a resource added anywhere shows up here. */
const MENUS = {
  admin: [
    'recharges', 'refunds', 'adjustments', 'approvals', 'chargebacks',
    'reviews', 'unauthorized-activity', 'alerts', 'rules', 'list-entries',
    'users', 'creators',
    'payouts', 'payout-batches', 'ledger-accounts', 'ledger-transactions',
    'operators', 'audit-events',
  ],
  trust_safety: ['recharges', 'refunds', 'adjustments', 'chargebacks', 'reviews', 'unauthorized-activity', 'alerts', 'rules', 'list-entries', 'users', 'creators', 'payouts', 'payout-batches', 'audit-events'],
  finance: [
    'recharges', 'refunds', 'adjustments', 'approvals', 'chargebacks', 'reviews', 'unauthorized-activity', 'alerts', 'rules', 'list-entries',
    'users', 'creators', 'payouts', 'payout-batches', 'ledger-accounts', 'ledger-transactions', 'audit-events',
  ],
  support: ['recharges', 'refunds', 'adjustments', 'approvals', 'chargebacks', 'reviews', 'unauthorized-activity', 'alerts', 'rules', 'list-entries', 'users', 'creators', 'payouts', 'payout-batches', 'audit-events'],
  viewer: ['recharges', 'refunds', 'adjustments', 'chargebacks', 'reviews', 'unauthorized-activity', 'alerts', 'rules', 'list-entries', 'users', 'creators', 'payouts', 'payout-batches', 'audit-events'],
} as const;

describe('the menu of each role', () => {
  it.each(Object.entries(MENUS))('shows %s exactly its resources', (role, menu) => {
    expect(menuResourcesFor(role as keyof typeof MENUS)).toEqual(menu);
  });

  it('puts every console resource in exactly one section of the menu', () => {
    const placed = MENU_GROUPS.flatMap((group) => group.resources);
    expect([...placed].sort()).toEqual(Object.keys(CONSOLE_RESOURCES).sort());
    expect(new Set(placed).size).toBe(placed.length);
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

  it('lets only trust and safety and admins claim, assign and decide reviews, and freeze users; every role but viewer writes notes', () => {
    for (const role of ROLES) {
      const deciding = role === 'trust_safety' || role === 'admin';
      expect(canRoleAccess(role, 'reviews', 'list')).toBe(true);
      for (const action of ['claim', 'assign', 'decide', 'escalate']) expect(canRoleAccess(role, 'reviews', action)).toBe(deciding);
      expect(canRoleAccess(role, 'users', 'freeze')).toBe(deciding);
      expect(canRoleAccess(role, 'users', 'note')).toBe(role !== 'viewer');
      expect(canRoleAccess(role, 'recharges', 'show')).toBe(true);
    }
  });

  it('refuses unknown roles, resources and actions', () => {
    expect(canRoleAccess('root', 'operators', 'list')).toBe(false);
    expect(canRoleAccess(undefined, 'audit-events', 'list')).toBe(false);
    expect(canRoleAccess('admin', 'payroll', 'list')).toBe(false);
    expect(canRoleAccess('admin', 'operators', 'delete')).toBe(false);
  });
});
