import type { Config } from '@coinops/config';
import { TooManyRequests, Unauthenticated, ValidationFailed, type LoginResponse, type MfaChallengeResponse, type Role } from '@coinops/contracts';
import { JwtService } from '@nestjs/jwt';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '../audit/audit';
import type { Actor } from '../audit/actor';
import { OperatorEntity, toOperatorDto } from '../operators/operator.entity';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../operators/passwords';
import { passwordProblem } from '../passwords/policy';
import { createSession, listSessions, revokeAllSessions, revokeSession, type SessionDto, type SessionMeta, type SessionScope } from '../sessions/sessions';
import { mfaRequiredRoles } from '../totp/mfa-config';
import { TotpSecretBox, verifyTotp } from '../totp/totp';

/** The claims coinops signs into an operator's token. */
export interface TokenClaims {
  sub: string;
  role: Role;
  /** The operator's token_version when issued: bumping it revokes every earlier token. */
  ver: number;
  /** The session row (operator_sessions): revoking it ends this token. */
  sid: string;
  exp?: number;
}

export interface AuthenticatedOperator {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
  /** `enrolment` tokens open the two-factor enrolment routes only (AuthGuard). */
  scope: SessionScope;
}

/** Where a request came from, for the audit row and the session list. */
export interface RequestContext extends SessionMeta {
  requestId: string | null;
}

export type AuthConfig = Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS' | 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCKOUT_SECONDS' | 'NODE_ENV'> &
  Partial<Pick<Config, 'MFA_REQUIRED_ROLES' | 'PASSWORD_MIN_LENGTH'>>;

