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
export { redactPayload, REDACTED } from './redaction/redact';

export { PAYMENT_METHODS, rechargeIntakeProblems, assertRechargeIntake, rechargeIntakeFromPlatformEvent } from './recharges/recharge-intake';
export type { PaymentMethod, RechargeIntake, PlatformRechargeData } from './recharges/recharge-intake';
export { RECHARGE_STATES, RECHARGE_DECISIONS, RECHARGE_TRANSITIONS, canTransition } from './recharges/recharge-states';
export type { RechargeState, RechargeDecision } from './recharges/recharge-states';
export { recordRecharge } from './recharges/record-recharge';
export type { RecordedRecharge } from './recharges/record-recharge';
export { evaluateRecharge, RECHARGE_EVALUATION_ACTOR } from './recharges/evaluate-recharge';
export type { RechargeEvaluation } from './recharges/evaluate-recharge';

export { receiveProviderEvent } from './provider-events/receive-event';
export type { WebhookReceipt } from './provider-events/receive-event';
export { chargeEvents, readyProviderEvents, markProviderEventProcessed } from './provider-events/event-queries';
export type { StoredProviderEvent } from './provider-events/event-queries';

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
