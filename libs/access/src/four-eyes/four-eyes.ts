import { Forbidden } from '@coinops/contracts';
import type { Actor } from '../audit/actor';

/** The approver of a request above its threshold was its requester (DESIGN §6: the server enforces four-eyes). */
export class FourEyesRequired extends Forbidden {
  constructor(entity: string, entityId: string, requestedBy: string) {
    super(`${entity} ${entityId} was requested by this operator: a second operator must approve it`, undefined, {
      entity,
      id: entityId,
      requested_by: requestedBy,
    });
  }
}

export interface FourEyesCheck {
  /** The operator who asked for it; null when the system did (an automatic refund): any person may approve. */
  requestedBy: string | null;
  approver: Actor;
  entity: string;
  entityId: string;
  /** Operators who already approved (a second approval must come from yet another person). */
  approvedBy?: readonly (string | null)[];
}

/**
 * Refuses an approval by the requester, by someone who already approved, or by the system (an approval
 * above a threshold is a person's decision). Call it inside the transaction that records the approval,
 * after locking the row, so two racing approvals see each other.
 */
export function assertFourEyes(check: FourEyesCheck): void {
  const approverId = check.approver.operatorId;
  if (approverId === null) throw new Forbidden(`${check.entity} ${check.entityId} must be approved by an operator, not by the system`);
  if (check.requestedBy !== null && check.requestedBy === approverId) {
    throw new FourEyesRequired(check.entity, check.entityId, check.requestedBy);
  }
  if (check.approvedBy?.includes(approverId)) {
    throw new Forbidden(`${check.entity} ${check.entityId} was already approved by this operator: a different operator must give the second approval`, undefined, {
      entity: check.entity,
      id: check.entityId,
    });
  }
}
