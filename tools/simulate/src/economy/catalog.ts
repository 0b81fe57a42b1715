import type { SeededRandom } from '@coinops/payments';
import type { Method } from './model';

/**
 * Coin offers: the three packages the migrations seed (same ids and prices) and larger custom amounts
 * without a package id, at the same unit price (TikTok sells custom amounts the same way). `weight` is
 * how often a legitimate buyer picks it.
 */
export interface Offer {
  packageId: string | null;
  coins: number;
  /** Minor units, in USD and EUR alike (as the seeded prices are). */
  priceMinor: number;
  weight: number;
}

export const OFFERS: readonly Offer[] = [
  { packageId: 'coins_70', coins: 70, priceMinor: 99, weight: 40 },
  { packageId: 'coins_350', coins: 350, priceMinor: 499, weight: 30 },
  { packageId: 'coins_1400', coins: 1400, priceMinor: 1999, weight: 20 },
  { packageId: null, coins: 3500, priceMinor: 4999, weight: 6 },
  { packageId: null, coins: 7000, priceMinor: 9999, weight: 3 },
  { packageId: null, coins: 17500, priceMinor: 24999, weight: 1 },
];

export const SMALLEST_OFFER = OFFERS[0];
export const BIG_OFFERS = OFFERS.filter((o) => o.coins >= 7000);

/** Countries with their share of users, currency, UTC offset (hours) and a documentation IP prefix. */
export const COUNTRIES = [
  { code: 'US', weight: 30, currency: 'USD', utcOffset: -5 },
  { code: 'BR', weight: 12, currency: 'USD', utcOffset: -3 },
  { code: 'MX', weight: 8, currency: 'USD', utcOffset: -6 },
  { code: 'GB', weight: 10, currency: 'USD', utcOffset: 0 },
  { code: 'DE', weight: 10, currency: 'EUR', utcOffset: 1 },
  { code: 'FR', weight: 10, currency: 'EUR', utcOffset: 1 },
  { code: 'IN', weight: 8, currency: 'USD', utcOffset: 5 },
  { code: 'ID', weight: 7, currency: 'USD', utcOffset: 7 },
  { code: 'JP', weight: 5, currency: 'USD', utcOffset: 9 },
] as const;
export type Country = (typeof COUNTRIES)[number];

/** Countries stolen cards come from (issuers far from the mule accounts). */
export const FOREIGN_ISSUERS = ['NG', 'RU', 'VN', 'PH', 'UA', 'RO'] as const;

export const BRANDS = ['visa', 'visa', 'mastercard', 'mastercard', 'amex'] as const;

export const GIFT_TYPES = [
  { name: 'rose', coins: 1 }, { name: 'finger_heart', coins: 5 }, { name: 'doughnut', coins: 30 }, { name: 'hat', coins: 99 },
  { name: 'corgi', coins: 299 }, { name: 'galaxy', coins: 1000 }, { name: 'lion', coins: 29999 },
] as const;

/** How users pay, by platform: iOS buys through the App Store or Apple Pay, Android likewise, the web by card or PayPal. */
export const METHOD_WEIGHTS: ReadonlyArray<[Method, number]> = [
  ['card', 30], ['apple_pay', 10], ['google_pay', 10], ['paypal', 10], ['app_store', 22], ['play_store', 18],
];

/** Methods charged through Stripe (the simulator server); the rest arrive as `recharge.succeeded`. */
export function viaStripe(method: Method): boolean {
  return method === 'card' || method === 'apple_pay' || method === 'google_pay';
}

export function weighted<T>(random: SeededRandom, items: ReadonlyArray<T>, weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let draw = random.next() * total;
  for (const item of items) {
    draw -= weight(item);
    if (draw < 0) return item;
  }
  return items[items.length - 1];
}

/**
 * The daily cycle: how busy a local hour is (late evening peak, quiet night), 0.1-1. Live streams
 * and the gifts in them follow it.
 */
export function hourWeight(localHour: number): number {
  const h = ((localHour % 24) + 24) % 24;
  const fromPeak = ((h - 21 + 36) % 24) - 12;
  return 0.1 + 0.9 * Math.exp(-(fromPeak * fromPeak) / 18);
}

/** A local evening-weighted time within the day starting at `dayStartMs` (UTC midnight), in ms. */
export function timeInDay(random: SeededRandom, dayStartMs: number, utcOffsetHours: number): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const utcHour = random.next() * 24;
    if (random.next() < hourWeight(utcHour + utcOffsetHours)) return dayStartMs + Math.floor(utcHour * 3_600_000);
  }
  return dayStartMs + random.int(0, 86_399_999);
}

/** A Pareto draw (shape `alpha`, minimum 1): heavy-tailed popularity and appetite. */
export function pareto(random: SeededRandom, alpha: number): number {
  return 1 / (1 - random.next()) ** (1 / alpha);
}

/** An address from a country's own block of the 10.0.0.0/8 space: stable per country, never routable. */
export function ipFor(random: SeededRandom, country: string): string {
  const countryOctet = (country.charCodeAt(0) * 7 + country.charCodeAt(1)) % 250;
  return `10.${countryOctet}.${random.int(0, 255)}.${random.int(1, 254)}`;
}
