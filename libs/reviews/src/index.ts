/** @coinops/reviews: trust and safety's review items, decisions, evidence and the linked-accounts graph (docs/reviews.md). No HTTP. */
export * from './recharge-reviews';
export { openCaseReview } from './items/open-case';
export type { CaseReview, CaseReviewKind } from './items/open-case';
export * from './sla';
export { readSlaPolicy, updateSlaPolicy, SLA_MINUTES_MIN, SLA_MINUTES_MAX } from './sla-policy';

export { ReviewService, MAX_BULK_ITEMS } from './review-service';
export type { BulkItemResult, ReviewDetail } from './review-service';
export { REVIEWS_LIST, listReviews, getReview, reviewCounts } from './items/review-query';
export type { ReviewDto, ReviewCounts } from './items/review-query';
export type { ReviewRechargeDto, ExplanationReasonDto } from './items/review-recharges';
export { DECIDING_ROLES, checkReason } from './decisions/assignment';
export { MAX_RECHARGES_PER_DECISION } from './decisions/decide';
export type { Decision, DecisionDeps, DecisionResult, RejectExtras } from './decisions/decide';

export { escalateOverdueReviews, ESCALATION_ACTOR, ESCALATION_BATCH_SIZE, ESCALATION_MAX_BATCHES } from './escalation/escalate-overdue';
export type { EscalationRun } from './escalation/escalate-overdue';

export { reviewEvidence, userEvidence, EVIDENCE_LIMITS } from './evidence/evidence';
export type { Evidence } from './evidence/evidence';
export { linkedGraph, GRAPH_LIMITS } from './graph/linked-graph';
export type { LinkedGraph, GraphNode, GraphEdge, GraphNodeType, GraphOptions } from './graph/linked-graph';
export { LINK_SCAN_ROWS } from './links/links';

export { USER_NOTES_LIST, NOTE_MAX_LENGTH } from './users/user-notes';
export type { UserNoteDto } from './users/user-notes';
export { MAX_ACCOUNTS_PER_FREEZE } from './users/freeze-accounts';
export type { FreezeOutcome } from './users/freeze-accounts';