const MAX_EMAIL_LENGTH = 254;
const SESSION_AUDIENCE = 'coinops-api';
const MFA_AUDIENCE = 'coinops-mfa';
/** How long the password step's proof stays good for the code step. */
export const MFA_TOKEN_TTL_SECONDS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AuthService {
  private readonly jwt: JwtService;
  readonly secrets: TotpSecretBox;
  readonly requiredRoles: ReadonlySet<Role>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuthConfig,
  ) {
    this.jwt = new JwtService({
      secret: config.JWT_SECRET,
      signOptions: { algorithm: 'HS256', issuer: 'coinops' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'coinops' },
    });
    this.secrets = new TotpSecretBox(config.JWT_SECRET);
    this.requiredRoles = mfaRequiredRoles(config);
  }

  get passwordMinLength(): number {
    return this.config.PASSWORD_MIN_LENGTH ?? 12;
  }

  /**
   * Email and password in. Wrong passwords count towards a lock-out; while locked, even the right password
   * is refused, and the answer says until when. An operator with a second factor gets a challenge
   * (`mfa_required`) instead of a token; one whose role requires it and who has none gets a token that
   * opens enrolment only.
   */
  async login(email: string, password: string, context: RequestContext | string | null): Promise<LoginResponse | MfaChallengeResponse> {
    const ctx = normalizeContext(context);
    const normalized = email.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH);
    const operator = await this.dataSource
      .getRepository(OperatorEntity)
      .createQueryBuilder('o')
      .addSelect('o.passwordHash')
      .where('o.email = :email', { email: normalized })
      .getOne();
    const actor: Actor = { operatorId: operator?.id ?? null, email: normalized, role: operator?.role ?? null, requestId: ctx.requestId };

    if (!operator) {
      await verifyPassword(await dummyPasswordHash(), password);
      await recordAudit(this.dataSource.manager, actor, { action: 'auth.login_failed', entity: 'operator', reason: 'unknown email' });
      throw new Unauthenticated('wrong email or password');
    }
    const now = new Date();
    if (operator.lockedUntil && operator.lockedUntil > now) {
      await recordAudit(this.dataSource.manager, actor, { action: 'auth.login_refused', entity: 'operator', entityId: operator.id, reason: 'locked out' });
      throw lockedOut(operator.lockedUntil, 'failed logins');
    }
    const valid = await verifyPassword(operator.passwordHash, password);
    if (!valid) {
      await this.recordFailure(operator, actor);
      throw new Unauthenticated('wrong email or password');
    }
    if (operator.disabled) {
      await recordAudit(this.dataSource.manager, actor, { action: 'auth.login_refused', entity: 'operator', entityId: operator.id, reason: 'disabled' });
      throw new Unauthenticated('this operator account is disabled');
    }

    if (operator.totpEnabledAt) {
      return this.dataSource.transaction(async (manager) => {
        await manager.update(OperatorEntity, { id: operator.id }, { failedLogins: 0, lockedUntil: null });
        await recordAudit(manager, actor, { action: 'auth.mfa_challenged', entity: 'operator', entityId: operator.id });
        const mfaToken = await this.jwt.signAsync({ sub: operator.id, ver: operator.tokenVersion }, { audience: MFA_AUDIENCE, expiresIn: MFA_TOKEN_TTL_SECONDS });
        return { mfa_required: true as const, mfa_token: mfaToken, expires_at: new Date(now.getTime() + MFA_TOKEN_TTL_SECONDS * 1000).toISOString() };
      });
    }
    const required = this.requiredRoles.has(operator.role);
    return this.dataSource.transaction(async (manager) => {
      await manager.update(OperatorEntity, { id: operator.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
      await recordAudit(manager, actor, { action: 'auth.login', entity: 'operator', entityId: operator.id, after: required ? { scope: 'enrolment' } : null });
      const issued = await this.issue(manager, { ...operator, lastLoginAt: now }, required ? 'enrolment' : 'full', false, ctx);
      return { ...issued, mfa_enrolment: required ? ('required' as const) : ('offered' as const) };
    });
  }

  /** The second step: the challenge's token and a TOTP code → a session token. Wrong codes count towards a lock-out of their own. */
  async completeMfa(mfaToken: string, code: string, context: RequestContext | string | null): Promise<LoginResponse> {
    const ctx = normalizeContext(context);
    let claims: { sub?: unknown; ver?: unknown };
    try {
      claims = await this.jwt.verifyAsync(mfaToken, { audience: MFA_AUDIENCE });
    } catch (error) {
      throw new Unauthenticated((error as Error)?.name === 'TokenExpiredError' ? 'the sign-in took too long: enter your password again' : 'invalid mfa_token');
    }
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) throw new Unauthenticated('invalid mfa_token');
    const operator = await this.withSecrets(claims.sub);
    if (!operator || operator.disabled || operator.tokenVersion !== claims.ver || !operator.totpSecretEnc) throw new Unauthenticated('invalid mfa_token');
    const actor: Actor = { operatorId: operator.id, email: operator.email, role: operator.role, requestId: ctx.requestId };
    await this.checkCode(operator, operator.totpSecretEnc, code, actor);
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      await manager.update(OperatorEntity, { id: operator.id }, { lastLoginAt: now });
      await recordAudit(manager, actor, { action: 'auth.login', entity: 'operator', entityId: operator.id, after: { mfa: true } });
      return this.issue(manager, { ...operator, lastLoginAt: now }, 'full', true, ctx);
    });
  }

  /** Verifies a bearer token against its signature, expiry, session, and the operator's current state. */
  async authenticate(token: string): Promise<AuthenticatedOperator> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { audience: SESSION_AUDIENCE });
    } catch (error) {
      const expired = (error as Error)?.name === 'TokenExpiredError';
      throw new Unauthenticated(expired ? 'token expired' : 'invalid token');
    }
    // A token without an expiry was not made here, whatever signed it.
    if (typeof claims.exp !== 'number') throw new Unauthenticated('invalid token');
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub) || typeof claims.sid !== 'string' || !UUID.test(claims.sid)) throw new Unauthenticated('invalid token');
    const [row]: Array<{ id: string; email: string; name: string; role: Role; disabled: boolean; token_version: number; scope: SessionScope; live: boolean }> = await this.dataSource.query(
      `SELECT o.id, o.email, o.name, o.role, o.disabled, o.token_version, s.scope,
              (s.revoked_at IS NULL AND s.expires_at > now()) AS live
         FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
        WHERE s.id = $1 AND o.id = $2`,
      [claims.sid, claims.sub],
    );
    if (!row || row.disabled) throw new Unauthenticated('operator disabled or unknown');
    if (row.token_version !== claims.ver || !row.live) throw new Unauthenticated('token revoked: sign in again');
    return { id: row.id, email: row.email, name: row.name, role: row.role, sessionId: claims.sid, scope: row.scope };
  }

  async sessions(operator: AuthenticatedOperator): Promise<SessionDto[]> {
    return listSessions(this.dataSource.manager, operator.id, operator.sessionId);
  }

  async signOut(operator: AuthenticatedOperator, sessionId: string, requestId: string | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await revokeSession(manager, operator.id, sessionId, sessionId === operator.sessionId ? 'signed out' : 'ended from the session list');
      await recordAudit(manager, actorOf(operator, requestId), { action: 'auth.session_revoked', entity: 'operator', entityId: operator.id, after: { session_id: sessionId } });
    });
  }

  /** Ends every session of the operator, the current one included. */
  async signOutEverywhere(operator: AuthenticatedOperator, requestId: string | null): Promise<{ revoked: number }> {
    return this.dataSource.transaction(async (manager) => {
      const revoked = await revokeAllSessions(manager, operator.id, 'signed out of all sessions');
      await recordAudit(manager, actorOf(operator, requestId), { action: 'auth.sessions_revoked', entity: 'operator', entityId: operator.id, after: { revoked } });
      return { revoked };
    });
  }

  /** The operator changes their own password: the current one is required, the other sessions end. */
  async changePassword(operator: AuthenticatedOperator, currentPassword: string, newPassword: string, requestId: string | null): Promise<{ revoked: number }> {
    const row = await this.dataSource.getRepository(OperatorEntity).createQueryBuilder('o').addSelect('o.passwordHash').where('o.id = :id', { id: operator.id }).getOneOrFail();
    const actor = actorOf(operator, requestId);
    if (row.lockedUntil && row.lockedUntil > new Date()) throw lockedOut(row.lockedUntil, 'failed logins');
    if (!(await verifyPassword(row.passwordHash, currentPassword))) {
      await this.recordFailure(row, actor);
      throw ValidationFailed.field('current_password', 'is not your current password');
    }
    const problem = passwordProblem(newPassword, this.passwordMinLength);
    if (problem) throw ValidationFailed.field('new_password', problem);
    if (newPassword === currentPassword) throw ValidationFailed.field('new_password', 'must differ from the current password');
    const passwordHash = await hashPassword(newPassword);
    return this.dataSource.transaction(async (manager) => {
      await manager.update(OperatorEntity, { id: operator.id }, { passwordHash, failedLogins: 0, lockedUntil: null });
      const revoked = await revokeAllSessions(manager, operator.id, 'password changed', operator.sessionId);
      await recordAudit(manager, actor, { action: 'operator.password_changed', entity: 'operator', entityId: operator.id, after: { password: 'changed', other_sessions: 'revoked' } });
      return { revoked };
    });
  }

  /** The operator row with its TOTP columns, which are never selected otherwise. */
  async withSecrets(operatorId: string, manager: EntityManager = this.dataSource.manager): Promise<OperatorEntity | null> {
    return manager
      .getRepository(OperatorEntity)
      .createQueryBuilder('o')
      .addSelect(['o.totpSecretEnc', 'o.totpPendingEnc', 'o.totpLastStep'])
      .where('o.id = :id', { id: operatorId })
      .getOne();
  }

  /**
   * Checks a code against a sealed secret, with the lock-out: LOGIN_MAX_FAILURES wrong codes lock the
   * second factor for LOGIN_LOCKOUT_SECONDS. A right code records its time step so it works once.
   */
  async checkCode(operator: OperatorEntity, sealedSecret: string, code: string, actor: Actor): Promise<void> {
    if (operator.mfaLockedUntil && operator.mfaLockedUntil > new Date()) {
      await recordAudit(this.dataSource.manager, actor, { action: 'auth.mfa_refused', entity: 'operator', entityId: operator.id, reason: 'locked out' });
      throw lockedOut(operator.mfaLockedUntil, 'wrong codes');
    }
    const lastStep = operator.totpLastStep === null ? null : Number(operator.totpLastStep);
    const step = verifyTotp(this.secrets.open(sealedSecret), code, lastStep);
    if (step === null) {
      await this.dataSource.transaction(async (manager) => {
        const [[row]]: [Array<{ mfa_failures: number }>, number] = await manager.query(
          `UPDATE operators
              SET mfa_failures = mfa_failures + 1,
                  mfa_locked_until = CASE WHEN mfa_failures + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE mfa_locked_until END
            WHERE id = $1 RETURNING mfa_failures`,
          [operator.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCKOUT_SECONDS],
        );
        const locked = row.mfa_failures >= this.config.LOGIN_MAX_FAILURES;
        await recordAudit(manager, actor, { action: locked ? 'auth.mfa_locked_out' : 'auth.mfa_failed', entity: 'operator', entityId: operator.id, reason: locked ? `${row.mfa_failures} wrong codes` : 'wrong code' });
      });
      throw ValidationFailed.field('code', 'is not the current code of your authenticator app (or was already used)');
    }
    // Conditional on the step, so two requests racing with the same code cannot both pass.
    const [, updated]: [unknown, number] = await this.dataSource.query(
      `UPDATE operators SET totp_last_step = $2, mfa_failures = 0, mfa_locked_until = NULL
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [operator.id, step],
    );
    if (updated !== 1) throw ValidationFailed.field('code', 'is not the current code of your authenticator app (or was already used)');
  }

  /** A session row and its token. */
  async issue(manager: EntityManager, operator: OperatorEntity, scope: SessionScope, mfa: boolean, ctx: SessionMeta): Promise<LoginResponse> {
    const session = await createSession(manager, operator.id, scope, mfa, ctx, this.config.JWT_TTL_SECONDS);
    const claims: TokenClaims = { sub: operator.id, role: operator.role, ver: operator.tokenVersion, sid: session.id };
    const token = await this.jwt.signAsync(claims, { audience: SESSION_AUDIENCE, expiresIn: this.config.JWT_TTL_SECONDS });
    return { token, expires_at: session.expiresAt.toISOString(), operator: toOperatorDto(operator) };
  }

  private async recordFailure(operator: OperatorEntity, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Counted in SQL so concurrent wrong guesses cannot undercount.
      // An UPDATE through TypeORM's query() answers [rows, affected count].
      const [[row]]: [Array<{ failed_logins: number; locked_until: Date | null }>, number] = await manager.query(
        `UPDATE operators
            SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
          WHERE id = $1
          RETURNING failed_logins, locked_until`,
        [operator.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCKOUT_SECONDS],
      );
      const lockedOut = row.failed_logins >= this.config.LOGIN_MAX_FAILURES;
      await recordAudit(manager, actor, {
        action: lockedOut ? 'auth.locked_out' : 'auth.login_failed',
        entity: 'operator',
        entityId: operator.id,
        reason: lockedOut ? `${row.failed_logins} failed logins` : 'wrong password',
      });
    });
  }
}

function lockedOut(until: Date, what: string): TooManyRequests {
  return new TooManyRequests(`too many ${what}: locked until ${until.toISOString()}`, undefined, { locked_until: until.toISOString() });
}

function normalizeContext(context: RequestContext | string | null): RequestContext {
  if (context === null || typeof context === 'string') return { requestId: context, ip: null, userAgent: null };
  return context;
}

export function actorOf(operator: Pick<AuthenticatedOperator, 'id' | 'email' | 'role'>, requestId: string | null): Actor {
  return { operatorId: operator.id, email: operator.email, role: operator.role, requestId };
}
