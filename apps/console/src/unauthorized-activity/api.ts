import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

/** The report's commands (`POST /api/...`): same HTTP client as the data provider, the server's field errors as `body.errors`. */
const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

async function post<T>(path: string, body: unknown): Promise<T> {
  const { json } = await httpClient(`/api${path}`, { method: 'POST', body: JSON.stringify(body) });
  return json as T;
}

export interface ReportInput {
  description: string;
  recharge_ids?: string[];
  gift_ids?: string[];
}

export interface ConfirmInput {
  reason: string;
  block_devices?: string[];
  block_cards?: string[];
  block_ips?: string[];
}

const report = (id: string, verb: string) => `/unauthorized-activity/${encodeURIComponent(id)}/${verb}`;

export const reportUnauthorizedActivity = (userId: string, input: ReportInput) => post<{ id: string }>(`/users/${encodeURIComponent(userId)}/unauthorized-activity`, input);
export const confirmReport = (id: string, input: ConfirmInput) => post(report(id, 'confirm'), input);
export const dismissReport = (id: string, reason: string, unfreeze: boolean) => post(report(id, 'dismiss'), { reason, unfreeze });
export const recoverReport = (id: string, reason: string) => post(report(id, 'recover'), { reason });

/** "a, b\nc" → ["a", "b", "c"]: ids typed or pasted into one box. */
export const splitIds = (value: unknown): string[] | undefined => {
  const ids = String(value ?? '')
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  return ids.length ? ids : undefined;
};
