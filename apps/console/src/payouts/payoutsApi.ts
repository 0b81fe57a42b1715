import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

/** Payout commands (`POST /api/payouts/<id>/<verb>`) and the reads that are not a react-admin list. */
const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { json } = await httpClient(`/api${path}`, method === 'GET' ? {} : { method, body: JSON.stringify(body ?? {}) });
  return json as T;
}

export interface PayoutTotals {
  currency: string;
  method: string;
  count: number;
  amount: string;
  diamonds: string;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  state?: string;
  error?: { statusCode: number; message: string };
}

const verb = (id: string, action: string) => `/payouts/${encodeURIComponent(id)}/${action}`;

export const approvePayout = (id: string, reason: string) => call('POST', verb(id, 'approve'), { reason });
export const rejectPayout = (id: string, reason: string) => call('POST', verb(id, 'reject'), { reason });
export const cancelPayout = (id: string, reason: string) => call('POST', verb(id, 'cancel'), { reason });
export const releaseHold = (id: string, holdId: string, reason: string) => call('POST', `${verb(id, 'holds')}/${encodeURIComponent(holdId)}/release`, { reason });
export const bulkApprove = (ids: string[], reason: string) => call<BulkResult[]>('POST', '/payouts/bulk-approve', { ids, reason });
export const payoutTotals = (filter: Record<string, unknown>) => call<PayoutTotals[]>('GET', `/payouts/totals?filter=${encodeURIComponent(JSON.stringify(filter))}`);

export interface CreatorEarnings {
  days: number;
  earnings: Array<{ day: string; diamonds: string; gifts: number }>;
  payouts: { paid_diamonds: string; paid: Array<{ currency: string; amount: string }>; open: number };
}

export interface GiftSources {
  window_days: number;
  total_diamonds: string;
  flagged_diamonds: string;
  flagged_share_percent: number;
  top_payers: Array<{ sender_id: string; diamonds: string; gifts: number; flagged: boolean; frozen: boolean; account_age_days: number | null }>;
}

export const creatorEarnings = (creatorId: string, days = 90) => call<CreatorEarnings>('GET', `/creators/${encodeURIComponent(creatorId)}/earnings?days=${days}`);
export const creatorGiftSources = (creatorId: string) => call<GiftSources>('GET', `/creators/${encodeURIComponent(creatorId)}/gift-sources`);

/** A batch's CSV, downloaded with the operator's token (a plain link would carry none). */
export async function downloadBatchCsv(batchId: string): Promise<void> {
  const token = createSessionStore().read()?.token ?? '';
  const response = await fetch(`/api/payout-batches/${encodeURIComponent(batchId)}/export`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`export failed: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `payout-batch-${batchId}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

/** The server's message for a refused command (a field's message first when it names one). */
export function problemOf(error: unknown): string {
  const body = (error as { body?: { errors?: Record<string, string>; message?: string } })?.body;
  const fieldMessage = body?.errors ? Object.entries(body.errors).map(([field, message]) => `${field}: ${message}`).join('; ') : '';
  return fieldMessage || body?.message || (error as Error)?.message || 'request failed';
}
