import { BIG_OFFERS, FOREIGN_ISSUERS, ipFor, OFFERS, SMALLEST_OFFER, viaStripe, weighted } from './catalog';
import type { PlanBuilder } from './builder';
import { DAY_MS, HOUR_MS, MINUTE_MS, type FraudLabel, type FraudPattern, type SimCreator, type SimUser } from './model';
import { creatorCreatedEvent, newCard, newCreator, newUser, userCreatedEvent } from './population';

export interface PatternContext {
  builder: PlanBuilder;
  users: SimUser[];
  creators: SimCreator[];
}

type PatternFn = (context: PatternContext, atMs: number, instanceId: string) => FraudLabel | null;

type Parts = { [K in 'user_ids' | 'card_fingerprints' | 'device_ids' | 'recharge_refs' | 'gift_ids' | 'creator_ids']?: Array<string | null | undefined> };

function label(pattern: FraudPattern, instanceId: string, atMs: number, parts: Parts): FraudLabel {
  const unique = (values: Array<string | null | undefined> = []) => [...new Set(values.filter((v): v is string => !!v))];
  return {
    pattern,
    instance_id: instanceId,
    user_ids: unique(parts.user_ids),
    card_fingerprints: unique(parts.card_fingerprints),
    device_ids: unique(parts.device_ids),
    recharge_refs: unique(parts.recharge_refs),
    gift_ids: unique(parts.gift_ids),
    creator_ids: unique(parts.creator_ids),
    started_at_ms: atMs,
  };
}

/** A fresh account that exists from `createdAtMs` (its user.created is part of the plan). */
function freshAccount(context: PatternContext, createdAtMs: number, overrides: Partial<SimUser> = {}): SimUser {
  const { builder } = context;
  const user = newUser(builder.random, builder.nextId('fu'), createdAtMs, { activity: 1, ...overrides });
  builder.event(createdAtMs, userCreatedEvent(user));
  return user;
}

function foreignCard(context: PatternContext) {
  return newCard(context.builder.random, context.builder.random.pick(FOREIGN_ISSUERS));
}

/** An established user who pays through Stripe (a card or a wallet on a card), or null if none. */
function cardHolder(context: PatternContext): SimUser | null {
  const candidates = context.users.filter((u) => u.card && viaStripe(u.method) && u.createdAtMs < 0);
  return candidates.length ? context.builder.random.pick(candidates) : null;
}

/** Card testing: a new account on one device runs many small charges over one or several cards within the hour. */
const cardTesting: PatternFn = (context, atMs, instanceId) => {
  const { builder } = context;
  const { random } = builder;
  const fraudster = freshAccount(context, atMs - random.int(5, 60) * MINUTE_MS, { method: 'card' });
  // Testers try a batch of card numbers, a few charges each; some stick to one card they are unsure of.
  const cards = Array.from({ length: random.chance(0.3) ? 1 : random.int(2, 8) }, () => foreignCard(context));
  const refs: Array<string | null> = [];
  let t = atMs;
  const charges = random.int(6, 15);
  for (let i = 0; i < charges; i++) {
    t += random.int(1, 4) * MINUTE_MS;
    refs.push(builder.recharge(t, fraudster, SMALLEST_OFFER, { card: cards[i % cards.length], method: 'card' }));
  }
  return label('card_testing', instanceId, atMs, { user_ids: [fraudster.id], card_fingerprints: cards.map((c) => c.fingerprint), device_ids: [fraudster.deviceId], recharge_refs: refs });
};

/**
 * Stolen cards feeding a ring: young mule accounts charge big amounts on stolen cards within minutes,
 * gift nearly all of it to a colluding creator, who asks for a payout; issuers warn and cardholders
 * dispute days later.
 */
const stolenCardRing: PatternFn = (context, atMs, instanceId) => {
  const { builder } = context;
  const { random } = builder;
  const colluder = newCreator(random, builder.nextId('fc'), 0.5);
  builder.event(atMs - random.int(1, 3) * DAY_MS, creatorCreatedEvent(colluder));
  const cards = Array.from({ length: random.int(2, 4) }, () => foreignCard(context));
  const sharedIp = ipFor(random, 'NG');
  const mules = Array.from({ length: random.int(3, 5) }, () =>
    freshAccount(context, atMs - random.int(30, 360) * MINUTE_MS, { method: 'card', ...(random.chance(0.5) ? { ip: sharedIp } : {}) }),
  );
  const refs: string[] = [];
  const gifts: Array<string | null> = [];
  mules.forEach((mule, m) => {
    let t = atMs + random.int(0, 120) * MINUTE_MS;
    const charges = random.int(2, 4);
    for (let i = 0; i < charges; i++) {
      t += random.int(1, 4) * MINUTE_MS;
      const ref = builder.recharge(t, mule, random.pick([...BIG_OFFERS, OFFERS[3]]), { card: cards[(m + i) % cards.length], method: 'card' });
      if (ref) refs.push(ref);
    }
    const chunks = random.int(1, 3);
    for (let i = 0; i < chunks; i++) {
      t += random.int(1, 5) * MINUTE_MS;
      gifts.push(builder.giftExactly(t, mule, colluder, Math.floor((builder.balance(mule.id) * (i === chunks - 1 ? 0.95 : 0.5))), 'lion'));
    }
  });
  for (const ref of refs) {
    if (random.chance(0.5)) builder.earlyFraudWarning(atMs + random.int(12, 48) * HOUR_MS, ref);
    if (random.chance(0.7)) builder.dispute(atMs + random.int(24, 96) * HOUR_MS, ref, 'fraudulent');
  }
  builder.payoutRequest(atMs + random.int(6, 30) * HOUR_MS, colluder, Math.floor(builder.creatorDiamonds(colluder.id) * 0.9));
  return label('stolen_card_ring', instanceId, atMs, {
    user_ids: mules.map((m) => m.id), card_fingerprints: cards.map((c) => c.fingerprint), device_ids: mules.map((m) => m.deviceId),
    recharge_refs: refs, gift_ids: gifts, creator_ids: [colluder.id],
  });
};

