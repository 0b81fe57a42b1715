import { EvaluatedEvent, ListHit, ListKind, SubjectFacts } from '../types';
import { emptyContext, FeatureContext, WINDOWS } from './catalog';
import { ReadPlan, ScanLabel } from './read-plan';

const HOUR_MS = 3_600_000;
const WINDOW_COUNT = WINDOWS.length;
const INDEX_1H = WINDOWS.findIndex((w) => w.name === '1h');
const INDEX_24H = WINDOWS.findIndex((w) => w.name === '24h');

interface ScanResult {
  counts: bigint[];
  coins: bigint[];
  distinctA: bigint;
  distinctB: bigint;
  truncated: boolean;
}

const EMPTY_SCAN: ScanResult = {
  counts: WINDOWS.map(() => 0n),
  coins: WINDOWS.map(() => 0n),
  distinctA: 0n,
  distinctB: 0n,
  truncated: false,
};

function toBigInt(value: unknown): bigint {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string' && value !== '') return BigInt(value);
  return 0n;
}

function scanResult(reply: unknown[], plan: ReadPlan, label: ScanLabel): ScanResult {
  const index = plan.scans[label];
  if (index === undefined) return EMPTY_SCAN;
  const raw = reply[index + 1] as unknown[];
  return {
    counts: raw.slice(0, WINDOW_COUNT).map(toBigInt),
    coins: raw.slice(WINDOW_COUNT, 2 * WINDOW_COUNT).map(toBigInt),
    distinctA: toBigInt(raw[2 * WINDOW_COUNT]),
    distinctB: toBigInt(raw[2 * WINDOW_COUNT + 1]),
    truncated: raw[2 * WINDOW_COUNT + 2] === 1,
  };
}

/** The method (0) or BIN-country (1) windows the user's scan counted alongside. */
function userSubResult(reply: unknown[], plan: ReadPlan, which: 0 | 1, user: ScanResult): ScanResult {
  const index = plan.scans.user;
  const raw = index === undefined ? [] : (reply[index + 1] as unknown[]);
  const offset = 2 * WINDOW_COUNT + 3 + which * 2 * WINDOW_COUNT;
  if (raw.length < offset + 2 * WINDOW_COUNT) return EMPTY_SCAN;
  return {
    counts: raw.slice(offset, offset + WINDOW_COUNT).map(toBigInt),
    coins: raw.slice(offset + WINDOW_COUNT, offset + 2 * WINDOW_COUNT).map(toBigInt),
    distinctA: 0n,
    distinctB: 0n,
    truncated: user.truncated,
  };
}

function fillWindows(target: Record<string, unknown>, prefix: string, scan: ScanResult, sumPrefix: string): void {
  WINDOWS.forEach((w, i) => {
    target[`${prefix}_${w.name}`] = scan.counts[i];
    target[`${sumPrefix}_${w.name}`] = scan.coins[i];
  });
}

function differ(a: string | undefined, b: string | undefined): boolean {
  return Boolean(a && b && a.toUpperCase() !== b.toUpperCase());
}

/** The block and allow entries the read found for this event. */
export function listHits(reply: unknown[], plan: ReadPlan): ListHit[] {
  const hits: ListHit[] = [];
  for (const { list, index, lookups } of plan.lists) {
    const found = reply[index + 1] as unknown[];
    lookups.forEach(({ kind, value }, i) => {
      if (Number(found[i]) === 1) hits.push({ list, kind, value });
    });
  }
  return hits;
}

type Reply = { raw: unknown[]; plan: ReadPlan };

function fraudCounts({ raw, plan }: Reply, entity: 'u' | 'c' | 'd') {
  const index = plan.fraud[entity];
  const counts = index === undefined ? [] : (raw[index + 1] as unknown[]);
  return { chargebacks: toBigInt(counts[0]), fraudRefunds: toBigInt(counts[1]), accountTakeovers: toBigInt(counts[2]) };
}

function fillEvent(context: FeatureContext, event: EvaluatedEvent): void {
  const e = context.event;
  e.kind = event.kind;
  e.ref = event.id;
  e.coins = event.coins;
  e.has_device = Boolean(event.deviceId);
  e.has_ip = Boolean(event.ip);
  if (event.kind !== 'recharge') return;
  e.amount_minor = event.amountMinor;
  e.currency = event.currency;
  e.method = event.method;
  e.card_brand = event.cardBrand ?? '';
  e.card_bin = event.cardBin ?? '';
  e.bin_country = event.binCountry ?? '';
  e.ip_country = event.ipCountry ?? '';
  e.wallet = event.wallet ?? '';
  e.has_card = Boolean(event.cardFingerprint);
}

