import type { OperatorDto } from '@coinops/contracts';

/**
 * The signed-in operator's token and profile, kept in localStorage so a reload stays signed in.
 * One key, one JSON value: the token and the operator it belongs to are written and cleared together.
 */
export interface Session {
  token: string;
  expires_at: string;
  operator: OperatorDto;
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
    },
    clear() {
      storage.removeItem(SESSION_KEY);
    },
  };
}

/** True when the server-given expiry has passed; an unreadable date counts as expired. */
export function isExpired(session: Session, now: Date = new Date()): boolean {
  const expiresAtMs = Date.parse(session.expires_at);
  return Number.isNaN(expiresAtMs) || expiresAtMs <= now.getTime();
}
