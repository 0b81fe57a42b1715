/**
 * The simulator's plan: everything that will happen, as data, before anything is sent. A plan is a pure
 * function of the seed, the options and the start time, so a seed replays the same economy (ids,
 * amounts, times relative to the start).
 */

export const FRAUD_PATTERNS = ['card_testing', 'stolen_card_ring', 'friendly_fraud', 'refund_abuse', 'account_takeover'] as const;
export type FraudPattern = (typeof FRAUD_PATTERNS)[number];

export type Method = 'card' | 'apple_pay' | 'google_pay' | 'paypal' | 'app_store' | 'play_store';

export interface Card {
  fingerprint: string;
  brand: string;
  /** The issuer's country (BIN country). */
  country: string;
  last4: string;
}

export interface SimUser {
  id: string;
  country: string;
  email: string;
  birthYear: number;
  deviceId: string;
  ip: string;
  /** How the user usually pays. */
  method: Method;
  /** For card and wallet payers. */
  card: Card | null;
  /** Relative appetite for recharging and gifting (heavy-tailed too: a few whales). */
  activity: number;
  /** When the account was created, ms relative to the simulation start (negative: before it). */
  createdAtMs: number;
}

export interface SimCreator {
  id: string;
  userId: string;
  country: string;
  payoutCurrency: string;
  /** Share of the audience's attention (Pareto): a few creators take most of the gifts. */
  popularity: number;
  /** Connected account for payouts (`acct_...`). */
  payoutAccount: string;
  /** KYC when the creator signs up; `pending` ones are verified (or rejected) during the span. */
  initialKyc: 'verified' | 'pending';
}

export interface PlannedEvent {
  /** Platform event id (`Coinops-Signature`-signed POST /api/events). */
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export interface PlannedCharge {
  /** The plan's own reference for the charge; the Stripe id is known only once it is made. */
  ref: string;
  userId: string;
  coins: number;
  amountMinor: number;
  currency: string;
  packageId: string | null;
  deviceId: string;
  ip: string;
  card: Card;
  wallet: 'apple_pay' | 'google_pay' | null;
}

export type Action =
  | { atMs: number; kind: 'event'; event: PlannedEvent }
  | { atMs: number; kind: 'charge'; charge: PlannedCharge }
  | { atMs: number; kind: 'dispute'; chargeRef: string; reason: string }
  | { atMs: number; kind: 'early_fraud_warning'; chargeRef: string }
  /** A user asks support to refund a recharge (refund abuse): `POST /api/refunds` when that route exists. */
  | { atMs: number; kind: 'refund_request'; rechargeRef: string; reason: string; overrideSpentCoins: boolean };

/** One injected fraud instance: what a backtest needs to know was fraud. */
export interface FraudLabel {
  pattern: FraudPattern;
  instance_id: string;
  user_ids: string[];
  card_fingerprints: string[];
  device_ids: string[];
  /** Plan references of the fraudulent recharges (charge refs for cards, recharge ids otherwise). */
  recharge_refs: string[];
  gift_ids: string[];
  creator_ids: string[];
  /** When the instance starts, ms relative to the simulation start. */
  started_at_ms: number;
}

export interface Plan {
  seed: string;
  /** Unix ms that `atMs` counts from. */
  startMs: number;
  durationMs: number;
  users: SimUser[];
  creators: SimCreator[];
  actions: Action[];
  labels: FraudLabel[];
}

/** Instances per 1,000 users per simulated day, per pattern. */
export type FraudRates = Record<FraudPattern, number>;

export const DEFAULT_FRAUD_RATES: FraudRates = {
  card_testing: 2,
  stolen_card_ring: 1,
  friendly_fraud: 3,
  refund_abuse: 2,
  account_takeover: 2,
};

export interface PlanOptions {
  seed: string;
  /** The population (users, creators, their devices and cards); the seed by default. */
  populationSeed: string;
  /** Prefix of the population's ids, so runs with other seeds never collide in one database. */
  idPrefix: string;
  /** Prefix of the ids the activity makes (gifts, recharges, fraud accounts); idPrefix by default. */
  activityPrefix: string;
  startMs: number;
  days: number;
  users: number;
  creators: number;
  fraudRates: FraudRates;
  /** false when the population's profiles were sent by an earlier plan (the live trickle). */
  createProfiles: boolean;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const MINUTE_MS = 60_000;
