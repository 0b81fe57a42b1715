import type { LoginResponse } from '@coinops/contracts';
import { fetchUtils } from 'react-admin';
import { createSessionStore, type SessionStore } from '../session';

export interface MfaStatus {
  enabled: boolean;
  required: boolean;
  enrolment_pending: boolean;
  enabled_at: string | null;
}

export interface MfaEnrolment {
  secret: string;
  otpauth_url: string;
  qr_data_url: string;
}

export interface OperatorSession {
  id: string;
  scope: 'full' | 'enrolment';
  mfa: boolean;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  current: boolean;
}

/** The signed-in operator's own account endpoints (/api/auth/*), with the session's bearer token. */
export function accountApi(apiUrl = '/api', sessions: SessionStore = createSessionStore()) {
  const call = async <T,>(path: string, init: RequestInit = {}): Promise<T> => {
    const session = sessions.read();
    const headers = new Headers({ Accept: 'application/json', 'Content-Type': 'application/json' });
    if (session) headers.set('Authorization', `Bearer ${session.token}`);
    const { json } = await fetchUtils.fetchJson(`${apiUrl}${path}`, { ...init, headers });
    return json as T;
  };
  return {
    status: () => call<MfaStatus>('/auth/totp'),
    enrol: () => call<MfaEnrolment>('/auth/totp/enrol', { method: 'POST' }),
    /** Confirms the first code; the answer is a new full session, written over the current one. */
    async confirm(code: string): Promise<void> {
      const answer = await call<LoginResponse>('/auth/totp/confirm', { method: 'POST', body: JSON.stringify({ code }) });
      sessions.write({ token: answer.token, expires_at: answer.expires_at, operator: answer.operator });
    },
    disable: (code: string) => call<MfaStatus>('/auth/totp/disable', { method: 'POST', body: JSON.stringify({ code }) }),
    sessions: () => call<OperatorSession[]>('/auth/sessions'),
    revoke: (id: string) => call<{ revoked: number }>(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    revokeAll: () => call<{ revoked: number }>('/auth/sessions/revoke-all', { method: 'POST' }),
    changePassword: (current_password: string, new_password: string) =>
      call<{ revoked: number }>('/auth/password', { method: 'POST', body: JSON.stringify({ current_password, new_password }) }),
    enrolmentRequired: () => sessions.read()?.mfa_enrolment === 'required',
  };
}
