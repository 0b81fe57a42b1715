import { ValidationFailed } from '@coinops/contracts';
import { CurrencyCode, isCurrency } from '../money/assets';
import { assertPositive } from '../money/amount';
import { convert, IntegerRatio, ratio, sourceFor } from '../money/ratio';

/**
 * Economy configuration: constants for now (no `economy_settings` table yet), passed to the Ledger.
 * Every conversion is an integer ratio and every rounding remainder is booked to a named account.
 */
export interface CoinPackage {
  readonly id: string;
  readonly coins: bigint;
  readonly priceMinor: bigint;
  readonly currency: CurrencyCode;
}

export interface EconomySettings {
  /** Diamonds a creator earns per gifted coin. */
  readonly diamondsPerCoin: IntegerRatio;
  /** Cash (minor units) paid per diamond, by payout currency. */
  readonly cashMinorPerDiamond: Readonly<Record<CurrencyCode, IntegerRatio>>;
  readonly coinPackages: readonly CoinPackage[];
}

/** The creator earns half a gift's value: 1 diamond per 2 coins; 1 diamond pays half a US cent. */
export const DEFAULT_ECONOMY: EconomySettings = Object.freeze({
  diamondsPerCoin: ratio(1n, 2n),
  cashMinorPerDiamond: Object.freeze({ USD: ratio(1n, 2n), EUR: ratio(1n, 2n) }),
  coinPackages: Object.freeze([
    { id: 'coins_70', coins: 70n, priceMinor: 99n, currency: 'USD' },
    { id: 'coins_350', coins: 350n, priceMinor: 499n, currency: 'USD' },
    { id: 'coins_1400', coins: 1400n, priceMinor: 1999n, currency: 'USD' },
  ]),
});

export interface GiftSplit {
  /** Whole diamonds credited to the creator. */
  readonly diamonds: bigint;
  /** Coins booked as spent against those diamonds. */
  readonly coinsForDiamonds: bigint;
  /** Coins whose value fell short of a whole diamond: booked to the rounding account. */
  readonly roundingCoins: bigint;
}

/**
 * Splits a gift: diamonds = floor(coins × rate); the coins that paid for them are the fewest whose value
 * reaches that many diamonds (exactly diamonds ÷ rate when the rate is 1/k); the rest are rounding.
 * `coinsForDiamonds + roundingCoins = coins`, always.
 */
export function splitGift(coins: bigint, diamondsPerCoin: IntegerRatio): GiftSplit {
  assertPositive(coins, 'coins');
  const diamonds = convert(coins, diamondsPerCoin).converted;
  const coinsForDiamonds = sourceFor(diamonds, diamondsPerCoin);
  return { diamonds, coinsForDiamonds, roundingCoins: coins - coinsForDiamonds };
}

export interface CashForDiamonds {
  readonly cashMinor: bigint;
  /** What rounding down left, in 1/denominator minor units: booked to a rounding account by the payout flow. */
  readonly remainderNumerator: bigint;
}

export function cashForDiamonds(diamonds: bigint, currency: CurrencyCode, economy: EconomySettings = DEFAULT_ECONOMY): CashForDiamonds {
  if (!isCurrency(currency)) throw ValidationFailed.field('currency', `${currency} is not an ISO 4217 currency`);
  const rate = economy.cashMinorPerDiamond[currency];
  if (!rate) throw ValidationFailed.field('currency', `no payout rate for ${currency}`);
  const { converted, remainderNumerator } = convert(diamonds, rate);
  return { cashMinor: converted, remainderNumerator };
}

export function coinPackage(packageId: string, economy: EconomySettings = DEFAULT_ECONOMY): CoinPackage {
  const found = economy.coinPackages.find((p) => p.id === packageId);
  if (!found) throw ValidationFailed.field('package_id', `unknown coin package ${packageId}`);
  return found;
}
