import type { LoginResponse, MfaChallengeResponse, OperatorDto } from '@coinops/contracts';
import { fetchUtils, type AuthProvider, type UserIdentity } from 'react-admin';
import { canRoleAccess } from './access';
import { createSessionStore, isExpired, type SessionStore } from './session';

export interface AuthProviderOptions {
  apiUrl?: string;
  sessions?: SessionStore;
}

interface Credentials {
  email?: string;
  username?: string;
  password?: string;
  /** The second step: the challenge's token and the authenticator app's code. */
  mfa_token?: string;
  code?: string;
}

/**
 * Thrown by `login` when the password was right and a TOTP code is needed: the login page catches it and
 * asks for the code, then calls `login({ mfa_token, code })`.
 */
export class MfaRequired extends Error {
  readonly mfaRequired = true;
  constructor(readonly mfaToken: string) {
    super('Enter the code from your authenticator app');
    this.name = 'MfaRequired';
  }
}

export const isMfaRequired = (error: unknown): error is MfaRequired =>
  typeof error === 'object' && error !== null && (error as { mfaRequired?: unknown }).mfaRequired === true;

/** Errors from fetchUtils carry the HTTP status; anything else (network, abort) has none. */
function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}

function identityOf(operator: OperatorDto): UserIdentity {
  return { id: operator.id, fullName: operator.name, email: operator.email };
}

/**
 * Signs operators in against `POST /api/auth/login` and keeps the bearer token in localStorage.
 * The server's error message (bad credentials, locked out, rate-limited) reaches the login page as is.
 */
export function createAuthProvider({
  apiUrl = '/api',
  sessions = createSessionStore(),
}: AuthProviderOptions = {}): AuthProvider {
  const currentSession = () => {
    const session = sessions.read();
    if (session && isExpired(session)) {
      sessions.clear();
      return null;
    }
    return session;
  };

  return {
    async login({ email, username, password, mfa_token, code }: Credentials) {
      const { json } = mfa_token
        ? await fetchUtils.fetchJson(`${apiUrl}/auth/mfa`, { method: 'POST', body: JSON.stringify({ mfa_token, code }) })
        : await fetchUtils.fetchJson(`${apiUrl}/auth/login`, {
            method: 'POST',
            body: JSON.stringify({ email: email ?? username, password }),
          });
      if ((json as MfaChallengeResponse).mfa_required) throw new MfaRequired((json as MfaChallengeResponse).mfa_token);
      const { token, expires_at, operator, mfa_enrolment } = json as LoginResponse;
      sessions.write({ token, expires_at, operator, ...(mfa_enrolment === 'required' ? { mfa_enrolment } : {}) });
      // A role that requires a second factor, signed in without one, goes straight to enrolment.
      return mfa_enrolment === 'required' ? { redirectTo: '/account' } : undefined;
    },

    // Ends the session on the server too (best effort: signing out must work offline).
    async logout() {
      const session = sessions.read();
      sessions.clear();
      if (session && !isExpired(session) && typeof fetch === 'function') {
        await fetch(`${apiUrl}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${session.token}` } }).catch(() => undefined);
      }
    },

    async checkAuth() {
      if (!currentSession()) throw new Error('ra.auth.auth_check_error');
    },

    // 401 means the token is gone or expired: sign out. 403 is a signed-in operator without the role: stay.
    async checkError(error: unknown) {
      if (statusOf(error) === 401) {
        sessions.clear();
        throw new Error('ra.auth.auth_check_error');
      }
    },

    async getIdentity() {
      const session = currentSession();
      if (!session) throw new Error('ra.auth.auth_check_error');
      try {
        const { json } = await fetchUtils.fetchJson(`${apiUrl}/auth/me`, {
          headers: new Headers({ Accept: 'application/json', Authorization: `Bearer ${session.token}` }),
        });
        // The server is the truth for name and role: a role changed since login shows up here.
        sessions.write({ ...session, operator: json as OperatorDto });
        return identityOf(json as OperatorDto);
      } catch (error) {
        if (statusOf(error) === 401) {
          sessions.clear();
          throw error;
        }
        return identityOf(session.operator);
      }
    },

    async getPermissions() {
      return currentSession()?.operator.role ?? null;
    },

    async canAccess({ resource, action }) {
      const role = currentSession()?.operator.role;
      return canRoleAccess(role, resource, action);
    },
  };
}

export const authProvider = createAuthProvider();
