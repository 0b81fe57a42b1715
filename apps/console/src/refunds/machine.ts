import { canTransition, REFUND_APPROVER_ROLES, REFUND_MACHINE, REFUND_REQUESTER_ROLES, type RefundAction, type RefundState } from '@coinops/contracts';

export const refundStateChoices = REFUND_MACHINE.states.map((id) => ({ id, name: id }));
export const refundKindChoices = ['manual', 'auto', 'external'].map((id) => ({ id, name: id }));

export const canRequestRefund = (role: unknown) => (REFUND_REQUESTER_ROLES as readonly string[]).includes(String(role));
export const canDecideRefund = (role: unknown) => (REFUND_APPROVER_ROLES as readonly string[]).includes(String(role));

/**
 * The buttons a refund shows, from REFUND_MACHINE and the operator: approvers see approve/reject on a
 * request (not on their own: the server would answer 403), retry/reject on a failed refund.
 */
export function refundButtons(refund: { state: RefundState; requested_by: string | null }, role: unknown, operatorId: unknown): RefundAction[] {
  if (!canDecideRefund(role)) return [];
  const actions: RefundAction[] = ['approve', 'reject', 'retry'];
  return actions.filter((action) => {
    if (!canTransition(REFUND_MACHINE, refund.state, action)) return false;
    if (action === 'approve' && refund.requested_by !== null && String(refund.requested_by) === String(operatorId)) return false;
    return true;
  });
}

export const refundStateColor = (state: unknown) =>
  state === 'succeeded' ? 'success' : state === 'failed' ? 'error' : state === 'requested' ? 'warning' : state === 'rejected' ? 'default' : 'info';
