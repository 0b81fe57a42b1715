/** Careful readers for provider JSON: a signed payload is still untrusted in shape and size. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function object(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** A non-empty string of at most `max` characters, else null. */
export function text(value: unknown, max = 255): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
}

/** A whole number (a JSON integer) as bigint, else null. */
export function integer(value: unknown): bigint | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : null;
}

/** A decimal string or JSON integer of a positive whole amount (Stripe metadata values are strings). */
export function positiveWhole(value: unknown): bigint | null {
  const digits = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value : '';
  return /^[1-9][0-9]{0,17}$/.test(digits) ? BigInt(digits) : null;
}

/** Unix seconds (Stripe's `created`) as a Date, within a sane range, else null. */
export function unixSeconds(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 32_503_680_000) return null;
  return new Date(value * 1000);
}
