import type { FeatureValue } from '../types';

/**
 * Every variable a rule can read, by namespace (`card.count_10m`). The one description of the
 * feature set: the CEL environment is declared from it, snapshots are encoded and decoded with it,
 * and docs/risk.md lists it.
 */

/** Sliding windows: an event is inside the window of length w ending at t when t - w < its time <= t. */
export const WINDOWS = [
  { name: '1m', ms: 60_000 },
  { name: '10m', ms: 10 * 60_000 },
  { name: '1h', ms: 3_600_000 },
  { name: '24h', ms: 24 * 3_600_000 },
  { name: '7d', ms: 7 * 24 * 3_600_000 },
  { name: '30d', ms: 30 * 24 * 3_600_000 },
] as const;
export type WindowName = (typeof WINDOWS)[number]['name'];

export const DAY_MS = 24 * 3_600_000;
/** Velocity history kept in Redis and reloaded on rebuild. */
export const VELOCITY_RETENTION_MS = 30 * DAY_MS;
/** Chargebacks and fraud refunds arrive weeks after the charge: they are remembered for a year. */
export const FRAUD_RETENTION_MS = 365 * DAY_MS;
/** Distinct counts (cards per user, users per card ...) are over this window. */
export const DISTINCT_WINDOW_MS = 24 * 3_600_000;
/** A gift sender younger than this is a "young" account. */
export const YOUNG_ACCOUNT_MS = 7 * DAY_MS;

export type FieldType = 'int' | 'bool' | 'string' | 'list<string>';
export type Namespace = Record<string, FieldType>;

function windowed(prefixes: string[]): Namespace {
  const fields: Namespace = {};
  for (const prefix of prefixes) for (const w of WINDOWS) fields[`${prefix}_${w.name}`] = 'int';
  return fields;
}

export const CATALOG = {
  event: {
    kind: 'string',
    ref: 'string',
    amount_minor: 'int',
    currency: 'string',
    coins: 'int',
    method: 'string',
    card_brand: 'string',
    card_bin: 'string',
    bin_country: 'string',
    ip_country: 'string',
    wallet: 'string',
    has_card: 'bool',
    has_device: 'bool',
    has_ip: 'bool',
  },
  user: {
    ...windowed(['count', 'coins', 'gift_count', 'gift_coins']),
    distinct_cards_24h: 'int',
    distinct_devices_24h: 'int',
    security_changes_1h: 'int',
    security_changes_24h: 'int',
    chargebacks: 'int',
    fraud_refunds: 'int',
    account_takeovers: 'int',
    is_first_recharge: 'bool',
    account_age_hours: 'int',
    age_years: 'int',
    has_birth_year: 'bool',
    country: 'string',
    email_domain: 'string',
    frozen: 'bool',
    saturated: 'bool',
  },
  card: {
    ...windowed(['count', 'coins']),
    distinct_users_24h: 'int',
    distinct_devices_24h: 'int',
    chargebacks: 'int',
    fraud_refunds: 'int',
    saturated: 'bool',
  },
  device: {
    ...windowed(['count', 'coins']),
    distinct_users_24h: 'int',
    distinct_cards_24h: 'int',
    chargebacks: 'int',
    fraud_refunds: 'int',
    saturated: 'bool',
  },
  ip: {
    ...windowed(['count', 'coins']),
    distinct_users_24h: 'int',
    distinct_cards_24h: 'int',
    saturated: 'bool',
  },
  method: { ...windowed(['count', 'coins']), saturated: 'bool' },
  bin: { ...windowed(['count', 'coins']), saturated: 'bool' },
  creator: {
    ...windowed(['gift_count', 'gift_coins']),
    distinct_payers_24h: 'int',
    young_payer_coins_24h: 'int',
    young_payer_share_pct_24h: 'int',
    saturated: 'bool',
  },
  mismatch: {
    bin_account: 'bool',
    ip_account: 'bool',
    ip_bin: 'bool',
  },
  lists: {
    blocked: 'bool',
    allowed: 'bool',
    block_hits: 'list<string>',
    allow_hits: 'list<string>',
  },
} as const satisfies Record<string, Namespace>;

export type NamespaceName = keyof typeof CATALOG;
export const NAMESPACES = Object.keys(CATALOG) as NamespaceName[];

type ValueOf<T> = T extends 'int' ? bigint : T extends 'bool' ? boolean : T extends 'string' ? string : string[];
/** The values handed to CEL: ints are BigInt, so CEL's 64-bit `int` arithmetic is exact. */
export type FeatureContext = { -readonly [N in NamespaceName]: { -readonly [F in keyof (typeof CATALOG)[N]]: ValueOf<(typeof CATALOG)[N][F]> } };

const ZERO: Record<FieldType, bigint | boolean | string | null> = { int: 0n, bool: false, string: '', 'list<string>': null };

/** Per namespace, its fields with their zero values: built once, copied per evaluation. */
const TEMPLATE = NAMESPACES.map((ns) => [ns, Object.entries(CATALOG[ns]).map(([field, type]) => [field, ZERO[type as FieldType]] as const)] as const);

/** A context with every field at its zero value, to be filled in (lists get fresh arrays). */
export function emptyContext(): FeatureContext {
  const context: Record<string, Record<string, unknown>> = {};
  for (const [ns, fields] of TEMPLATE) {
    const values: Record<string, unknown> = {};
    for (const [field, zero] of fields) values[field] = zero === null ? [] : zero;
    context[ns] = values;
  }
  return context as FeatureContext;
}

/** JSON-safe form of one value (BigInt becomes a decimal string). */
export function encodeValue(value: unknown): FeatureValue {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}

export type FeatureSnapshot = Record<string, Record<string, FeatureValue>>;

export function encodeContext(context: FeatureContext): FeatureSnapshot {
  const snapshot: FeatureSnapshot = {};
  for (const ns of NAMESPACES) {
    const fields: Record<string, FeatureValue> = {};
    for (const [field, value] of Object.entries(context[ns])) fields[field] = encodeValue(value);
    snapshot[ns] = fields;
  }
  return snapshot;
}

/**
 * Rebuilds a context from a stored snapshot. A field the snapshot lacks (added to the catalog
 * after it was taken) gets its zero value, so old evaluations stay replayable.
 */
export function decodeContext(snapshot: FeatureSnapshot): FeatureContext {
  const context = emptyContext() as unknown as Record<string, Record<string, unknown>>;
  for (const ns of NAMESPACES) {
    const stored = snapshot[ns] ?? {};
    for (const [field, type] of Object.entries(CATALOG[ns])) {
      const value = stored[field];
      if (value === undefined) continue;
      if (type === 'int') context[ns][field] = BigInt(value as string);
      else if (type === 'list<string>') context[ns][field] = Array.isArray(value) ? value.map(String) : [];
      else if (type === 'bool') context[ns][field] = value === true;
      else context[ns][field] = String(value);
    }
  }
  return context as unknown as FeatureContext;
}

/** The value at `namespace.field`, or undefined for an unknown path. */
export function valueAt(context: FeatureContext, path: string): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return (context as unknown as Record<string, unknown>)[path];
  const ns = (context as unknown as Record<string, Record<string, unknown>>)[path.slice(0, dot)];
  return ns?.[path.slice(dot + 1)];
}
