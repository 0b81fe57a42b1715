import fc from 'fast-check';
import { ratio } from '../money/ratio';
import { cashForDiamonds, coinPackage, DEFAULT_ECONOMY, splitGift } from './economy';

describe('economy conversions', () => {
  it('gives the creator half a gift’s value by default: 1 diamond per 2 coins', () => {
    expect(splitGift(10n, DEFAULT_ECONOMY.diamondsPerCoin)).toEqual({ diamonds: 5n, coinsForDiamonds: 10n, roundingCoins: 0n });
    expect(splitGift(7n, DEFAULT_ECONOMY.diamondsPerCoin)).toEqual({ diamonds: 3n, coinsForDiamonds: 6n, roundingCoins: 1n });
    expect(splitGift(1n, DEFAULT_ECONOMY.diamondsPerCoin)).toEqual({ diamonds: 0n, coinsForDiamonds: 0n, roundingCoins: 1n });
  });

  it('never creates or loses a coin when splitting a gift, at any rate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 100n }), fc.bigInt({ min: 1n, max: 100n }), (coins, n, d) => {
        const rate = ratio(n, d);
        const split = splitGift(coins, rate);
        expect(split.coinsForDiamonds + split.roundingCoins).toBe(coins);
        expect(split.roundingCoins >= 0n).toBe(true);
        // The creator gets the whole diamonds the gift is worth, rounded down, never more.
        expect(split.diamonds).toBe((coins * n) / d);
      }),
    );
  });

  it('pays cash per diamond in minor units, rounding down and reporting the remainder', () => {
    expect(cashForDiamonds(1001n, 'USD')).toEqual({ cashMinor: 500n, remainderNumerator: 1n });
    expect(() => cashForDiamonds(10n, 'JPY')).toThrow(/no payout rate/);
  });

  it('finds a coin package by id', () => {
    expect(coinPackage('coins_70')).toMatchObject({ coins: 70n, priceMinor: 99n, currency: 'USD' });
    expect(() => coinPackage('nope')).toThrow(/unknown coin package/);
  });
});
