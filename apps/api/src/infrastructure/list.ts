import { contentRange, parseListQuery, type ListQuery, type ListSpec } from '@coinops/db';
import type { Response } from 'express';

/** Parses react-admin's list query for a resource (400 on anything undeclared). */
export function listQuery(query: Record<string, unknown>, spec: ListSpec): ListQuery {
  return parseListQuery(query, spec);
}

/** Sends a page the simple-rest way: the array as the body, the range and total in Content-Range. */
export function sendPage<T>(response: Response, spec: ListSpec, list: ListQuery, page: { rows: T[]; total: number }): T[] {
  response.setHeader('Content-Range', contentRange(spec.resource, list, page.rows.length, page.total));
  return page.rows;
}
