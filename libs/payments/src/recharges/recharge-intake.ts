import { isIP } from 'node:net';
import { ValidationFailed, type ErrorDetail } from '@coinops/contracts';
import { isCurrency, MAX_POSTING_AMOUNT } from '@coinops/ledger';

export const PAYMENT_METHODS = ['card', 'paypal', 'google_pay', 'apple_pay', 'app_store', 'play_store'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * A recharge as it arrives, whoever reports it: a provider webhook (`charge.succeeded`) or the
 * platform's signed `recharge.succeeded` event. Stored once per (provider, providerRef).
 */
export interface RechargeIntake {
  /** `stripe`, or `platform` for the platform backend's events (app stores and other methods). */
  provider: string;
  /** The provider's reference: the Stripe charge id, or the platform's recharge_id. */
  providerRef: string;
  userId: string;
  method: PaymentMethod;
  coins: bigint;
  amountMinor: bigint;
  /** ISO 4217, upper case. */
  currency: string;
  packageId?: string | null;
  cardFingerprint?: string | null;
  cardBrand?: string | null;
  cardLast4?: string | null;
  /** ISO 3166-1 alpha-2 of the card's issuer. */
  binCountry?: string | null;
  /** `apple_pay`, `google_pay`, ... when a card came through a wallet. */
  wallet?: string | null;
  deviceId?: string | null;
  ip?: string | null;
  /** When the payment happened, in the provider's clock. */
  occurredAt: Date;
  /** The provider event that reported it, for tracing (`evt_...` or the platform event id). */
  sourceEventId?: string | null;
}

export const PROVIDER_NAME = /^[a-z][a-z0-9_]{0,31}$/;
export const PLATFORM_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const REFERENCE = /^[A-Za-z0-9_.:-]{1,255}$/;
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

/** Every problem with an intake, as field errors (empty when it can be stored). */
export function rechargeIntakeProblems(intake: RechargeIntake): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const check = (ok: boolean, field: string, message: string) => {
    if (!ok) problems.push({ field, message });
  };
  check(PROVIDER_NAME.test(intake.provider ?? ''), 'provider', 'must be 1-32 lower-case letters, digits or underscores');
  check(REFERENCE.test(intake.providerRef ?? ''), 'provider_ref', 'must be 1-255 letters, digits, dots, colons, dashes or underscores');
  check(PLATFORM_ID.test(intake.userId ?? ''), 'user_id', 'must be 1-64 letters, digits, dots, dashes or underscores');
  check((PAYMENT_METHODS as readonly string[]).includes(intake.method), 'method', `must be one of ${PAYMENT_METHODS.join(', ')}`);
  check(isPositiveAmount(intake.coins), 'coins', `must be a whole number from 1 to ${MAX_POSTING_AMOUNT}`);
  check(isPositiveAmount(intake.amountMinor), 'amount', `must be a whole number of minor units from 1 to ${MAX_POSTING_AMOUNT}`);
  check(/^[A-Z]{3}$/.test(intake.currency ?? '') && isCurrency(intake.currency), 'currency', 'must be an ISO 4217 code in upper case');
  check(optional(intake.packageId, (v) => v.length <= 64 && PRINTABLE.test(v)), 'package_id', 'must be 1-64 printable characters');
  check(optional(intake.cardFingerprint, (v) => /^[A-Za-z0-9_-]{1,64}$/.test(v)), 'card_fingerprint', 'must be 1-64 letters, digits, dashes or underscores');
  check(optional(intake.cardBrand, (v) => /^[a-z_ ]{1,40}$/i.test(v)), 'card_brand', 'must be 1-40 letters');
  check(optional(intake.cardLast4, (v) => /^\d{4}$/.test(v)), 'card_last4', 'must be 4 digits');
  check(optional(intake.binCountry, (v) => /^[A-Z]{2}$/.test(v)), 'bin_country', 'must be an ISO 3166-1 alpha-2 code in upper case');
  check(optional(intake.wallet, (v) => /^[a-z_]{1,40}$/.test(v)), 'wallet', 'must be 1-40 lower-case letters or underscores');
  check(optional(intake.deviceId, (v) => v.length <= 200 && PRINTABLE.test(v)), 'device_id', 'must be 1-200 printable characters');
  check(optional(intake.ip, (v) => v.length <= 64 && isIP(v) !== 0), 'ip', 'must be an IPv4 or IPv6 address');
  check(intake.occurredAt instanceof Date && !Number.isNaN(intake.occurredAt.getTime()), 'occurred_at', 'must be a time');
  check(optional(intake.sourceEventId, (v) => v.length <= 255 && PRINTABLE.test(v)), 'source_event_id', 'must be 1-255 printable characters');
  return problems;
}

export function assertRechargeIntake(intake: RechargeIntake): void {
  const problems = rechargeIntakeProblems(intake);
  if (problems.length) throw new ValidationFailed(problems);
}

function isPositiveAmount(value: unknown): boolean {
  return typeof value === 'bigint' && value > 0n && value <= MAX_POSTING_AMOUNT;
}

function optional(value: string | null | undefined, valid: (v: string) => boolean): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length > 0 && valid(value));
}

/** The `recharge.succeeded` platform event's data (DESIGN §7), as the events endpoint parsed it. */
export interface PlatformRechargeData {
  recharge_id: string;
  user_id: string;
  method: PaymentMethod;
  coins: bigint;
  amount: bigint;
  currency: string;
  package_id?: string;
  card_fingerprint?: string;
  card_brand?: string;
  bin_country?: string;
  device_id?: string;
  ip?: string;
}

/** The intake for a platform `recharge.succeeded` event: provider `platform`, reference `recharge_id`. */
export function rechargeIntakeFromPlatformEvent(eventId: string, occurredAt: Date, data: PlatformRechargeData): RechargeIntake {
  return {
    provider: 'platform',
    providerRef: data.recharge_id,
    userId: data.user_id,
    method: data.method,
    coins: data.coins,
    amountMinor: data.amount,
    currency: data.currency,
    packageId: data.package_id ?? null,
    cardFingerprint: data.card_fingerprint ?? null,
    cardBrand: data.card_brand ?? null,
    binCountry: data.bin_country ?? null,
    deviceId: data.device_id ?? null,
    ip: data.ip ?? null,
    occurredAt,
    sourceEventId: eventId,
  };
}

const OPTIONAL_FIELDS = {
  package_id: 'packageId',
  card_fingerprint: 'cardFingerprint',
  card_brand: 'cardBrand',
  card_last4: 'cardLast4',
  bin_country: 'binCountry',
  wallet: 'wallet',
  device_id: 'deviceId',
  ip: 'ip',
} as const satisfies Record<string, keyof RechargeIntake>;

/**
 * For provider input: a malformed optional field (a device id with control characters, a bad IP) is
 * left out rather than losing a paid recharge; the names of the dropped fields are returned.
 */
export function withoutInvalidOptionalFields(intake: RechargeIntake): { intake: RechargeIntake; dropped: string[] } {
  const cleaned: RechargeIntake = { ...intake };
  const dropped: string[] = [];
  for (const problem of rechargeIntakeProblems(intake)) {
    const key = OPTIONAL_FIELDS[problem.field as keyof typeof OPTIONAL_FIELDS];
    if (!key) continue;
    cleaned[key] = null;
    dropped.push(problem.field);
  }
  return { intake: cleaned, dropped };
}
