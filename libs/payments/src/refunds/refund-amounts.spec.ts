import { proportionalCoins } from './refund-amounts';

describe('proportional coins of a partial refund', () => {
  it('takes back every coin of a full refund', () => {
    expect(proportionalCoins(1400n, 1999n, 0n, 1999n)).toBe(1400n);
  });

  it('rounds each partial refund down and completes the fraction with the last one', () => {
    // 70 coins for 99 cents, refunded as 33 + 33 + 33 cents: 23 + 23 + 24 coins (23.33 each, exact total 70).
    const first = proportionalCoins(70n, 99n, 0n, 33n);
    const second = proportionalCoins(70n, 99n, 33n, 33n);
    const third = proportionalCoins(70n, 99n, 66n, 33n);
    expect([first, second, third]).toEqual([23n, 23n, 24n]);
    expect(first + second + third).toBe(70n);
  });

  it('never creates or loses a coin over any split of the amount', () => {
    for (const [coins, amount] of [[70n, 99n], [350n, 499n], [3n, 1000n], [1000n, 3n]] as const) {
      let before = 0n;
      let total = 0n;
      for (let step = 1n; before < amount; step = (step * 7n) % 13n + 1n) {
        const part = before + step > amount ? amount - before : step;
        total += proportionalCoins(coins, amount, before, part);
        before += part;
      }
      expect(total).toBe(coins);
    }
  });

  it('refuses a refund past the recharge amount', () => {
    expect(() => proportionalCoins(70n, 99n, 90n, 10n)).toThrow(RangeError);
  });
});
