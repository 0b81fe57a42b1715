import { describe, expect, it } from 'vitest';
import { canRoleAccess } from '../access';
import { payoutButtons } from './machine';

describe('payout buttons', () => {
  const waiting = { state: 'pending_approval' as const, requested_by: null };

  it('offers finance approve and reject on a payout waiting for approval, and support only cancel', () => {
    expect(payoutButtons(waiting, 'finance', 'op-1')).toEqual(['approve', 'reject', 'cancel']);
    expect(payoutButtons(waiting, 'support', 'op-1')).toEqual(['cancel']);
    expect(payoutButtons(waiting, 'viewer', 'op-1')).toEqual([]);
  });

  it('hides approve from the requester and from an operator who already approved this round (four-eyes)', () => {
    expect(payoutButtons({ ...waiting, requested_by: 'op-1' }, 'admin', 'op-1')).toEqual(['reject', 'cancel']);
    expect(payoutButtons({ ...waiting, approved_by: ['op-2'] }, 'finance', 'op-2')).toEqual(['reject', 'cancel']);
    expect(payoutButtons({ ...waiting, approved_by: ['op-2'] }, 'finance', 'op-3')).toEqual(['approve', 'reject', 'cancel']);
  });

  it('offers nothing once the payout is approved or settled', () => {
    for (const state of ['approved', 'processing', 'paid', 'failed', 'rejected', 'canceled'] as const) {
      expect(payoutButtons({ state, requested_by: null }, 'admin', 'op-1')).toEqual([]);
    }
  });

  it('lets only finance and admins decide and release holds, and export a batch', () => {
    for (const role of ['finance', 'admin']) {
      expect([canRoleAccess(role, 'payouts', 'decide'), canRoleAccess(role, 'payouts', 'release'), canRoleAccess(role, 'payout-batches', 'export')]).toEqual([true, true, true]);
    }
    for (const role of ['support', 'trust_safety', 'viewer']) {
      expect([canRoleAccess(role, 'payouts', 'decide'), canRoleAccess(role, 'payouts', 'release'), canRoleAccess(role, 'payout-batches', 'export')]).toEqual([false, false, false]);
    }
    expect(canRoleAccess('viewer', 'payouts', 'list')).toBe(true);
  });
});
