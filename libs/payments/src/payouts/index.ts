/** Creator payouts (docs/payouts.md): requests, holds, approvals, execution and the provider's confirmation. */
export { DEFAULT_PAYOUT_SETTINGS, payoutSettings } from './payout-settings';
export type { PayoutSettings, PayoutConfig } from './payout-settings';
export { quotePayout, buildReservation, buildCashLegs, reservationKey, cashKey, PAYOUT_DIAMONDS, payoutsPaid } from './payout-entries';
export type { PayoutQuote } from './payout-entries';
export { checkPayoutId, lockPayout, movePayout } from './payout-store';
export type { PayoutRow } from './payout-store';
export { holdCauses, GIFT_SOURCE_WINDOW_DAYS } from './hold-causes';
export type { HoldCause } from './hold-causes';
export { reconcileHolds, releaseHold, reevaluateOpenPayouts, HOLDS_ACTOR, REEVALUATE_BATCH, REEVALUATE_MAX_PAGES } from './payout-holds';
export { requestPayoutIn, cancelPayoutIn, cancelPayoutFromEvent, DEFAULT_PAYOUT_METHOD } from './request-payout';
export type { PayoutDeps, PayoutRequestInput } from './request-payout';
export {
  claimPayoutBatch, sendProcessingPayouts, runPayoutExecution, failPayout, providerKey, EXECUTION_ACTOR, MAX_BATCHES_PER_RUN, MAX_SENDS_PER_RUN, RESEND_WINDOW_HOURS,
} from './execute-payouts';
export type { ExecutionDeps, ClaimedBatch, ExecutionRun, SendOutcome } from './execute-payouts';
export { payoutEventHandler, UNMATCHED_WAIT_MINUTES } from './payout-events';
export { PAYOUTS_LIST, PAYOUT_BATCHES_LIST, listPayouts, getPayout, payoutTotals, listPayoutBatches, getPayoutBatch, payoutBatchCsv } from './payout-query';
export type { PayoutDto, PayoutDetail, PayoutHoldDto, PayoutApprovalDto, PayoutTotalsDto, PayoutBatchDto } from './payout-query';
export { creatorEarnings, creatorGiftSources } from './creator-insights';
export type { CreatorEarningsDto, CreatorGiftSourcesDto } from './creator-insights';
export { PayoutService, MAX_BULK_PAYOUTS } from './payout-service';
export type { BulkPayoutResult } from './payout-service';
