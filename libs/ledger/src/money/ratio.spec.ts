import fc from 'fast-check';
import { ValidationFailed } from '@coinops/contracts';
import { convert, ratio, sourceFor } from './ratio';

const ratios = fc.tuple(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n })).map(([n, d]) => ratio(n, d));
const amounts = fc.bigInt({ min: 0n, max: 10n ** 12n });

describe('integer ratios', () => {
  it('converts by rounding down and returns exactly what was dropped', () => {
    expect(convert(7n, ratio(1n, 2n))).toEqual({ converted: 3n, remainderNumerator: 1n });
    fc.assert(
      fc.property(amounts, ratios, (amount, rate) => {
        const { converted, remainderNumerator } = convert(amount, rate);
        expect(converted * rate.denominator + remainderNumerator).toBe(amount * rate.numerator);
        expect(remainderNumerator >= 0n && remainderNumerator < rate.denominator).toBe(true);
      }),
    );
  });

  it('finds the smallest source amount that converts to at least a target', () => {
    fc.assert(
      fc.property(amounts, ratios.filter((r) => r.numerator > 0n), (target, rate) => {
        const source = sourceFor(target, rate);
        expect(convert(source, rate).converted >= target).toBe(true);
        if (source > 0n) expect(convert(source - 1n, rate).converted < target).toBe(true);
      }),
    );
  });

  it('refuses a ratio with a zero or negative denominator, a negative numerator, or huge terms', () => {
    expect(() => ratio(1n, 0n)).toThrow(ValidationFailed);
    expect(() => ratio(-1n, 2n)).toThrow(ValidationFailed);
    expect(() => ratio(1n, 10n ** 10n)).toThrow(ValidationFailed);
  });
});
