import { NotFound } from '@coinops/contracts';
import type { EntityManager } from 'typeorm';

/** `enrolment`: a role that requires a second factor signed in without one; only enrolment routes accept it. */
export type SessionScope = 'full' | 'enrolment';

export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface SessionDto {
  id: string;
  scope: SessionScope;
  mfa: boolean;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  current: boolean;
}

/** One row per sign-in; the token carries its id (`sid`), so revoking the row ends the token at once. */
export async function createSession(manager: EntityManager, operatorId: string, scope: SessionScope, mfa: boolean, meta: SessionMeta, ttlSeconds: number): Promise<{ id: string; expiresAt: Date }> {
  const [row]: Array<{ id: string; expires_at: Date }> = await manager.query(
    `INSERT INTO operator_sessions (operator_id, scope, mfa, ip, user_agent, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING id, expires_at`,
    [operatorId, scope, mfa, meta.ip?.slice(0, 64) ?? null, meta.userAgent?.slice(0, 512) ?? null, ttlSeconds],
  );
  return { id: row.id, expiresAt: row.expires_at };
}

/** The operator's live sessions (not revoked, not expired), newest first. */
export async function listSessions(manager: EntityManager, operatorId: string, currentId: string | null): Promise<SessionDto[]> {
  const rows: Array<{ id: string; scope: SessionScope; mfa: boolean; ip: string | null; user_agent: string | null; created_at: Date; expires_at: Date }> = await manager.query(
    `SELECT id, scope, mfa, ip, user_agent, created_at, expires_at FROM operator_sessions
      WHERE operator_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 200`,
    [operatorId],
  );
  return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString(), expires_at: r.expires_at.toISOString(), current: r.id === currentId }));
}

/** Revokes one of the operator's own sessions; someone else's answers 404, like one that does not exist. */
export async function revokeSession(manager: EntityManager, operatorId: string, sessionId: string, reason: string): Promise<void> {
  const rows = await manager.query(
    `UPDATE operator_sessions SET revoked_at = now(), revoked_reason = $3 WHERE id = $1 AND operator_id = $2 AND revoked_at IS NULL RETURNING id`,
    [sessionId, operatorId, reason],
  );
  if (rows[0].length === 0) throw new NotFound('session', sessionId);
}

/** Revokes every live session of the operator, except `keepId` if given; answers how many. */
export async function revokeAllSessions(manager: EntityManager, operatorId: string, reason: string, keepId: string | null = null): Promise<number> {
  const [, count]: [unknown, number] = await manager.query(
    `UPDATE operator_sessions SET revoked_at = now(), revoked_reason = $2
      WHERE operator_id = $1 AND revoked_at IS NULL AND expires_at > now() AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [operatorId, reason, keepId],
  );
  return count;
}
