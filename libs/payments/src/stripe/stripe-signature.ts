import Stripe from 'stripe';
import { WebhookSignatureInvalid } from '../provider/errors';
import type { WebhookHeaders } from '../provider/payment-provider';

export const STRIPE_SIGNATURE_HEADER = 'Stripe-Signature';
/** Stripe's default: a signature older than this is refused, which bounds replays of a captured request. */
export const STRIPE_TOLERANCE_SECONDS = 300;

const MAX_HEADER_LENGTH = 4_096;

/**
 * Verifies `Stripe-Signature` with the official package (`stripe.webhooks.constructEvent`, HMAC-SHA256
 * of "<t>.<raw body>", constant-time compare, any of several `v1` during a secret roll) and returns the
 * parsed event. The package refuses old timestamps only; a timestamp further than the tolerance in the
 * future is refused here too, so a pre-signed request cannot be kept for later.
 */
export function verifyStripeSignature(rawBody: Buffer | undefined, headers: WebhookHeaders, secret: string, toleranceSeconds = STRIPE_TOLERANCE_SECONDS, nowMs = Date.now()): unknown {
  const header = headers[STRIPE_SIGNATURE_HEADER.toLowerCase()];
  if (header === undefined || header === '') throw new WebhookSignatureInvalid(STRIPE_SIGNATURE_HEADER, 'is missing');
  if (Array.isArray(header) || header.length > MAX_HEADER_LENGTH) throw new WebhookSignatureInvalid(STRIPE_SIGNATURE_HEADER, 'must be sent once, at most 4 KiB');
  if (!rawBody || rawBody.length === 0) throw new WebhookSignatureInvalid(STRIPE_SIGNATURE_HEADER, 'signs nothing: the body must be the JSON Stripe sent, as application/json');
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, header, secret, toleranceSeconds, undefined, nowMs);
  } catch (error) {
    throw new WebhookSignatureInvalid(STRIPE_SIGNATURE_HEADER, explain(error, toleranceSeconds));
  }
  const timestamp = /(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(header);
  if (timestamp && Number(timestamp[1]) - Math.floor(nowMs / 1000) > toleranceSeconds) {
    throw new WebhookSignatureInvalid(STRIPE_SIGNATURE_HEADER, `timestamp is more than ${toleranceSeconds} s in the future`);
  }
  return event;
}

/** Stripe's messages are long and name its docs; the API answers a short, stable reason. */
function explain(error: unknown, toleranceSeconds: number): string {
  const message = error instanceof Error ? error.message : '';
  if (/tolerance/i.test(message)) return `timestamp is older than ${toleranceSeconds} s`;
  if (/timestamp and signatures|expected scheme/i.test(message)) return 'must be t=<unix seconds>,v1=<signature>';
  if (/No signatures found matching/i.test(message)) return 'does not match the body';
  if (error instanceof SyntaxError) return 'signs a body that is not JSON';
  return 'could not be verified';
}
