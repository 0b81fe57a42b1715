/** @coinops/payments: provider adapters (Stripe, simulator), webhook intake, recharges (docs/payments.md). No HTTP here. */
export { WebhookSignatureInvalid, ProviderError, ProviderUnavailable, ProviderRejected, ProviderIdempotencyConflict } from './provider/errors';
export type {
  PaymentProvider, WebhookHeaders, RefundRequest, RefundResult, RefundStatus, PayoutRequest, PayoutResult, PayoutStatus, ProviderCharge,
} from './provider/payment-provider';
export { DISPUTE_STATUSES, DISPUTE_STATUS_RANK } from './provider/provider-event';
export type {
  ProviderEvent, NormalizedEvent, ChargeSucceeded, ChargeRefunded, DisputeEvent, DisputeStatus, EarlyFraudWarning, PayoutEvent,
} from './provider/provider-event';

export { StripeProvider, createStripeClient } from './stripe/stripe-provider';
export type { StripeProviderOptions } from './stripe/stripe-provider';
export { STRIPE_SIGNATURE_HEADER, STRIPE_TOLERANCE_SECONDS, verifyStripeSignature } from './stripe/stripe-signature';
export { HANDLED_STRIPE_TYPES, normalizeStripeEvent } from './stripe/stripe-event';
export { redactPayload, redactRawBody, redactString, containsPan, luhnValid, REDACTED } from './redaction/redact';

export { PAYMENT_METHODS, rechargeIntakeProblems, assertRechargeIntake, rechargeIntakeFromPlatformEvent } from './recharges/recharge-intake';
export type { PaymentMethod, RechargeIntake, PlatformRechargeData } from './recharges/recharge-intake';
export { RECHARGE_STATES, RECHARGE_DECISIONS, RECHARGE_TRANSITIONS, canTransition } from './recharges/recharge-states';
export type { RechargeState, RechargeDecision } from './recharges/recharge-states';
export { recordRecharge } from './recharges/record-recharge';
export type { RecordedRecharge } from './recharges/record-recharge';
export { evaluateRecharge, RECHARGE_EVALUATION_ACTOR } from './recharges/evaluate-recharge';
export type { RechargeEvaluation } from './recharges/evaluate-recharge';
export { evaluateRecharges, rechargeRounds, MAX_RECHARGE_BATCH } from './recharges/evaluate-recharges';
export type { RechargeToEvaluate } from './recharges/evaluate-recharges';
export { WebhookIntake, receiveChargesSucceeded, WEBHOOK_INTAKE_DEFAULTS } from './recharges/receive-charges';

export { receiveProviderEvent } from './provider-events/receive-event';
export type { WebhookReceipt } from './provider-events/receive-event';
export { chargeEvents, readyProviderEvents, markProviderEventProcessed } from './provider-events/event-queries';
export type { StoredProviderEvent } from './provider-events/event-queries';
export { processProviderEvent, processProviderEventIn, sweepProviderEvents, reviveNormalized } from './provider-events/dispatch';
export type { ProviderEventHandler, ProviderEventHandlers, ProviderEventOutcome, SweepResult } from './provider-events/dispatch';

export { SeededRandom } from './simulator/seeded-random';
export { SimulatedStripe } from './simulator/simulated-stripe';
export type { SimulatedStripeOptions, SimulatedChargeInput } from './simulator/simulated-stripe';
export { SimulatorProvider } from './simulator/simulator-provider';
export type { SimulatorProviderOptions } from './simulator/simulator-provider';
export { WebhookDelivery, DEFAULT_DELIVERY, SimulatorBackpressure, planCopies } from './simulator/webhook-delivery';
export type { DeliveryOptions, DeliveryAttempt, DeliveryStats } from './simulator/webhook-delivery';
export { SIMULATED_API_VERSION } from './simulator/stripe-objects';
export type { SimulatedCard, StripeJson } from './simulator/stripe-objects';
export { RECHARGES_LIST, listRecharges, getRecharge } from './recharges/recharge-query';
export type { RechargeDto } from './recharges/recharge-query';

export { disputeHandler, CHARGEBACKS_ACTOR } from './chargebacks/apply-dispute';
export type { ChargebackDeps } from './chargebacks/apply-dispute';
export { CHARGEBACK_DIAMONDS_POLICIES, DEFAULT_CHARGEBACK_SETTINGS, chargebackSettingsFromConfig } from './chargebacks/chargeback-settings';
export type { ChargebackSettings, ChargebackDiamondsPolicy } from './chargebacks/chargeback-settings';
export { chargebackLosses } from './chargebacks/chargeback-entries';
export { chargebackStateOf } from './chargebacks/dispute-states';
export { CHARGEBACKS_LIST, listChargebacks, getChargeback, creatorDiamondsAtRisk } from './chargebacks/chargeback-query';
export type { ChargebackDto, DiamondsAtRiskDto } from './chargebacks/chargeback-query';
export { earlyFraudWarningHandler, EARLY_FRAUD_WARNINGS_ACTOR } from './early-fraud-warnings/early-fraud-warning';

export * from './unauthorized-activity';

export { DEFAULT_REFUND_SETTINGS, DEFAULT_ADJUSTMENT_SETTINGS, USD_MINOR_PER_MINOR, usdMinorEquivalent, refundSettingsFromConfig, adjustmentSettingsFromConfig } from './refunds/refund-settings';
export type { RefundSettings, AdjustmentSettings } from './refunds/refund-settings';
export { proportionalCoins } from './refunds/refund-amounts';
export { REFUNDS_LIST, listRefunds, getRefund } from './refunds/refund-records';
export type { RefundDto, RefundRow } from './refunds/refund-records';
export { requestRefund, requestAutomaticRefund, CoinsAlreadySpent, COIN_ATTRIBUTION_RULE } from './refunds/refund-request';
export type { RefundDeps, RefundRequestInput } from './refunds/refund-request';
export { approveRefund, rejectRefund, retryRefund, PROVIDER_UNAVAILABLE } from './refunds/refund-decisions';
export { executeRefund, REFUND_EXECUTION_ACTOR } from './refunds/refund-execute';
export type { RefundExecutionDeps, RefundExecution } from './refunds/refund-execute';
export { refundEventHandler, REFUND_CONFIRMATION_ACTOR } from './refunds/refund-confirm';
export { sweepBlockedRecharges } from './refunds/refund-sweep';
export { RefundService } from './refunds/refund-service';
export type { RefundableDto, RefundAttemptDto } from './refunds/refund-service';
export { ADJUSTMENTS_LIST, listAdjustments, getAdjustment } from './adjustments/adjustment-records';
export type { AdjustmentDto } from './adjustments/adjustment-records';
export { AdjustmentService, requestAdjustment, approveAdjustment, rejectAdjustment } from './adjustments/adjustments';
export type { AdjustmentInput, AdjustmentDeps } from './adjustments/adjustments';
export { RATIO_LEVELS, readRatioThresholds, crosses, ratioPercent } from './chargeback-ratio/ratio-thresholds';
export type { RatioThreshold, RatioLevel, RatioCounts } from './chargeback-ratio/ratio-thresholds';
export { runChargebackRatioMonitor, refreshRatioMonth, monthOf } from './chargeback-ratio/ratio-monitor';
export type { RatioCrossing } from './chargeback-ratio/ratio-monitor';
export { chargebackRatioSeries } from './chargeback-ratio/ratio-query';
export type { RatioPoint, RatioSeries, RatioQuery } from './chargeback-ratio/ratio-query';
export * from './payouts';
