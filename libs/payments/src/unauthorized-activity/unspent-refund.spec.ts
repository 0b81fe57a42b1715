import fc from 'fast-check';
import { proportionalCoins } from '../refunds/refund-amounts';
import { cashForUnspentCoins } from './unspent-refund';

describe('the cash that refunds exactly the unspent coins', () => {
  it('refunds everything left when every remaining coin is unspent', () => {
    expect(cashForUnspentCoins(1400n, 1999n, 0n, 1400n)).toBe(1999n);
    expect(cashForUnspentCoins(1400n, 1999n, 999n, 5000n)).toBe(1000n);
  });

  it('refunds nothing when no coin is unspent', () => {
    expect(cashForUnspentCoins(1400n, 1999n, 0n, 0n)).toBe(0n);
  });

  it('is the largest amount whose coins, by the rounding-down rule, stay within the unspent coins', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 100_000n }),
        fc.bigInt({ min: 1n, max: 100_000n }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.bigInt({ min: 0n, max: 100_000n }),
        (coins, amount, beforeShare, unspentRaw) => {
          const before = (amount * BigInt(Math.floor(beforeShare * 1000))) / 1000n;
          const unspent = unspentRaw % (coins + 1n);
          const cash = cashForUnspentCoins(coins, amount, before, unspent);
          expect(cash).toBeGreaterThanOrEqual(0n);
          expect(cash).toBeLessThanOrEqual(amount - before);
          if (cash > 0n) expect(proportionalCoins(coins, amount, before, cash)).toBeLessThanOrEqual(unspent);
          if (cash > 0n && cash < amount - before) expect(proportionalCoins(coins, amount, before, cash + 1n)).toBeGreaterThan(unspent);
        },
      ),
      { numRuns: 500 },
    );
  });
});
