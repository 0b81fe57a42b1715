import { ValidationFailed } from '@coinops/contracts';
import type { ErrorDetail } from '@coinops/contracts';
import { isYoungSender } from '../features/redis-keys';
import { ObservableEvent, PAYMENT_METHODS, SECURITY_CHANGES } from '../types';

export const STORED_EVENT_KINDS = ['recharge', 'gift', 'security_change', 'chargeback', 'refund_fraud', 'account_takeover'] as const;
export type StoredEventKind = (typeof STORED_EVENT_KINDS)[number];

/** One row of `risk_events`, the append-only source of truth the Redis features are rebuilt from. */
export interface StoredEvent {
  kind: StoredEventKind;
  ref: string;
  occurredAt: Date;
  userId: string;
  cardFingerprint: string | null;
  deviceId: string | null;
  ip: string | null;
  method: string | null;
  binCountry: string | null;
  amountMinor: bigint | null;
  currency: string | null;
  coins: bigint | null;
  creatorId: string | null;
  senderYoung: boolean | null;
  detail: string | null;
}

/**
 * Identifiers end up inside Redis members separated by `|` and in the read script's operation list
 * separated by control characters: refuse both, and bound the length.
 */
// eslint-disable-next-line no-control-regex
export const IDENTIFIER = /^[^|\s\u0000-\u001f\u007f][^|\u0000-\u001f\u007f]{0,199}$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
/** 2^63 - 1: PostgreSQL bigint and CEL int. */
const INT64_MAX = 9_223_372_036_854_775_807n;

class Checker {
  readonly problems: ErrorDetail[] = [];

  identifier(field: string, value: unknown, required: boolean): void {
    if (value === undefined || value === null) {
      if (required) this.problems.push({ field, message: 'is required' });
      return;
    }
    if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
      this.problems.push({ field, message: 'must be 1-200 characters, without "|" or control characters, not starting with a space' });
    }
  }

  pattern(field: string, value: unknown, pattern: RegExp, message: string): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string' || !pattern.test(value)) this.problems.push({ field, message });
  }

  amount(field: string, value: unknown): void {
    if (typeof value !== 'bigint' || value < 0n || value > INT64_MAX) {
      this.problems.push({ field, message: 'must be a non-negative integer (bigint) below 2^63' });
    }
  }

  date(field: string, value: unknown): void {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) this.problems.push({ field, message: 'must be a valid date' });
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): void {
    if (typeof value !== 'string' || !allowed.includes(value)) this.problems.push({ field, message: `must be one of ${allowed.join(', ')}` });
  }

  done(): void {
    if (this.problems.length) throw new ValidationFailed(this.problems);
  }
}

/** Checks an event from a caller and turns it into its stored form. Throws ValidationFailed (400). */
export function toStoredEvent(event: ObservableEvent): StoredEvent {
  const check = new Checker();
  check.oneOf('kind', event?.kind, ['recharge', 'gift', 'security_change']);
  check.done();
  check.identifier('id', event.id, true);
  check.identifier('user_id', event.userId, true);
  check.date('occurred_at', event.occurredAt);
  check.identifier('device_id', event.deviceId, false);
  check.identifier('ip', event.ip, false);
  const base = {
    ref: event.id,
    occurredAt: event.occurredAt,
    userId: event.userId,
    deviceId: event.deviceId ?? null,
    ip: event.ip ?? null,
    cardFingerprint: null,
    method: null,
    binCountry: null,
    amountMinor: null,
    currency: null,
    coins: null,
    creatorId: null,
    senderYoung: null,
    detail: null,
  };
  switch (event.kind) {
    case 'recharge': {
      check.oneOf('method', event.method, PAYMENT_METHODS);
      check.amount('amount', event.amountMinor);
      check.amount('coins', event.coins);
      check.pattern('currency', event.currency, CURRENCY, 'must be an ISO 4217 code in upper case');
      if (event.currency === undefined) check.problems.push({ field: 'currency', message: 'is required' });
      check.identifier('card_fingerprint', event.cardFingerprint, false);
      check.pattern('bin_country', event.binCountry, COUNTRY, 'must be an ISO 3166-1 alpha-2 code in upper case');
      check.pattern('ip_country', event.ipCountry, COUNTRY, 'must be an ISO 3166-1 alpha-2 code in upper case');
      check.pattern('card_bin', event.cardBin, /^[0-9]{6,8}$/, 'must be 6 to 8 digits');
      check.done();
      return {
        ...base,
        kind: 'recharge',
        cardFingerprint: event.cardFingerprint ?? null,
        method: event.method,
        binCountry: event.binCountry ?? null,
        amountMinor: event.amountMinor,
        currency: event.currency,
        coins: event.coins,
      };
    }
    case 'gift': {
      check.identifier('creator_id', event.creatorId, true);
      check.amount('coins', event.coins);
      if (event.senderCreatedAt !== undefined) check.date('sender_created_at', event.senderCreatedAt);
      check.done();
      return {
        ...base,
        kind: 'gift',
        coins: event.coins,
        creatorId: event.creatorId,
        senderYoung: isYoungSender(event.senderCreatedAt, event.occurredAt),
      };
    }
    case 'security_change': {
      check.oneOf('change', event.change, SECURITY_CHANGES);
      check.done();
      return { ...base, kind: 'security_change', detail: event.change };
    }
  }
}

export const EVENT_COLUMNS =
  'kind, ref, occurred_at, user_id, card_fingerprint, device_id, ip, method, bin_country, amount_minor, currency, coins, creator_id, sender_young, detail';
export const SELECT_EVENT_COLUMNS = `id, ${EVENT_COLUMNS}`;

export function insertEventSql(): string {
  return `INSERT INTO risk_events (${EVENT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
          ON CONFLICT (kind, ref) DO NOTHING RETURNING id`;
}

export function insertEventParams(e: StoredEvent): unknown[] {
  return [
    e.kind,
    e.ref,
    e.occurredAt,
    e.userId,
    e.cardFingerprint,
    e.deviceId,
    e.ip,
    e.method,
    e.binCountry,
    e.amountMinor?.toString() ?? null,
    e.currency,
    e.coins?.toString() ?? null,
    e.creatorId,
    e.senderYoung,
    e.detail,
  ];
}

export interface EventRow {
  id: string;
  kind: StoredEventKind;
  ref: string;
  occurred_at: Date;
  user_id: string;
  card_fingerprint: string | null;
  device_id: string | null;
  ip: string | null;
  method: string | null;
  bin_country: string | null;
  amount_minor: string | null;
  currency: string | null;
  coins: string | null;
  creator_id: string | null;
  sender_young: boolean | null;
  detail: string | null;
}

export function fromRow(row: EventRow): StoredEvent {
  return {
    kind: row.kind,
    ref: row.ref,
    occurredAt: new Date(row.occurred_at),
    userId: row.user_id,
    cardFingerprint: row.card_fingerprint,
    deviceId: row.device_id,
    ip: row.ip,
    method: row.method,
    binCountry: row.bin_country,
    amountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor),
    currency: row.currency,
    coins: row.coins === null ? null : BigInt(row.coins),
    creatorId: row.creator_id,
    senderYoung: row.sender_young,
    detail: row.detail,
  };
}
