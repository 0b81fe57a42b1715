/** One page of a list and its total (react-admin's simple-rest contract; `rawPage` of @coinops/db builds it). */
export interface Page<T> {
  rows: T[];
  total: number;
}

/** ISO 8601 for a timestamp column (null stays null). */
export const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
