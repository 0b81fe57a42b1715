import { isIP } from 'node:net';
import { ValidationFailed, type ErrorDetail } from '@coinops/contracts';
import { bodyHash, isCurrency, MAX_POSTING_AMOUNT } from '@coinops/ledger';
import { z } from 'zod';
import { redactRawBody } from '@coinops/payments';
import { EVENT_ID, GIFT_ID, PLATFORM_ID, PLATFORM_ID_MESSAGE, PRINTABLE } from '../ids';

/** Every event type of DESIGN §7. */
export const EVENT_TYPES = [
  'user.created', 'user.updated', 'creator.created', 'creator.kyc_updated', 'gift.sent',
  'account.security_changed', 'recharge.succeeded', 'payout.requested', 'payout.canceled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Acknowledged with 202 and kept in `platform_events` (handled_at NULL) for a flow that comes later.
 * None now: payout.requested / payout.canceled are acted on by the payout flow (docs/payouts.md).
 */
export const STORED_EVENT_TYPES: readonly EventType[] = [];

export const KYC_STATUSES = ['none', 'pending', 'verified', 'rejected'] as const;
export const PAYMENT_METHODS = ['card', 'paypal', 'google_pay', 'apple_pay', 'app_store', 'play_store'] as const;
export const SECURITY_CHANGES = ['password', 'email', 'phone', 'device'] as const;

const MAX_EVENT_AGE_YEARS = 20;

const platformId = z.string().regex(PLATFORM_ID, PLATFORM_ID_MESSAGE);
/** Card data is kept only as fingerprint, brand, BIN country and last four (issue 9): a reference holding a card number is refused, not stored. */
const reference = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(PRINTABLE, 'must not contain control characters')
    .refine((value) => redactRawBody(value) === value, 'must not contain a card number');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case');
const currency = z.string().refine((code) => /^[A-Z]{3}$/.test(code) && isCurrency(code), 'must be an ISO 4217 code in upper case');
const ip = z.string().max(64).refine((value) => isIP(value) !== 0, 'must be an IPv4 or IPv6 address');
const email = z.string().max(254).regex(/^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/, 'must be an email address');
const birthYear = z.number().int().min(1900).max(new Date().getUTCFullYear());

/** A whole, positive amount: a JSON integer (safe in a double) or a decimal string; a bigint in memory. */
const amount = z.unknown().transform((value, ctx) => {
  if (value === undefined || value === null) {
    ctx.addIssue({ code: 'custom', message: 'is required' });
    return z.NEVER;
  }
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value : '';
  if (!/^[1-9][0-9]{0,17}$/.test(text) || BigInt(text) > MAX_POSTING_AMOUNT) {
    ctx.addIssue({ code: 'custom', message: `must be a positive whole number, at most ${MAX_POSTING_AMOUNT} (a JSON integer or a decimal string)` });
    return z.NEVER;
  }
  return BigInt(text);
});

const profile = { user_id: platformId, country, email: email.optional(), birth_year: birthYear.optional(), device_id: reference(200).optional(), ip: ip.optional() };
const creator = {
  creator_id: platformId,
  user_id: platformId.optional(),
  country,
  payout_currency: currency,
  kyc_status: z.enum(KYC_STATUSES),
  tax_form: reference(64).optional(),
};

export const EVENT_DATA_SCHEMAS = {
  'user.created': z.strictObject(profile),
  'user.updated': z.strictObject(profile),
  'creator.created': z.strictObject(creator),
  'creator.kyc_updated': z.strictObject(creator),
  'gift.sent': z.strictObject({
    gift_id: z.string().regex(GIFT_ID, 'must be 1-100 letters, digits, dots, colons, dashes or underscores'),
    sender_id: platformId,
    creator_id: platformId,
    coins: amount,
    gift_type: reference(64).optional(),
    live_session_id: reference(100).optional(),
  }),
  'account.security_changed': z.strictObject({ user_id: platformId, change: z.enum(SECURITY_CHANGES), device_id: reference(200).optional(), ip: ip.optional() }),
  'recharge.succeeded': z.strictObject({
    recharge_id: reference(100),
    user_id: platformId,
    method: z.enum(PAYMENT_METHODS),
    coins: amount,
    amount,
    currency,
    package_id: reference(64).optional(),
    card_fingerprint: reference(200).optional(),
    card_brand: reference(40).optional(),
    bin_country: country.optional(),
    device_id: reference(200).optional(),
    ip: ip.optional(),
  }),
  'payout.requested': z.strictObject({ payout_id: reference(100), creator_id: platformId, diamonds: amount, method: reference(40).optional() }),
  'payout.canceled': z.strictObject({ payout_id: reference(100), creator_id: platformId, method: reference(40).optional() }),
} satisfies Record<EventType, z.ZodType>;

export type EventData<T extends EventType> = z.output<(typeof EVENT_DATA_SCHEMAS)[T]>;

const envelope = z.strictObject({
  id: z.string().regex(EVENT_ID, 'must be 1-200 letters, digits, dots, colons, dashes or underscores'),
  type: z.enum(EVENT_TYPES),
  occurred_at: z.string().max(64).refine((text) => isPlausibleTime(text), `must be an ISO 8601 time within the last ${MAX_EVENT_AGE_YEARS} years`),
  data: z.record(z.string(), z.unknown()),
});

function isPlausibleTime(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return false;
  const time = Date.parse(text);
  const now = Date.now();
  return !Number.isNaN(time) && time > now - MAX_EVENT_AGE_YEARS * 365 * 86_400_000 && time < now + 86_400_000;
}

/** A checked event: `data` typed by `type`, and the hash of its normalized form (the event id's idempotency). */
export type PlatformEvent = {
  [T in EventType]: { readonly id: string; readonly type: T; readonly occurredAt: Date; readonly data: EventData<T>; readonly bodyHash: string };
}[EventType];

export type GiftSentEvent = Extract<PlatformEvent, { type: 'gift.sent' }>;

/** The stored form of an event's data: snake_case as received, amounts as decimal strings. */
export function wireData(event: PlatformEvent): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(event.data as Record<string, unknown>)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : value]),
  );
}

function toDetails(issues: readonly z.core.$ZodIssue[], prefix: string): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [path, key].filter(Boolean).join('.'), message: 'is not a field of this event' }));
    }
    return [{ field: path || 'body', message: issue.message }];
  });
}

const requiredMessage = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : undefined);

/**
 * Checks the envelope `{id, type, occurred_at, data}` and the data of its type; every problem is a 400
 * naming its field (`data.coins`). Throws ValidationFailed.
 */
export function parsePlatformEvent(body: unknown): PlatformEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ValidationFailed.field('body', 'must be a JSON object');
  const parsed = envelope.safeParse(body, { error: requiredMessage });
  if (!parsed.success) throw new ValidationFailed(toDetails(parsed.error.issues, ''));
  const { id, type, occurred_at: occurredAtText } = parsed.data;
  const data = EVENT_DATA_SCHEMAS[type].safeParse(parsed.data.data, { error: requiredMessage });
  if (!data.success) throw new ValidationFailed(toDetails(data.error.issues, 'data'));
  const occurredAt = new Date(occurredAtText);
  const event = { id, type, occurredAt, data: data.data, bodyHash: '' } as PlatformEvent;
  const hash = bodyHash({ id, type, occurred_at: occurredAt.toISOString(), data: wireData(event) });
  return { ...event, bodyHash: hash } as PlatformEvent;
}
