import { ValidationFailed, type ErrorDetail } from '@coinops/contracts';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * react-admin's ra-data-simple-rest list contract (DESIGN §7):
 * `?filter={json}&range=[start,end]&sort=["field","ASC|DESC"]`, answered with an array and
 * `Content-Range: <resource> start-end/total`. Each resource declares what may be filtered and
 * sorted; anything else is a 400 naming the field, never a SQL fragment.
 */
export type FilterType = 'text' | 'uuid' | 'int' | 'bigint' | 'bool' | 'timestamp' | 'enum';

export interface FilterSpec {
  /** SQL expression, e.g. `op.email`; never built from client input. */
  column: string;
  type: FilterType;
  /** For `enum`: allowed values. */
  values?: readonly string[];
  /** `eq` (default; arrays become IN), `gte`/`lte` (ranges: `<field>_gte`), `ilike` (contains). */
  op?: 'eq' | 'gte' | 'lte' | 'ilike';
}

export interface ListSpec {
  resource: string;
  /** wire field -> SQL expression */
  sortable: Record<string, string>;
  filters: Record<string, FilterSpec>;
  /** SQL expressions searched by `q` (case-insensitive contains, or equality for ids). */
  search?: string[];
  defaultSort: [string, 'ASC' | 'DESC'];
  /** Tie-breaker appended to every sort so pages are stable. */
  idColumn: string;
  maxPageSize?: number;
}

export interface ListQuery {
  filter: Record<string, unknown>;
  offset: number;
  limit: number;
  sort: [string, 'ASC' | 'DESC'];
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;
const MAX_FILTER_VALUES = 1000;
const MAX_TEXT_LENGTH = 512;

function parseJson(raw: unknown, field: string): unknown {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw ValidationFailed.field(field, 'must be given once, as JSON');
  if (raw.length > 64 * 1024) throw ValidationFailed.field(field, 'is longer than 64 KiB');
  try {
    return JSON.parse(raw);
  } catch {
    throw ValidationFailed.field(field, 'is not valid JSON');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkValue(spec: FilterSpec, field: string, value: unknown): string | null {
  switch (spec.type) {
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT_LENGTH ? null : `must be a string of at most ${MAX_TEXT_LENGTH} characters`;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? null : 'must be a UUID';
    case 'int':
      return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) ? null : 'must be an integer';
    case 'bigint':
      return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) ? null : 'must be an integer';
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'timestamp':
      return typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO 8601 time';
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value) ? null : `must be one of ${(spec.values ?? []).join(', ')}`;
  }
  return `cannot filter on ${field}`;
}

export function parseListQuery(query: Record<string, unknown>, spec: ListSpec): ListQuery {
  const details: ErrorDetail[] = [];
  const maxPage = Math.min(spec.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);

  const rawFilter = parseJson(query.filter, 'filter') ?? {};
  if (typeof rawFilter !== 'object' || rawFilter === null || Array.isArray(rawFilter)) {
    throw ValidationFailed.field('filter', 'must be a JSON object');
  }
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rawFilter as Record<string, unknown>)) {
    if (value === undefined || value === null || value === '') continue;
    if (field === 'q') {
      if (!spec.search?.length) details.push({ field: 'filter.q', message: `${spec.resource} cannot be searched` });
      else if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) details.push({ field: 'filter.q', message: `must be a string of at most ${MAX_TEXT_LENGTH} characters` });
      else filter.q = value;
      continue;
    }
    const filterSpec = spec.filters[field];
    if (!filterSpec) {
      details.push({ field: `filter.${field}`, message: `is not a filter of ${spec.resource}; use one of ${['q', ...Object.keys(spec.filters)].join(', ')}` });
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && (filterSpec.op ?? 'eq') !== 'eq') {
      details.push({ field: `filter.${field}`, message: 'takes one value' });
      continue;
    }
    if (values.length > MAX_FILTER_VALUES) {
      details.push({ field: `filter.${field}`, message: `takes at most ${MAX_FILTER_VALUES} values` });
      continue;
    }
    const problem = values.map((v) => checkValue(filterSpec, field, v)).find((p) => p !== null);
    if (problem) details.push({ field: `filter.${field}`, message: problem });
    else filter[field] = value;
  }

  let offset = 0;
  let limit = DEFAULT_PAGE_SIZE;
  const range = parseJson(query.range, 'range');
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isSafeInteger(n) && n >= 0) || range[1] < range[0]) {
      details.push({ field: 'range', message: 'must be [start, end] with 0 <= start <= end' });
    } else if (range[1] - range[0] + 1 > maxPage) {
      details.push({ field: 'range', message: `asks for more than ${maxPage} rows` });
    } else {
      offset = range[0];
      limit = range[1] - range[0] + 1;
    }
  }

  let sort = spec.defaultSort;
  const rawSort = parseJson(query.sort, 'sort');
  if (rawSort !== undefined) {
    if (!Array.isArray(rawSort) || rawSort.length !== 2 || typeof rawSort[0] !== 'string' || !['ASC', 'DESC'].includes(String(rawSort[1]).toUpperCase())) {
      details.push({ field: 'sort', message: 'must be ["field", "ASC" | "DESC"]' });
    } else if (!(rawSort[0] in spec.sortable)) {
      details.push({ field: 'sort', message: `cannot sort ${spec.resource} by "${String(rawSort[0]).slice(0, 64)}"; use one of ${Object.keys(spec.sortable).join(', ')}` });
    } else {
      sort = [rawSort[0], String(rawSort[1]).toUpperCase() as 'ASC' | 'DESC'];
    }
  }

  if (details.length) throw new ValidationFailed(details);
  return { filter, offset, limit, sort };
}

