/**
 * The risk engine's public types. TypeScript names are camelCase; the CEL variables rules are
 * written against are snake_case (they are what operators type, like every field on the wire).
 */

export const RISK_ACTIONS = ['allow', 'review', 'block'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];

export const RISK_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

export const PAYMENT_METHODS = ['card', 'paypal', 'google_pay', 'apple_pay', 'app_store', 'play_store'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Which evaluated events a rule applies to. */
export const RULE_EVENT_KINDS = ['recharge', 'gift', 'any'] as const;
export type RuleEventKind = (typeof RULE_EVENT_KINDS)[number];

export const LIST_NAMES = ['block', 'allow'] as const;
export type ListName = (typeof LIST_NAMES)[number];

/** What a list entry matches: `bin` is the card's first digits, `bin_country` the issuing country. */
export const LIST_KINDS = ['card', 'device', 'ip', 'user', 'bin', 'bin_country', 'email_domain'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const SECURITY_CHANGES = ['password', 'email', 'phone', 'device'] as const;
export type SecurityChange = (typeof SECURITY_CHANGES)[number];

/** Known outcomes of an evaluated event. The first four are fraud (backtest positives). */
export const FRAUD_OUTCOMES = ['chargeback', 'review_rejected', 'refund_fraud', 'account_takeover'] as const;
export const RISK_OUTCOMES = [...FRAUD_OUTCOMES, 'review_approved', 'account_takeover_refuted'] as const;
export type RiskOutcome = (typeof RISK_OUTCOMES)[number];

export type SubjectType = 'recharge' | 'gift';

/** Names the evaluated event a decision, alert or outcome is about. */
export interface SubjectRef {
  type: SubjectType;
  id: string;
}

/** A recharge (coin purchase), before or after the charge. `id` is its stable reference. */
export interface RechargeEvent {
  kind: 'recharge';
  id: string;
  userId: string;
  method: PaymentMethod;
  amountMinor: bigint;
  /** ISO 4217, upper case. */
  currency: string;
  coins: bigint;
  cardFingerprint?: string;
  cardBrand?: string;
  /** The card's first 6 to 8 digits, when the provider tells them. */
  cardBin?: string;
  /** ISO 3166-1 alpha-2 of the card's issuer. */
  binCountry?: string;
  /** apple_pay, google_pay ... when the card came through a wallet. */
  wallet?: string;
  deviceId?: string;
  ip?: string;
  /** ISO 3166-1 alpha-2 of the IP, when the caller knows it (geo-IP is not done here). */
  ipCountry?: string;
  occurredAt: Date;
}

/** Coins a user sends to a creator. */
export interface GiftEvent {
  kind: 'gift';
  id: string;
  /** The sender. */
  userId: string;
  creatorId: string;
  coins: bigint;
  deviceId?: string;
  ip?: string;
  /** The sender's account creation time: a gift from an account younger than 7 days is "young". */
  senderCreatedAt?: Date;
  occurredAt: Date;
}

/** `account.security_changed`: a password, email, phone or new device. */
export interface SecurityChangeEvent {
  kind: 'security_change';
  id: string;
  userId: string;
  change: SecurityChange;
  deviceId?: string;
  ip?: string;
  occurredAt: Date;
}

export type EvaluatedEvent = RechargeEvent | GiftEvent;
export type ObservableEvent = RechargeEvent | GiftEvent | SecurityChangeEvent;

/** What the caller knows about the user from its own tables. */
export interface SubjectFacts {
  /** ISO 3166-1 alpha-2 of the account. */
  country?: string;
  createdAt: Date;
  birthYear?: number;
  emailDomain?: string;
  frozen?: boolean;
}

/** A feature value as it appears in explanations and snapshots: integers as decimal strings. */
export type FeatureValue = string | boolean | string[];

export interface RiskReason {
  ruleId: string;
  ruleKey: string;
  ruleName: string;
  version: number;
  action: RiskAction;
  score: number;
  severity: RiskSeverity;
  description: string;
  /** Every variable the expression references, with the value that made it match. */
  values: Record<string, FeatureValue>;
}

export interface ListHit {
  list: ListName;
  kind: ListKind;
  value: string;
}

export interface RiskDecision {
  subject: SubjectRef;
  userId: string;
  decision: RiskAction;
  /** Sum of the matching rules' scores, at most 100. */
  score: number;
  /** Matching rules, most severe action first. */
  reasons: RiskReason[];
  /** Set when an allow-list entry or an allow rule turned `review` into `allow`. */
  allowedBy: { lists: ListHit[]; ruleKeys: string[] } | null;
  /** Rules that failed at run time (counted as not matching), e.g. an integer overflow. */
  ruleErrors: { ruleKey: string; version: number; message: string }[];
  evaluatedAt: Date;
  /** Present when the decision was recorded (asynchronous evaluation). */
  decisionId: string | null;
}

export interface RuleVersion {
  ruleId: string;
  key: string;
  version: number;
  name: string;
  eventKind: RuleEventKind;
  expression: string;
  action: RiskAction;
  score: number;
  severity: RiskSeverity;
  description: string;
  enabled: boolean;
  author: string;
  createdAt: Date;
}

export interface Rule extends RuleVersion {
  liveVersion: number;
  updatedAt: Date;
}

/** The editable content of a rule; every save becomes a new immutable version. */
export interface RuleDraft {
  name: string;
  eventKind?: RuleEventKind;
  expression: string;
  action: RiskAction;
  score: number;
  severity: RiskSeverity;
  description?: string;
  enabled?: boolean;
}

export interface ListEntry {
  id: string;
  list: ListName;
  kind: ListKind;
  value: string;
  reason: string;
  author: string;
  expiresAt: Date | null;
  createdAt: Date;
  removedAt: Date | null;
  removedBy: string | null;
  removalReason: string | null;
}

export interface NewListEntry {
  list: ListName;
  kind: ListKind;
  value: string;
  reason: string;
  /** Operator id (or `system`). */
  author: string;
  expiresAt?: Date | null;
}

export interface BacktestRequest {
  expression: string;
  eventKind?: SubjectType;
  from: Date;
  to: Date;
  /** At most this many stored evaluations are replayed (default and maximum 200,000). */
  maxEvaluations?: number;
}

export interface BacktestResult {
  evaluated: number;
  hits: number;
  /** hits / evaluated, 0 when nothing was evaluated. */
  hitRate: number;
  /** Evaluations with a known fraud outcome. */
  positives: number;
  truePositives: number;
  /** truePositives / hits; null when nothing hit. */
  precision: number | null;
  /** truePositives / positives; null when there is no known fraud in the range. */
  recall: number | null;
  /** Evaluations the expression could not run on (counted as misses). */
  errors: number;
  /** True when the range held more evaluations than were replayed. */
  truncated: boolean;
  /** Up to 50 subjects the expression hit, oldest first. */
  sampleHits: SubjectRef[];
}
