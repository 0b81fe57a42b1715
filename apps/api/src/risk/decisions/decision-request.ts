import { ValidationFailed, type ErrorDetail } from '@coinops/contracts';
import { PAYMENT_METHODS, type PaymentMethod, type RechargeEvent } from '@coinops/risk';
import { randomUUID } from 'node:crypto';

/** What the payments service knows about the buyer; the users table fills in the rest. */
export interface KnownSubjectFacts {
  country?: string;
  createdAt?: Date;
  birthYear?: number;
  emailDomain?: string;
}

export interface DecisionRequest {
  event: RechargeEvent;
  subject: KnownSubjectFacts;
}

const FIELDS = [
  'recharge_id',
  'user_id',
  'method',
  'amount',
  'currency',
  'coins',
  'card_fingerprint',
  'card_brand',
  'card_bin',
  'bin_country',
  'wallet',
  'device_id',
  'ip',
  'ip_country',
  'user_country',
  'user_created_at',
  'birth_year',
  'email',
] as const;
type Field = (typeof FIELDS)[number];
const KNOWN = new Set<string>(FIELDS);

const INT64_MAX = 9_223_372_036_854_775_807n;
const COUNTRY = /^[A-Z]{2}$/;
// The engine refuses these in identifiers (they separate its Redis members); checked here too so the
// caller's own field name is reported.
// eslint-disable-next-line no-control-regex
const IDENTIFIER = /^[^|\s\u0000-\u001f\u007f][^|\u0000-\u001f\u007f]{0,199}$/;
const EMAIL = /^[^@\s]{1,64}@([^@\s]{3,200})$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

class Reader {
  readonly problems: ErrorDetail[] = [];
  constructor(private readonly body: Record<string, unknown>) {}

  private fail(field: Field, message: string): undefined {
    this.problems.push({ field, message });
    return undefined;
  }

  present(field: Field): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  string(field: Field, options: { required?: boolean; pattern?: RegExp; message?: string; maxLength?: number } = {}): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return options.required ? this.fail(field, 'is required') : undefined;
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    if (options.maxLength !== undefined && (value.length < 1 || value.length > options.maxLength)) return this.fail(field, `must be 1-${options.maxLength} characters`);
    if (options.pattern && !options.pattern.test(value)) return this.fail(field, options.message ?? 'is malformed');
    return value;
  }

  /** An integer amount: a JSON integer within 2^53, or a decimal string up to 2^63 - 1. */
  integer(field: Field): bigint | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return this.fail(field, 'is required');
    const message = 'must be a non-negative integer in minor units (a JSON integer or a decimal string)';
    if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : this.fail(field, message);
    if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) return this.fail(field, message);
    const parsed = BigInt(value);
    return parsed <= INT64_MAX ? parsed : this.fail(field, 'must be below 2^63');
  }

  oneOf<T extends string>(field: Field, allowed: readonly T[]): T | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return this.fail(field, 'is required');
    return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : this.fail(field, `must be one of ${allowed.join(', ')}`);
  }

  time(field: Field): Date | undefined {
    const text = this.string(field, { pattern: ISO_TIME, message: 'must be an ISO 8601 time' });
    if (text === undefined) return undefined;
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? this.fail(field, 'must be an ISO 8601 time') : date;
  }
}

/**
 * Reads `POST /api/risk/decisions` by hand rather than through class-validator: it is the hot path
 * for the payments service, and amounts may arrive as decimal strings beyond 2^53. Every problem is
 * named by its wire field in one 400.
 */
export function parseDecisionRequest(body: unknown, now: Date): DecisionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ValidationFailed.field('body', 'must be a JSON object');
  const record = body as Record<string, unknown>;
  const read = new Reader(record);
  for (const field of Object.keys(record)) {
    if (!KNOWN.has(field)) read.problems.push({ field, message: 'is not a field of a risk decision request' });
  }
  const identifier = { pattern: IDENTIFIER, message: 'must be 1-200 characters, without "|" or control characters, not starting with a space' };
  const country = { pattern: COUNTRY, message: 'must be an ISO 3166-1 alpha-2 code in upper case' };
  const rechargeId = read.string('recharge_id', identifier);
  const userId = read.string('user_id', { required: true, ...identifier });
  const method = read.oneOf<PaymentMethod>('method', PAYMENT_METHODS);
  const amountMinor = read.integer('amount');
  const currency = read.string('currency', { required: true, pattern: /^[A-Z]{3}$/, message: 'must be an ISO 4217 code in upper case' });
  const coins = read.integer('coins');
  const cardFingerprint = read.string('card_fingerprint', identifier);
  const cardBrand = read.string('card_brand', { maxLength: 64 });
  const cardBin = read.string('card_bin', { pattern: /^[0-9]{6,8}$/, message: 'must be the 6 to 8 first digits of the card' });
  const binCountry = read.string('bin_country', country);
  const wallet = read.string('wallet', { maxLength: 64 });
  const deviceId = read.string('device_id', identifier);
  const ip = read.string('ip', { pattern: /^[0-9a-fA-F.:]{2,45}$/, message: 'must be an IPv4 or IPv6 address' });
  const ipCountry = read.string('ip_country', country);
  const userCountry = read.string('user_country', country);
  const userCreatedAt = read.present('user_created_at') ? read.time('user_created_at') : undefined;
  const email = read.string('email', { maxLength: 254, pattern: EMAIL, message: 'must be an email address' });
  let birthYear: number | undefined;
  if (read.present('birth_year')) {
    const value = record.birth_year;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1900 && value <= now.getUTCFullYear()) birthYear = value;
    else read.problems.push({ field: 'birth_year', message: `must be a year from 1900 to ${now.getUTCFullYear()}` });
  }
  if (userCreatedAt && userCreatedAt.getTime() > now.getTime() + 60_000) read.problems.push({ field: 'user_created_at', message: 'must not be in the future' });
  if (read.problems.length) throw new ValidationFailed(read.problems);

  const event: RechargeEvent = {
    kind: 'recharge',
    // Without a reference the decision is about a charge not yet stored: a fresh id counts nothing twice.
    id: rechargeId ?? `precharge:${randomUUID()}`,
    userId: userId!,
    method: method!,
    amountMinor: amountMinor!,
    currency: currency!,
    coins: coins!,
    occurredAt: now,
    ...(cardFingerprint !== undefined && { cardFingerprint }),
    ...(cardBrand !== undefined && { cardBrand }),
    ...(cardBin !== undefined && { cardBin }),
    ...(binCountry !== undefined && { binCountry }),
    ...(wallet !== undefined && { wallet }),
    ...(deviceId !== undefined && { deviceId }),
    ...(ip !== undefined && { ip }),
    ...(ipCountry !== undefined && { ipCountry }),
  };
  const subject: KnownSubjectFacts = {
    ...(userCountry !== undefined && { country: userCountry }),
    ...(userCreatedAt !== undefined && { createdAt: userCreatedAt }),
    ...(birthYear !== undefined && { birthYear }),
    ...(email !== undefined && { emailDomain: EMAIL.exec(email)![1].toLowerCase() }),
  };
  return { event, subject };
}
