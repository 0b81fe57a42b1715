import type { SeededRandom } from '@coinops/payments';
import { BRANDS, COUNTRIES, ipFor, METHOD_WEIGHTS, pareto, viaStripe, weighted } from './catalog';
import { DAY_MS, type Card, type Method, type PlannedEvent, type SimCreator, type SimUser } from './model';

export function newCard(random: SeededRandom, country: string): Card {
  return {
    fingerprint: random.id('fp', 16).slice(3),
    brand: random.pick(BRANDS),
    country,
    last4: String(random.int(0, 9999)).padStart(4, '0'),
  };
}

/** A legitimate user: home country, one device, a usual payment method, heavy-tailed appetite. */
export function newUser(random: SeededRandom, id: string, createdAtMs: number, overrides: Partial<SimUser> = {}): SimUser {
  const country = weighted(random, COUNTRIES, (c) => c.weight);
  const method: Method = weighted(random, METHOD_WEIGHTS, ([, w]) => w)[0];
  // Most cards are issued at home; a few (expats, travellers) abroad.
  const cardCountry = random.chance(0.93) ? country.code : weighted(random, COUNTRIES, (c) => c.weight).code;
  return {
    id,
    country: country.code,
    email: `${id.replace(/[^A-Za-z0-9]/g, '')}@example.com`,
    birthYear: 2007 - Math.floor(random.next() ** 2 * 45),
    deviceId: random.id('dev', 16),
    ip: ipFor(random, country.code),
    method,
    card: viaStripe(method) ? newCard(random, cardCountry) : null,
    activity: Math.min(pareto(random, 1.6), 40),
    createdAtMs,
    ...overrides,
  };
}

export function newCreator(random: SeededRandom, id: string, popularity: number): SimCreator {
  const country = weighted(random, COUNTRIES, (c) => c.weight);
  return {
    id,
    userId: `${id}_u`,
    country: country.code,
    payoutCurrency: country.currency,
    popularity,
    payoutAccount: random.id('acct', 16),
    initialKyc: random.chance(0.8) ? 'verified' : 'pending',
  };
}

/** The population at the start: accounts created up to a year before it, creators by Pareto popularity. */
export function population(random: SeededRandom, prefix: string, users: number, creators: number): { users: SimUser[]; creators: SimCreator[] } {
  const people = Array.from({ length: users }, (_, i) => newUser(random, `${prefix}u${i}`, -random.int(1, 365) * DAY_MS));
  const stars = Array.from({ length: creators }, (_, i) => newCreator(random, `${prefix}c${i}`, pareto(random, 1.1)));
  return { users: people, creators: stars };
}

export function userCreatedEvent(user: SimUser): PlannedEvent {
  return {
    id: `evt_${user.id}_created`,
    type: 'user.created',
    data: { user_id: user.id, country: user.country, email: user.email, birth_year: user.birthYear, device_id: user.deviceId, ip: user.ip },
  };
}

export function creatorCreatedEvent(creator: SimCreator, kycStatus: 'verified' | 'pending' | 'rejected' = 'verified', type = 'creator.created'): PlannedEvent {
  return {
    id: `evt_${creator.id}_${type === 'creator.created' ? 'created' : `kyc_${kycStatus}`}`,
    type,
    data: {
      creator_id: creator.id, user_id: creator.userId, country: creator.country, payout_currency: creator.payoutCurrency, kyc_status: kycStatus,
      ...(kycStatus === 'verified' ? { tax_form: creator.country === 'US' ? 'W-9' : 'W-8BEN' } : {}),
    },
  };
}
