import fc from 'fast-check';
import { ValidationFailed } from '@coinops/contracts';
import { formatMajor, MAX_POSTING_AMOUNT, parseAmount, parseMajor } from './amount';
import { assetScale, isAsset } from './assets';

describe('amounts', () => {
  it('parses decimal strings of minor units into bigint and nothing else', () => {
    expect(parseAmount('1250')).toBe(1250n);
    expect(parseAmount('-3')).toBe(-3n);
    expect(parseAmount('0')).toBe(0n);
    for (const bad of ['1.5', '1e3', ' 12', '012', '', '-0x1', '12a']) {
      expect(() => parseAmount(bad)).toThrow(ValidationFailed);
    }
    expect(() => parseAmount((MAX_POSTING_AMOUNT + 1n).toString())).toThrow(ValidationFailed);
  });

  it('formats and parses major units with each currency’s own scale', () => {
    expect(formatMajor(1250n, 'USD')).toBe('12.50');
    expect(formatMajor(5n, 'USD')).toBe('0.05');
    expect(formatMajor(-5n, 'KWD')).toBe('-0.005');
    expect(formatMajor(1250n, 'JPY')).toBe('1250');
    expect(formatMajor(42n, 'COIN')).toBe('42');
    expect(parseMajor('12.5', 'USD')).toBe(1250n);
    expect(parseMajor('-0.005', 'KWD')).toBe(-5n);
    expect(() => parseMajor('12.345', 'USD')).toThrow(/2 decimal places/);
    expect(() => parseMajor('1.5', 'JPY')).toThrow(ValidationFailed);
  });

  it('round-trips every amount through major units', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_POSTING_AMOUNT, max: MAX_POSTING_AMOUNT }), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF', 'COIN'), (amount, asset) => {
        expect(parseMajor(formatMajor(amount, asset), asset)).toBe(amount);
      }),
    );
  });

  it('knows coins, diamonds and ISO 4217 currencies with their scales', () => {
    expect(['COIN', 'DIAMOND', 'USD', 'EUR', 'JPY', 'KWD'].every(isAsset)).toBe(true);
    expect(isAsset('XYZ')).toBe(false);
    expect([assetScale('USD'), assetScale('JPY'), assetScale('KWD'), assetScale('DIAMOND')]).toEqual([2, 0, 3, 0]);
  });
});
