/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with brackets for nesting
 * (`metadata[creator_id]=c_1`). Only one level of nesting is needed by the calls coinops makes.
 */
export type FormValue = string | Record<string, string>;

const MAX_FIELDS = 200;

export function parseForm(body: string): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  let fields = 0;
  for (const [key, value] of new URLSearchParams(body)) {
    if (++fields > MAX_FIELDS) break;
    const nested = /^([a-z_]+)\[([^\]]{1,100})\]$/.exec(key);
    if (nested) {
      const parent = out[nested[1]];
      const record = typeof parent === 'object' ? parent : {};
      record[nested[2]] = value;
      out[nested[1]] = record;
    } else out[key] = value;
  }
  return out;
}

/** A whole number of minor units sent as a form field, or null. */
export function formInteger(value: FormValue | undefined): bigint | null {
  return typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? BigInt(value) : null;
}

/** The parameters of a call, in a stable order: what an idempotency key is compared against. */
export function fingerprint(path: string, form: Record<string, FormValue>): string {
  const flat = Object.entries(form)
    .flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : Object.entries(value).map(([sub, v]) => [`${key}[${sub}]`, v])))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([path, flat]);
}
