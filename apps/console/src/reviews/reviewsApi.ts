import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

/**
 * Review and user commands that are not CRUD (`POST /api/<resource>/<id>/<verb>`), and the reads that are
 * not lists (counts, evidence, graph). Same HTTP client as the data provider: bearer token, and the
 * server's field errors as `body.errors`.
 */
const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { json } = await httpClient(`/api${path}`, method === 'GET' ? {} : { method, body: JSON.stringify(body ?? {}) });
  return json as T;
}

const review = (id: string, verb: string) => `/reviews/${encodeURIComponent(id)}/${verb}`;
const user = (id: string, verb: string) => `/users/${encodeURIComponent(id)}/${verb}`;

export interface RejectOptions {
  block_card?: boolean;
  block_device?: boolean;
  block_ip?: boolean;
  freeze_user?: boolean;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  state?: string;
  status?: number;
  message?: string;
}

export interface ReviewCounts {
  open: number;
  in_review: number;
  escalated: number;
  approved: number;
  rejected: number;
  mine: number;
  overdue: number;
}

export const claimReview = (id: string) => call('POST', review(id, 'claim'));
export const assignReview = (id: string, operatorId: string, reason?: string) => call('POST', review(id, 'assign'), { operator_id: operatorId, ...(reason ? { reason } : {}) });
export const unassignReview = (id: string, reason?: string) => call('POST', review(id, 'unassign'), reason ? { reason } : {});
export const escalateReview = (id: string, reason: string) => call('POST', review(id, 'escalate'), { reason });
export const approveReview = (id: string, reason: string) => call('POST', review(id, 'approve'), { reason });
export const rejectReview = (id: string, reason: string, options: RejectOptions) => call('POST', review(id, 'reject'), { reason, ...options });
export const bulkApprove = (ids: string[], reason: string) => call<BulkResult[]>('POST', '/reviews/bulk-approve', { ids, reason });
export const bulkReject = (ids: string[], reason: string, options: RejectOptions) => call<BulkResult[]>('POST', '/reviews/bulk-reject', { ids, reason, ...options });
export const reviewCounts = () => call<ReviewCounts>('GET', '/reviews/counts');
export const reviewEvidence = <T>(id: string) => call<T>('GET', review(id, 'evidence'));

export const userEvidence = <T>(id: string) => call<T>('GET', user(id, 'evidence'));
export const userGraph = <T>(id: string, hops: number) => call<T>('GET', `${user(id, 'graph')}?hops=${hops}`);
export const freezeUser = (id: string, reason: string) => call('POST', user(id, 'freeze'), { reason });
export const unfreezeUser = (id: string, reason: string) => call('POST', user(id, 'unfreeze'), { reason });
export const freezeAccounts = (userIds: string[], reason: string) => call<Array<{ user_id: string; result: string }>>('POST', '/users/freeze', { user_ids: userIds, reason });
export const addNote = (id: string, body: string) => call('POST', user(id, 'notes'), { body });

/** The message of a failed command: a field's message when the server named one, else the error's. */
export function problemOf(error: unknown, field?: string): string {
  const body = (error as { body?: { errors?: Record<string, string>; message?: string } })?.body;
  return (field && body?.errors?.[field]) || body?.message || (error as Error)?.message || 'request failed';
}