/** Friendly fraud: an ordinary customer buys and gifts as usual, then disputes the charges days later. */
const friendlyFraud: PatternFn = (context, atMs, instanceId) => {
  const { builder } = context;
  const { random } = builder;
  const user = cardHolder(context);
  if (!user) return null;
  const refs: string[] = [];
  const gifts: Array<string | null> = [];
  const creators = new Set<string>();
  let t = atMs;
  const charges = random.int(1, 3);
  for (let i = 0; i < charges; i++) {
    t += random.int(5, 90) * MINUTE_MS;
    const ref = builder.recharge(t, user, random.pick([OFFERS[2], OFFERS[3], OFFERS[4]]));
    if (!ref) continue;
    refs.push(ref);
    const creator = weighted(random, context.creators, (c) => c.popularity);
    creators.add(creator.id);
    gifts.push(builder.gift(t + random.int(2, 30) * MINUTE_MS, user, creator, builder.balance(user.id)));
  }
  for (const ref of refs) builder.dispute(atMs + random.int(24, 72) * HOUR_MS, ref, random.pick(['product_not_received', 'fraudulent', 'unrecognized']));
  return label('friendly_fraud', instanceId, atMs, { user_ids: [user.id], card_fingerprints: [user.card?.fingerprint], device_ids: [user.deviceId], recharge_refs: refs, gift_ids: gifts, creator_ids: [...creators] });
};

/** Refund abuse: recharge, gift it away at once, then ask support for the money back; again and again. */
const refundAbuse: PatternFn = (context, atMs, instanceId) => {
  const { builder } = context;
  const { random } = builder;
  const user = cardHolder(context);
  if (!user) return null;
  const refs: string[] = [];
  const gifts: Array<string | null> = [];
  const creators = new Set<string>();
  let t = atMs;
  const rounds = random.int(2, 4);
  for (let i = 0; i < rounds; i++) {
    t += random.int(30, 300) * MINUTE_MS;
    const ref = builder.recharge(t, user, random.pick([OFFERS[1], OFFERS[2], OFFERS[3]]));
    if (!ref) continue;
    refs.push(ref);
    const creator = weighted(random, context.creators, (c) => c.popularity);
    creators.add(creator.id);
    gifts.push(builder.giftExactly(t + random.int(2, 20) * MINUTE_MS, user, creator, Math.floor(builder.balance(user.id) * 0.9), 'galaxy'));
    // Support believes the story half the time and asks an approver to refund the spent coins anyway.
    builder.refundRequest(t + random.int(2, 24) * HOUR_MS, ref, 'Customer says the coins never arrived and asks for the money back', random.chance(0.5));
  }
  return label('refund_abuse', instanceId, atMs, { user_ids: [user.id], card_fingerprints: [user.card?.fingerprint], device_ids: [user.deviceId], recharge_refs: refs, gift_ids: gifts, creator_ids: [...creators] });
};

/**
 * Account takeover: a new device appears on an established account, the password and email change,
 * the saved card is charged from the new device and everything is gifted to the attacker's creator;
 * the owner disputes the charges days later.
 */
const accountTakeover: PatternFn = (context, atMs, instanceId) => {
  const { builder } = context;
  const { random } = builder;
  const victim = cardHolder(context);
  if (!victim) return null;
  const attacker = newCreator(random, builder.nextId('fc'), 0.3);
  builder.event(atMs - random.int(1, 10) * DAY_MS, creatorCreatedEvent(attacker));
  const deviceId = random.id('dev', 16);
  const ip = ipFor(random, random.pick(FOREIGN_ISSUERS));
  let t = atMs;
  builder.event(t, { id: `evt_${builder.nextId('sec')}`, type: 'account.security_changed', data: { user_id: victim.id, change: 'device', device_id: deviceId, ip } });
  for (const change of ['password', 'email'] as const) {
    t += random.int(2, 10) * MINUTE_MS;
    builder.event(t, { id: `evt_${builder.nextId('sec')}`, type: 'account.security_changed', data: { user_id: victim.id, change, device_id: deviceId, ip } });
  }
  const refs: string[] = [];
  const charges = random.int(1, 3);
  for (let i = 0; i < charges; i++) {
    t += random.int(3, 15) * MINUTE_MS;
    const ref = builder.recharge(t, victim, random.pick([OFFERS[2], OFFERS[3], OFFERS[4]]), { deviceId, ip });
    if (ref) refs.push(ref);
  }
  const gifts: Array<string | null> = [];
  const chunks = random.int(2, 4);
  for (let i = 0; i < chunks; i++) {
    t += random.int(1, 4) * MINUTE_MS;
    const left = builder.balance(victim.id);
    gifts.push(builder.giftExactly(t, victim, attacker, i === chunks - 1 ? left : Math.floor(left / 2), 'lion'));
  }
  for (const ref of refs) builder.dispute(atMs + random.int(24, 72) * HOUR_MS, ref, 'fraudulent');
  return label('account_takeover', instanceId, atMs, {
    user_ids: [victim.id], card_fingerprints: [victim.card?.fingerprint], device_ids: [deviceId], recharge_refs: refs, gift_ids: gifts, creator_ids: [attacker.id],
  });
};

export const PATTERNS: Record<FraudPattern, PatternFn> = {
  card_testing: cardTesting,
  stolen_card_ring: stolenCardRing,
  friendly_fraud: friendlyFraud,
  refund_abuse: refundAbuse,
  account_takeover: accountTakeover,
};
