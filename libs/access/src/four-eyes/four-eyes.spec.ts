import { assertFourEyes, FourEyesRequired } from './four-eyes';
import { systemActor, type Actor } from '../audit/actor';

const operator = (id: string): Actor => ({ operatorId: id, email: `${id}@coinops.dev`, role: 'support', requestId: null });

describe('assertFourEyes', () => {
  it('refuses the requester approving their own request, naming them', () => {
    expect(() => assertFourEyes({ requestedBy: 'op-1', approver: operator('op-1'), entity: 'refund', entityId: 'r1' })).toThrow(FourEyesRequired);
    try {
      assertFourEyes({ requestedBy: 'op-1', approver: operator('op-1'), entity: 'refund', entityId: 'r1' });
    } catch (error) {
      expect((error as FourEyesRequired).statusCode).toBe(403);
      expect((error as FourEyesRequired).extra).toMatchObject({ requested_by: 'op-1' });
    }
  });

  it('accepts a second operator', () => {
    expect(() => assertFourEyes({ requestedBy: 'op-1', approver: operator('op-2'), entity: 'refund', entityId: 'r1' })).not.toThrow();
  });

  it('refuses the same operator giving the second of two approvals', () => {
    expect(() => assertFourEyes({ requestedBy: 'op-1', approver: operator('op-2'), approvedBy: ['op-2'], entity: 'payout', entityId: 'p1' })).toThrow(/different operator/);
  });

  it('refuses the system as an approver, and lets any person approve a system request', () => {
    expect(() => assertFourEyes({ requestedBy: null, approver: systemActor('job'), entity: 'refund', entityId: 'r1' })).toThrow(/operator, not by the system/);
    expect(() => assertFourEyes({ requestedBy: null, approver: operator('op-9'), entity: 'refund', entityId: 'r1' })).not.toThrow();
  });
});
