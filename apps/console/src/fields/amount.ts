/**
 * Amounts arrive as decimal strings of minor units (DESIGN §2): cents for USD, yen for JPY, whole coins and
 * diamonds. They are formatted from the string, never through a float, so no amount is ever rounded.
 */
export type Unit = 'COIN' | 'DIAMOND' | string;

const WHOLE_UNITS: Record<string, [singular: string, plural: string]> = {
  COIN: ['coin', 'coins'],
  DIAMOND: ['diamond', 'diamonds'],
};

const DECIMAL_INTEGER = /^-?\d{1,30}$/;

/** Digits after the decimal point of a currency (ISO 4217, as the browser's Intl knows it). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `"-1250"` minor units of a 2-digit currency → `"-12.50"`: exact, from the digits. */
export function toMajorString(minor: string, digits: number): string {
  const negative = minor.startsWith('-');
  const magnitude = negative ? minor.slice(1) : minor;
  if (digits === 0) return minor;
  const padded = magnitude.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * `formatAmount("1250", "USD")` → `"$12.50"`; `formatAmount("7", "COIN")` → `"7 coins"`;
 * `formatAmount("1234567", "DIAMOND")` → `"1,234,567 diamonds"`. Anything that is not an integer string
 * is shown as it is, so a bad value is visible rather than hidden.
 */
export function formatAmount(minor: string | number | bigint | null | undefined, unit: Unit, locale = 'en-US'): string {
  if (minor === null || minor === undefined || minor === '') return '';
  const text = String(minor);
  if (!DECIMAL_INTEGER.test(text)) return text;
  const whole = WHOLE_UNITS[unit];
  if (whole) {
    const count = new Intl.NumberFormat(locale).format(BigInt(text));
    return `${count} ${text === '1' || text === '-1' ? whole[0] : whole[1]}`;
  }
  try {
    // A string argument keeps every digit (Intl.NumberFormat v3): no float in between.
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency: unit }) as Intl.NumberFormat & { format(value: string): string };
    return format.format(toMajorString(text, minorDigits(unit)));
  } catch {
    return `${text} ${unit} (minor units)`;
  }
}

/** Sign of a decimal string without parsing it: -1, 0 or 1. */
export function signOf(minor: string | number | bigint | null | undefined): -1 | 0 | 1 {
  if (minor === null || minor === undefined) return 0;
  const text = String(minor);
  if (!DECIMAL_INTEGER.test(text) || /^-?0+$/.test(text)) return 0;
  return text.startsWith('-') ? -1 : 1;
}
