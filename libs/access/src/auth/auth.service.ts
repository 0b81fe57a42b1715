import type { Config } from '@coinops/config';
import { TooManyRequests, Unauthenticated, type LoginResponse, type Role } from '@coinops/contracts';
import { JwtService } from '@nestjs/jwt';
import type { DataSource } from 'typeorm';
import { recordAudit } from '../audit/audit';
import type { Actor } from '../audit/actor';
import { OperatorEntity, toOperatorDto } from '../operators/operator.entity';
import { dummyPasswordHash, verifyPassword } from '../operators/passwords';

/** The claims coinops signs into an operator's token. */
export interface TokenClaims {
  sub: string;
  role: Role;
  /** The operator's token_version when issued: bumping it revokes every earlier token. */
  ver: number;
}

export interface AuthenticatedOperator {
  id: string;
  email: string;
  name: string;
  role: Role;
}

const MAX_EMAIL_LENGTH = 254;

export class AuthService {
  private readonly jwt: JwtService;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS' | 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCKOUT_SECONDS'>,
  ) {
    this.jwt = new JwtService({
      secret: config.JWT_SECRET,
      signOptions: { algorithm: 'HS256', expiresIn: config.JWT_TTL_SECONDS, issuer: 'coinops' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'coinops' },
    });
  }

  /**
   * Email and password in, token out. Wrong passwords count towards a lock-out; while locked,
   * even the right password is refused, and the answer says until when.
   */
  async login(email: string, password: string, requestId: string | null): Promise<LoginResponse> {
    const normalized = email.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH);
    const operator = await this.dataSource
      .getRepository(OperatorEntity)
      .createQueryBuilder('o')
      .addSelect('o.passwordHash')
      .where('o.email = :email', { email: normalized })
      .getOne();
    const actor: Actor = { operatorId: operator?.id ?? null, email: normalized, role: operator?.role ?? null, requestId };

    if (!operator) {
      await verifyPassword(await dummyPasswordHash(), password);
      await recordAudit(this.dataSource.manager, actor, { action: 'auth.login_failed', entity: 'operator', reason: 'unknown email' });
      throw new Unauthenticated('wrong email or password');
    }
    const now = new Date();
    if (operator.lockedUntil && operator.lockedUntil > now) {
      await recordAudit(this.dataSource.manager, actor, { action: 'auth.login_refused', entity: 'operator', entityId: operator.id, reason: 'locked out' });
      throw new TooManyRequests(`too many failed logins: locked until ${operator.lockedUntil.toISOString()}`, undefined, {
        locked_until: operator.lockedUntil.toISOString(),
      });
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

    return this.dataSource.transaction(async (manager) => {
      await manager.update(OperatorEntity, { id: operator.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
      await recordAudit(manager, actor, { action: 'auth.login', entity: 'operator', entityId: operator.id });
      const claims: TokenClaims = { sub: operator.id, role: operator.role, ver: operator.tokenVersion };
      const token = await this.jwt.signAsync(claims);
      const expiresAt = new Date(now.getTime() + this.config.JWT_TTL_SECONDS * 1000);
      return { token, expires_at: expiresAt.toISOString(), operator: toOperatorDto({ ...operator, lastLoginAt: now }) };
    });
  }

  /** Verifies a bearer token against its signature, expiry, and the operator's current state. */
  async authenticate(token: string): Promise<AuthenticatedOperator> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch (error) {
      const expired = (error as Error)?.name === 'TokenExpiredError';
      throw new Unauthenticated(expired ? 'token expired' : 'invalid token');
    }
    if (typeof claims.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(claims.sub)) throw new Unauthenticated('invalid token');
    const operator = await this.dataSource.getRepository(OperatorEntity).findOne({ where: { id: claims.sub } });
    if (!operator || operator.disabled) throw new Unauthenticated('operator disabled or unknown');
    if (operator.tokenVersion !== claims.ver) throw new Unauthenticated('token revoked: sign in again');
    return { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
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
