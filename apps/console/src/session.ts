import type { OperatorDto } from '@coinops/contracts';

/**
 * The signed-in operator's token and profile, kept in localStorage so a reload stays signed in.
 * One key, one JSON value: the token and the operator it belongs to are written and cleared together.
 */
export interface Session {
  token: string;
  expires_at: string;
  operator: OperatorDto;
  /** `required`: the token opens the account page's two-factor enrolment only, until a code is confirmed. */
  mfa_enrolment?: 'required' | 'offered';
}

export const SESSION_KEY = 'coinops.session';

export interface SessionStore {
  read(): Session | null;
  write(session: Session): void;
  clear(): void;
}

export function createSessionStore(storage: Storage = window.localStorage): SessionStore {
  return {
    read() {
      const raw = storage.getItem(SESSION_KEY);
      if (!raw) return null;
      try {
        const session = JSON.parse(raw) as Session;
        return typeof session.token === 'string' && session.operator ? session : null;
      } catch {
        return null;
      }
    },
    write(session) {
      storage.setItem(SESSION_KEY, JSON.stringify(session));
      setQueuesCookie(session.token, session.expires_at);
    },
    clear() {
      storage.removeItem(SESSION_KEY);
      setQueuesCookie('', new Date(0).toISOString());
    },
  };
}

/** True when the server-given expiry has passed; an unreadable date counts as expired. */
export function isExpired(session: Session, now: Date = new Date()): boolean {
  const expiresAtMs = Date.parse(session.expires_at);
  return Number.isNaN(expiresAtMs) || expiresAtMs <= now.getTime();
}

/**
 * Bull Board (`/api/queues`, admins only) is a page the browser navigates to, so it cannot send the
 * bearer header: the API also accepts the token from this cookie, scoped to that path only.
 */
function setQueuesCookie(token: string, expiresAt: string): void {
  if (typeof document === 'undefined') return;
  const expires = new Date(expiresAt);
  document.cookie = `coinops_token=${token}; path=/api/queues; SameSite=Strict; expires=${expires.toUTCString()}`;
}
