import { ROLES } from '@coinops/contracts';
import { describe, expect, it } from 'vitest';
import { canRoleAccess } from '../access';
import { refundButtons } from './machine';

describe('refund buttons', () => {
  it('offers an approver approve and reject on a request, but not approve on their own', () => {
    expect(refundButtons({ state: 'requested', requested_by: 'op-1' }, 'finance', 'op-2')).toEqual(['approve', 'reject']);
    expect(refundButtons({ state: 'requested', requested_by: 'op-1' }, 'support', 'op-1')).toEqual(['reject']);
  });

  it('offers retry and reject on a failed refund, nothing once it is final or in flight', () => {
    expect(refundButtons({ state: 'failed', requested_by: null }, 'admin', 'op-2')).toEqual(['reject', 'retry']);
    for (const state of ['processing', 'succeeded', 'rejected'] as const) expect(refundButtons({ state, requested_by: null }, 'admin', 'op-2')).toEqual([]);
  });

  it('offers trust and safety and viewers nothing', () => {
    for (const role of ['trust_safety', 'viewer']) expect(refundButtons({ state: 'requested', requested_by: 'op-1' }, role, 'op-2')).toEqual([]);
  });
});

describe('refund and adjustment access by role', () => {
  it('lets every role read, support and admins ask, and support, finance and admins decide', () => {
    for (const role of ROLES) {
      expect(canRoleAccess(role, 'refunds', 'list')).toBe(true);
      expect(canRoleAccess(role, 'adjustments', 'list')).toBe(true);
      expect(canRoleAccess(role, 'refunds', 'request')).toBe(role === 'support' || role === 'admin');
      expect(canRoleAccess(role, 'adjustments', 'create')).toBe(role === 'support' || role === 'admin');
      expect(canRoleAccess(role, 'refunds', 'decide')).toBe(['support', 'finance', 'admin'].includes(role));
      expect(canRoleAccess(role, 'approvals', 'list')).toBe(['support', 'finance', 'admin'].includes(role));
    }
  });
});
