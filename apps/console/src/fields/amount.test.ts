import { describe, expect, it } from 'vitest';
import { formatAmount, signOf, toMajorString } from './amount';

describe('formatAmount', () => {
  it('shows minor units of a currency with its symbol and its own number of decimals', () => {
    expect(formatAmount('1250', 'USD')).toBe('$12.50');
    expect(formatAmount('5', 'USD')).toBe('$0.05');
    expect(formatAmount('-99', 'EUR')).toBe('-€0.99');
    expect(formatAmount('1500', 'JPY')).toBe('¥1,500');
    expect(formatAmount('1234', 'KWD').replace(/\s/g, ' ')).toBe('KWD 1.234');
  });

  it('keeps every digit of amounts past what a double holds', () => {
    expect(formatAmount('900719925474099312', 'USD')).toBe('$9,007,199,254,740,993.12');
    expect(formatAmount('9007199254740993', 'COIN')).toBe('9,007,199,254,740,993 coins');
  });

  it('shows coins and diamonds as whole counts', () => {
    expect(formatAmount('1', 'COIN')).toBe('1 coin');
    expect(formatAmount('70', 'COIN')).toBe('70 coins');
    expect(formatAmount('-30', 'COIN')).toBe('-30 coins');
    expect(formatAmount('1234567', 'DIAMOND')).toBe('1,234,567 diamonds');
  });

  it('shows what is not an integer as it came, and nothing for no value', () => {
    expect(formatAmount('12.5', 'USD')).toBe('12.5');
    expect(formatAmount(null, 'USD')).toBe('');
  });
});

describe('helpers', () => {
  it('moves the decimal point on the digits', () => {
    expect(toMajorString('7', 2)).toBe('0.07');
    expect(toMajorString('-123456', 3)).toBe('-123.456');
    expect(toMajorString('42', 0)).toBe('42');
  });

  it('reads the sign of a decimal string', () => {
    expect([signOf('-3'), signOf('0'), signOf('-0'), signOf('12'), signOf(undefined)]).toEqual([-1, 0, 0, 1, 0]);
  });
});
