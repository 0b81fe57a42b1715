import { ValidationFailed } from '@coinops/contracts';
import type { NormalizedEvent, ProviderEvent } from '../provider/provider-event';
import { redactPayload } from '../redaction/redact';
import { chargeRefunded, chargeSucceeded } from './stripe-charge';
import { chargeOf, dispute, earlyFraudWarning, payout } from './stripe-objects';
import { isObject, object, text, unixSeconds, type Json } from './read';

/** The Stripe event types coinops stores; any other type is acknowledged and recorded as seen only. */
export const HANDLED_STRIPE_TYPES = [
  'charge.succeeded',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'radar.early_fraud_warning.created',
  'payout.paid',
  'payout.failed',
] as const;
export type HandledStripeType = (typeof HANDLED_STRIPE_TYPES)[number];

const EVENT_ID = /^[A-Za-z0-9_.:-]{1,255}$/;
const EVENT_TYPE = /^[a-z_]{1,40}(\.[a-z_]{1,40}){1,4}$/;

/**
 * A verified Stripe event (parsed JSON) → the provider-neutral event: redacted first, then normalized
 * from the redacted copy, so nothing redacted can reach a normalized field either.
 */
export function normalizeStripeEvent(parsed: unknown, provider = 'stripe'): ProviderEvent {
  if (!isObject(parsed)) throw ValidationFailed.field('body', 'must be a Stripe event object');
  const id = text(parsed.id);
  const type = text(parsed.type, 200);
  const createdAt = unixSeconds(parsed.created);
  const dataObject = object(parsed.data).object;
  const problems = [];
  if (!id || !EVENT_ID.test(id)) problems.push({ field: 'id', message: 'must be a Stripe event id' });
  if (!type || !EVENT_TYPE.test(type)) problems.push({ field: 'type', message: 'must be a Stripe event type' });
  if (!createdAt) problems.push({ field: 'created', message: 'must be unix seconds' });
  if (!isObject(dataObject)) problems.push({ field: 'data.object', message: 'must be an object' });
  if (problems.length) throw new ValidationFailed(problems);

  const handled = (HANDLED_STRIPE_TYPES as readonly string[]).includes(type!);
  const base = { provider, id: id!, type: type!, createdAt: createdAt!, handled };
  if (!handled) return { ...base, objectId: text(object(dataObject).id), chargeId: null, normalized: null, payload: null };

  const payload = redactPayload(parsed) as Json;
  const redactedObject = object(object(payload.data).object);
  return {
    ...base,
    objectId: text(redactedObject.id),
    chargeId: chargeOf(redactedObject),
    normalized: normalize(type as HandledStripeType, redactedObject, payload, id!, provider),
    payload,
  };
}

function normalize(type: HandledStripeType, objectJson: Json, event: Json, eventId: string, provider: string): NormalizedEvent {
  switch (type) {
    case 'charge.succeeded':
      return chargeSucceeded(objectJson, eventId, provider);
    case 'charge.refunded':
      return chargeRefunded(objectJson);
    case 'charge.dispute.created':
      return dispute(objectJson, 'created');
    case 'charge.dispute.updated':
      return dispute(objectJson, 'updated');
    case 'charge.dispute.closed':
      return dispute(objectJson, 'closed');
    case 'radar.early_fraud_warning.created':
      return earlyFraudWarning(objectJson);
    case 'payout.paid':
    case 'payout.failed':
      return payout(objectJson, event);
  }
}