function fillUser(context: FeatureContext, reply: Reply, event: EvaluatedEvent, subject: SubjectFacts): ScanResult {
  const at = event.occurredAt.getTime();
  const userScan = scanResult(reply.raw, reply.plan, 'user');
  const userGifts = scanResult(reply.raw, reply.plan, 'userGifts');
  const security = scanResult(reply.raw, reply.plan, 'security');
  const fraud = fraudCounts(reply, 'u');
  const user = context.user;
  fillWindows(user as unknown as Record<string, unknown>, 'count', userScan, 'coins');
  fillWindows(user as unknown as Record<string, unknown>, 'gift_count', userGifts, 'gift_coins');
  user.distinct_cards_24h = userScan.distinctA;
  user.distinct_devices_24h = userScan.distinctB;
  user.security_changes_1h = security.counts[INDEX_1H];
  user.security_changes_24h = security.counts[INDEX_24H];
  user.chargebacks = fraud.chargebacks;
  user.fraud_refunds = fraud.fraudRefunds;
  user.account_takeovers = fraud.accountTakeovers;
  // No recharge before this event: none in the 30-day window, and the all-time first is not earlier.
  const firstRechargeMs = Number(reply.raw[reply.plan.firstRecharge + 1]);
  const earlierIn30d = userScan.counts[WINDOW_COUNT - 1] - (event.kind === 'recharge' ? 1n : 0n);
  user.is_first_recharge = !(earlierIn30d > 0n || (firstRechargeMs >= 0 && firstRechargeMs < at));
  user.account_age_hours = BigInt(Math.max(0, Math.floor((at - subject.createdAt.getTime()) / HOUR_MS)));
  if (subject.birthYear !== undefined && subject.birthYear !== null) {
    // The age the user reaches in the event's calendar year: under 18 by it means under 18 all year.
    user.age_years = BigInt(event.occurredAt.getUTCFullYear() - subject.birthYear);
    user.has_birth_year = true;
  }
  user.country = subject.country?.toUpperCase() ?? '';
  user.email_domain = subject.emailDomain?.toLowerCase() ?? '';
  user.frozen = subject.frozen === true;
  user.saturated = userScan.truncated || userGifts.truncated;
  return userScan;
}

function fillInstruments(context: FeatureContext, reply: Reply, userScan: ScanResult): void {
  const windows = (target: object, scan: ScanResult) => fillWindows(target as Record<string, unknown>, 'count', scan, 'coins');
  const card = scanResult(reply.raw, reply.plan, 'card');
  const cardFraud = fraudCounts(reply, 'c');
  windows(context.card, card);
  context.card.distinct_users_24h = card.distinctA;
  context.card.distinct_devices_24h = card.distinctB;
  context.card.chargebacks = cardFraud.chargebacks;
  context.card.fraud_refunds = cardFraud.fraudRefunds;
  context.card.saturated = card.truncated;

  const device = scanResult(reply.raw, reply.plan, 'device');
  const deviceFraud = fraudCounts(reply, 'd');
  windows(context.device, device);
  context.device.distinct_users_24h = device.distinctA;
  context.device.distinct_cards_24h = device.distinctB;
  context.device.chargebacks = deviceFraud.chargebacks;
  context.device.fraud_refunds = deviceFraud.fraudRefunds;
  context.device.saturated = device.truncated;

  const ip = scanResult(reply.raw, reply.plan, 'ip');
  windows(context.ip, ip);
  context.ip.distinct_users_24h = ip.distinctA;
  context.ip.distinct_cards_24h = ip.distinctB;
  context.ip.saturated = ip.truncated;

  const method = userSubResult(reply.raw, reply.plan, 0, userScan);
  windows(context.method, method);
  context.method.saturated = method.truncated;
  const bin = userSubResult(reply.raw, reply.plan, 1, userScan);
  windows(context.bin, bin);
  context.bin.saturated = bin.truncated;
}

function fillCreator(context: FeatureContext, reply: Reply): void {
  const gifts = scanResult(reply.raw, reply.plan, 'creatorGifts');
  const young = scanResult(reply.raw, reply.plan, 'creatorYoungGifts');
  const creator = context.creator;
  fillWindows(creator as unknown as Record<string, unknown>, 'gift_count', gifts, 'gift_coins');
  creator.distinct_payers_24h = gifts.distinctA;
  creator.young_payer_coins_24h = young.coins[INDEX_24H];
  const coins24h = gifts.coins[INDEX_24H];
  creator.young_payer_share_pct_24h = coins24h > 0n ? (young.coins[INDEX_24H] * 100n) / coins24h : 0n;
  creator.saturated = gifts.truncated || young.truncated;
}

function fillMismatchAndLists(context: FeatureContext, reply: Reply, event: EvaluatedEvent, subject: SubjectFacts): void {
  if (event.kind === 'recharge') {
    context.mismatch.bin_account = differ(event.binCountry, subject.country);
    context.mismatch.ip_account = differ(event.ipCountry, subject.country);
    context.mismatch.ip_bin = differ(event.ipCountry, event.binCountry);
  }
  const blockHits: ListKind[] = [];
  const allowHits: ListKind[] = [];
  for (const { list, kind } of listHits(reply.raw, reply.plan)) (list === 'block' ? blockHits : allowHits).push(kind);
  context.lists.block_hits = blockHits;
  context.lists.allow_hits = allowHits;
  context.lists.blocked = blockHits.length > 0;
  context.lists.allowed = allowHits.length > 0;
}

/**
 * Turns the read script's reply into the CEL context: counters from Redis, facts from the event
 * and from what the caller knows about the user. `reply[0]` is the epoch flag, so op i is reply[i+1].
 */
export function buildContext(raw: unknown[], plan: ReadPlan, event: EvaluatedEvent, subject: SubjectFacts): FeatureContext {
  const context = emptyContext();
  const reply: Reply = { raw, plan };
  fillEvent(context, event);
  const userScan = fillUser(context, reply, event, subject);
  fillInstruments(context, reply, userScan);
  fillCreator(context, reply);
  fillMismatchAndLists(context, reply, event, subject);
  return context;
}
