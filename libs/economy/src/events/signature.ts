import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationFailed } from '@coinops/contracts';

/**
 * `Coinops-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (DESIGN §7): Stripe's
 * scheme, so any Stripe-style signer works. Several `v1` may be sent while a secret is rotated; one
 * matching is enough.
 */
export const SIGNATURE_HEADER = 'Coinops-Signature';
/** An event signed longer ago than this (or this far in the future: a skewed clock) is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const MAX_HEADER_LENGTH = 1024;
const MAX_SIGNATURES = 8;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The header value for a body, as the platform computes it (tests, benchmark, simulator). */
export function signEvent(secret: string, rawBody: string | Buffer, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, rawBody)}`;
}

function hmac(secret: string, timestampSeconds: number | string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
}

function refuse(message: string): ValidationFailed {
  return ValidationFailed.field(SIGNATURE_HEADER, message);
}

/**
 * Throws ValidationFailed (400) unless the header carries a fresh timestamp and an HMAC of exactly these
 * bytes under `secret`, compared in constant time.
 */
export function verifySignature(
  header: string | string[] | undefined,
  rawBody: Buffer | undefined,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): void {
  if (header === undefined || header === '') throw refuse('is missing');
  if (Array.isArray(header) || header.length > MAX_HEADER_LENGTH) throw refuse('must be sent once, at most 1 KiB');
  if (!rawBody) throw ValidationFailed.field('body', 'must be a JSON object sent as application/json');

  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1' && signatures.length < MAX_SIGNATURES) signatures.push(value.toLowerCase());
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) throw refuse('has no timestamp t=<unix seconds>');
  if (signatures.length === 0) throw refuse('has no v1 signature');
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw refuse(`timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now`);
  }
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  // Every candidate is compared (no early exit), each in constant time.
  let matched = false;
  for (const signature of signatures) {
    if (!HEX_SHA256.test(signature)) continue;
    if (timingSafeEqual(Buffer.from(signature, 'hex'), expected)) matched = true;
  }
  if (!matched) throw refuse('does not match the body');
}
