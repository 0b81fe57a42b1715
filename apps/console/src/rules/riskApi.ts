import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

/**
 * The risk commands that are not CRUD (validate, backtest, remove a list entry). They go through the
 * same HTTP client as the data provider (bearer token, server field errors as `body.errors`); the
 * data provider's `create` would insist on an `id` in answers that have none.
 */
const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

async function post<T>(path: string, body: unknown, apiUrl = '/api'): Promise<T> {
  const { json } = await httpClient(`${apiUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return json as T;
}

export interface ValidationResult {
  valid: boolean;
  references: string[];
}

export interface BacktestRequest {
  expression: string;
  from: string;
  to: string;
  event_kind?: 'recharge' | 'gift';
}

export interface BacktestResult {
  evaluated: number;
  hits: number;
  hit_rate: number;
  positives: number;
  true_positives: number;
  precision: number | null;
  recall: number | null;
  errors: number;
  truncated: boolean;
  sample_hits: Array<{ type: string; id: string }>;
}

export const validateExpression = (expression: string) => post<ValidationResult>('/rules/validate', { expression });
export const runBacktest = (request: BacktestRequest) => post<BacktestResult>('/rules/backtest', request);
export const removeListEntry = (id: string, reason: string) => post<Record<string, unknown>>(`/list-entries/${encodeURIComponent(id)}/remove`, { reason });

/** The message of a failed command: a field's message when the server named one, else the error's. */
export function problemOf(error: unknown, field?: string): string {
  const body = (error as { body?: { errors?: Record<string, string>; message?: string } })?.body;
  return (field && body?.errors?.[field]) || body?.message || (error as Error)?.message || 'request failed';
}