/** Applies a parsed list query to a query builder: filters and search as bound parameters. */
export function applyListQuery<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, list: ListQuery, spec: ListSpec): SelectQueryBuilder<T> {
  let index = 0;
  for (const [field, value] of Object.entries(list.filter)) {
    const param = `f${index++}`;
    if (field === 'q') {
      const clauses = (spec.search ?? []).map((column) => `${column}::text ILIKE :${param}`);
      qb.andWhere(`(${clauses.join(' OR ')})`, { [param]: `%${escapeLike(String(value))}%` });
      continue;
    }
    const filterSpec = spec.filters[field];
    const op = filterSpec.op ?? 'eq';
    if (Array.isArray(value)) {
      if (value.length === 0) qb.andWhere('false');
      else qb.andWhere(`${filterSpec.column} IN (:...${param})`, { [param]: value });
    } else if (op === 'ilike') {
      qb.andWhere(`${filterSpec.column}::text ILIKE :${param}`, { [param]: `%${escapeLike(String(value))}%` });
    } else {
      const sql = op === 'gte' ? '>=' : op === 'lte' ? '<=' : '=';
      qb.andWhere(`${filterSpec.column} ${sql} :${param}`, { [param]: value });
    }
  }
  qb.orderBy(spec.sortable[list.sort[0]], list.sort[1], list.sort[1] === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST');
  if (spec.sortable[list.sort[0]] !== spec.idColumn) qb.addOrderBy(spec.idColumn, list.sort[1]);
  return qb.offset(list.offset).limit(list.limit);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The `Content-Range` value for a page. */
export function contentRange(resource: string, list: ListQuery, count: number, total: number): string {
  if (count === 0) return `${resource} */${total}`;
  return `${resource} ${list.offset}-${list.offset + count - 1}/${total}`;
}

/** A filter that is not `column <op> value`: it adds its own condition (an EXISTS, say), value bound as `param`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CustomFilter = (qb: SelectQueryBuilder<any>, value: unknown, param: string) => void;

/**
 * One page of a raw (entity-less) query, the simple-rest way: the spec's filters, search and sort
 * through `applyListQuery`, the custom filters given here, and the total counted over the same joins
 * and conditions.
 */
export async function rawPage<Row, T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  qb: SelectQueryBuilder<any>,
  list: ListQuery,
  spec: ListSpec,
  toDto: (row: Row) => T,
  custom: Record<string, CustomFilter> = {},
): Promise<{ rows: T[]; total: number }> {
  const plain: Record<string, unknown> = {};
  let index = 0;
  for (const [field, value] of Object.entries(list.filter)) {
    const filter = custom[field];
    if (filter) filter(qb, value, `c${index++}`);
    else plain[field] = value;
  }
  applyListQuery(qb, { ...list, filter: plain }, spec);
  const counter = qb.clone().select('count(*)::int', 'total').orderBy().offset(undefined).limit(undefined);
  const [rows, count] = await Promise.all([qb.getRawMany<Row>(), counter.getRawOne<{ total: number }>()]);
  return { rows: rows.map(toDto), total: count?.total ?? 0 };
}
