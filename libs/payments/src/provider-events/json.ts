/** JSON for jsonb columns: bigint as a decimal string (money on the wire), Date as ISO 8601. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}
