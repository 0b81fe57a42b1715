/** Pages of the risk tables (the engine has no paged listing of its own) come from `rawPage` of @coinops/db. */
export { rawPage } from '@coinops/db';

/** Sorts an enum column by its rank (low < medium < high < critical) instead of alphabetically. */
export const rankOf = (column: string, values: readonly string[]) =>
  `(CASE ${column} ${values.map((value, index) => `WHEN '${value}' THEN ${index}`).join(' ')} END)`;
