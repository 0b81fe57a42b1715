import { COUNTRIES, OFFERS, timeInDay, weighted } from './catalog';
import type { PlanBuilder } from './builder';
import { MINUTE_MS, type SimCreator, type SimUser } from './model';

export interface LiveSession {
  id: string;
  creator: SimCreator;
  startMs: number;
  endMs: number;
}

/** The day's live streams: popular creators go live more often, mostly in their local evening. */
export function liveSessions(builder: PlanBuilder, creators: SimCreator[], dayStartMs: number): LiveSession[] {
  const sessions: LiveSession[] = [];
  for (const creator of creators) {
    const offset = COUNTRIES.find((c) => c.code === creator.country)?.utcOffset ?? 0;
    const count = builder.random.chance(Math.min(0.95, 0.3 + 0.05 * creator.popularity)) ? (creator.popularity > 5 ? 2 : 1) : 0;
    for (let i = 0; i < count; i++) {
      const startMs = timeInDay(builder.random, dayStartMs, offset);
      sessions.push({ id: builder.nextId('ls'), creator, startMs, endMs: startMs + builder.random.int(30, 150) * MINUTE_MS });
    }
  }
  return sessions;
}

/**
 * One day of a legitimate user: maybe idle; else watches one or more streams (picked by the creator's
 * popularity), buys coins a few minutes before gifting when short, and gifts through the stream.
 */
export function legitDay(builder: PlanBuilder, user: SimUser, sessions: LiveSession[], dayStartMs: number): void {
  const { random } = builder;
  if (!sessions.length || !random.chance(Math.min(0.85, 0.2 * Math.sqrt(user.activity)))) return;
  const watched = 1 + (user.activity > 4 ? random.int(0, 2) : 0);
  for (let s = 0; s < watched; s++) {
    const session = weighted(random, sessions, (x) => x.creator.popularity);
    const startMs = Math.max(session.startMs, user.createdAtMs + MINUTE_MS, dayStartMs);
    if (startMs >= session.endMs) continue;
    const wantCoins = Math.round(random.int(20, 400) * user.activity);
    if (builder.balance(user.id) < wantCoins) {
      // Whales reach for the bigger offers.
      const offer = weighted(random, OFFERS, (o) => o.weight * (o.coins <= 350 ? 1 : Math.min(user.activity, 20) / 2));
      const rechargedAtMs = startMs - random.int(1, 15) * MINUTE_MS;
      const ref = builder.recharge(rechargedAtMs, user, offer);
      // Now and then a buyer picked the wrong package and asks for the money back at once (an ordinary refund).
      if (ref && random.chance(0.02)) builder.refundRequest(rechargedAtMs + random.int(2, 10) * MINUTE_MS, ref, 'Bought the wrong package by mistake');
    }
    const gifts = random.int(1, 6);
    for (let g = 0; g < gifts; g++) {
      const atMs = startMs + Math.floor(random.next() * (session.endMs - startMs));
      builder.gift(atMs, user, session.creator, Math.ceil(wantCoins / gifts), session.id);
    }
  }
}

/** Creators with enough diamonds ask for a payout once a day, late in the day. */
export function payoutRequests(builder: PlanBuilder, creators: SimCreator[], dayStartMs: number): void {
  for (const creator of creators) {
    const diamonds = builder.creatorDiamonds(creator.id);
    if (diamonds >= 5_000 && builder.random.chance(0.5)) {
      builder.payoutRequest(dayStartMs + builder.random.int(20, 23) * 3_600_000, creator, Math.floor(diamonds * 0.8));
    }
  }
}
