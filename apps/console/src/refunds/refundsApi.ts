import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

/** Refund and adjustment commands (`POST /api/<resource>/<id>/<verb>`) and the refundable read. */
const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { json } = await httpClient(`/api${path}`, method === 'GET' ? {} : { method, body: JSON.stringify(body ?? {}) });
  return json as T;
}

export interface Refundable {
  recharge_id: string;
  state: string;
  currency: string;
  amount: string;
  refundable_amount: string;
  coins: string;
  unspent_coins: string;
  spent_coins: string;
  refunded_coins: string;
  reserved_coins: string;
  threshold_usd: string;
  rule: string;
}

export interface RefundRequest {
  recharge_id: string;
  amount?: string;
  reason: string;
  override_spent_coins?: boolean;
}

const path = (resource: 'refunds' | 'adjustments', id: string, verb: string) => `/${resource}/${encodeURIComponent(id)}/${verb}`;

export const refundable = (rechargeId: string) => call<Refundable>('GET', `/refunds/refundable/${encodeURIComponent(rechargeId)}`);
export const requestRefund = (body: RefundRequest) => call<{ id: string; state: string }>('POST', '/refunds', body);
export const approveRefund = (id: string, reason: string, overrideReason?: string) => call('POST', path('refunds', id, 'approve'), { reason, ...(overrideReason ? { override_reason: overrideReason } : {}) });
export const rejectRefund = (id: string, reason: string) => call('POST', path('refunds', id, 'reject'), { reason });
export const retryRefund = (id: string, reason?: string) => call('POST', path('refunds', id, 'retry'), reason ? { reason } : {});
export const approveAdjustment = (id: string, reason: string) => call('POST', path('adjustments', id, 'approve'), { reason });
export const rejectAdjustment = (id: string, reason: string) => call('POST', path('adjustments', id, 'reject'), { reason });

/** The server's message for a refused command (a field's message first when it names one). */
export function problemOf(error: unknown): string {
  const body = (error as { body?: { errors?: Record<string, string>; message?: string } })?.body;
  const fieldMessage = body?.errors ? Object.entries(body.errors).map(([field, message]) => `${field}: ${message}`).join('; ') : '';
  return fieldMessage || body?.message || (error as Error)?.message || 'request failed';
}
