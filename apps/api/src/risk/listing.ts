import { applyListQuery, type ListQuery, type ListSpec } from '@coinops/db';
import type { SelectQueryBuilder } from 'typeorm';

/**
 * One page of a raw (entity-less) query the simple-rest way: the spec's filters, search and sort
 * through `applyListQuery`, and the total counted over the same conditions. The engine (libs/risk)
 * has no paged listing of its tables, so the console's lists read them here.
 */
export async function rawPage<Row, T>(
  qb: SelectQueryBuilder<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  list: ListQuery,
  spec: ListSpec,
  toDto: (row: Row) => T,
): Promise<{ rows: T[]; total: number }> {
  applyListQuery(qb, list, spec);
  const counter = qb.clone().select('count(*)::int', 'total').orderBy().offset(undefined).limit(undefined);
  const [rows, count] = await Promise.all([qb.getRawMany<Row>(), counter.getRawOne<{ total: number }>()]);
  return { rows: rows.map(toDto), total: count?.total ?? 0 };
}

/** Sorts an enum column by its rank (low < medium < high < critical) instead of alphabetically. */
export const rankOf = (column: string, values: readonly string[]) =>
  `(CASE ${column} ${values.map((value, index) => `WHEN '${value}' THEN ${index}`).join(' ')} END)`;
