/**
 * Redaction of provider payloads before anything is stored (docs/payments.md, "What is stored").
 * Card objects keep fingerprint, brand, country, last4 and the wallet type only; secrets and contact
 * details are dropped by key anywhere; any digits that could be a card number are replaced, wherever
 * they appear (metadata, descriptions), because a payload cannot be trusted to put a PAN where expected.
 */

export const REDACTED = '[redacted]';

/** Keys dropped wherever they appear: card secrets and the payer's contact details. */
const DROPPED_KEYS = new Set([
  'number', 'cvc', 'cvv', 'cvc2', 'cvv2', 'pan', 'card_number', 'track1', 'track2', 'pin',
  'billing_details', 'shipping', 'receipt_email', 'receipt_url', 'email', 'phone', 'address',
]);

/** The only fields a card object keeps. */
const CARD_FIELDS = ['fingerprint', 'brand', 'country', 'last4'] as const;
const CARD_KEYS = new Set(['card', 'card_present']);
/**
 * The platform's own ids in `metadata` are kept as sent even when all digits: platforms use long numeric
 * (snowflake) user ids, some of which pass the Luhn check by chance, and a recharge must not lose its user.
 */
const PLATFORM_ID_KEYS = new Set(['user_id', 'device_id']);

const MAX_DEPTH = 16;
const MAX_ARRAY_ITEMS = 100;
const MAX_OBJECT_KEYS = 200;
const MAX_STRING_LENGTH = 2_000;
/** Runs of 13 or more digits, single spaces or dashes allowed between them (how people write PANs). */
const DIGIT_RUN = /\d(?:[ -]?\d){12,}/g;
/** Integers this large as JSON numbers are never amounts or Stripe timestamps (seconds), and lose precision past 2^53. */
const LARGEST_PLAIN_NUMBER = 1e12;

export function redactPayload(value: unknown): unknown {
  return redact(value, 0, null);
}

function redact(value: unknown, depth: number, key: string | null): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'number') return Math.abs(value) >= LARGEST_PLAIN_NUMBER ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY_ITEMS).map((item) => redact(item, depth + 1, null));
  const record = value as Record<string, unknown>;
  if ((key !== null && CARD_KEYS.has(key)) || record.object === 'card') return redactCard(record);
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(record).slice(0, MAX_OBJECT_KEYS)) {
    if (DROPPED_KEYS.has(name.toLowerCase())) continue;
    const platformId = key === 'metadata' && PLATFORM_ID_KEYS.has(name) && typeof child === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(child);
    out[redactString(name)] = platformId ? child : redact(child, depth + 1, name);
  }
  return out;
}

function redactCard(card: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CARD_FIELDS) {
    const value = card[field];
    if (typeof value !== 'string') continue;
    if (field === 'last4' && !/^\d{4}$/.test(value)) continue;
    out[field] = redactString(value).slice(0, 100);
  }
  const wallet = card.wallet as { type?: unknown } | null | undefined;
  if (wallet && typeof wallet === 'object' && typeof wallet.type === 'string') out.wallet = { type: redactString(wallet.type).slice(0, 40) };
  else if (wallet === null) out.wallet = null;
  if (card.object === 'card') out.object = 'card';
  return out;
}

/** Replaces every digit run that holds a Luhn-valid 13-19 digit number; bounds the length. */
export function redactString(text: string): string {
  const bounded = text.length > MAX_STRING_LENGTH ? `${text.slice(0, MAX_STRING_LENGTH)}…` : text;
  return bounded.replace(DIGIT_RUN, (run) => (containsPan(run.replace(/[ -]/g, '')) ? REDACTED : run));
}

/**
 * A raw request body (bytes as received, JSON or not) with every card-number-like digit run replaced, for
 * anything that keeps or shows the body as text (a diagnostic copy of a body that failed to parse). Unlike
 * redactString it keeps the whole length, and it also catches a PAN written as a JSON number.
 */
export function redactRawBody(raw: Buffer | string): string {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  return text.replace(DIGIT_RUN, (run) => (containsPan(run.replace(/[ -]/g, '')) ? REDACTED : run));
}

/** True if some 13-19 digit window of `digits` passes the Luhn check. */
export function containsPan(digits: string): boolean {
  for (let length = 13; length <= Math.min(19, digits.length); length++) {
    for (let start = 0; start + length <= digits.length; start++) {
      if (luhnValid(digits.slice(start, start + length))) return true;
    }
  }
  return false;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
