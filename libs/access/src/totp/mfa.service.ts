import { Conflict, ValidationFailed, type LoginResponse } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { recordAudit } from '../audit/audit';
import type { Actor } from '../audit/actor';
import { actorOf, type AuthenticatedOperator, type AuthService, type RequestContext } from '../auth/auth.service';
import { OperatorEntity, toOperatorDto } from '../operators/operator.entity';
import { revokeAllSessions } from '../sessions/sessions';
import { NotFound, type OperatorDto } from '@coinops/contracts';
import { newTotpSecret, totpQrDataUrl, totpUri } from './totp';

export interface MfaStatus {
  enabled: boolean;
  required: boolean;
  enrolment_pending: boolean;
  enabled_at: string | null;
}

export interface MfaEnrolment {
  /** Shown once, for typing into an app that cannot scan; never readable again. */
  secret: string;
  otpauth_url: string;
  qr_data_url: string;
}

/** TOTP enrolment (QR code → first code), self-service removal where the role allows, and the admin's reset. */
export class MfaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
  ) {}

  async status(operator: AuthenticatedOperator): Promise<MfaStatus> {
    const row = (await this.auth.withSecrets(operator.id))!;
    return {
      enabled: row.totpEnabledAt != null,
      required: this.auth.requiredRoles.has(row.role),
      enrolment_pending: row.totpPendingEnc != null,
      enabled_at: row.totpEnabledAt?.toISOString() ?? null,
    };
  }

  /** A new secret, kept pending (sealed) until a code from it is confirmed; an enrolled factor stays until then. */
  async enrol(operator: AuthenticatedOperator, requestId: string | null): Promise<MfaEnrolment> {
    const row = (await this.auth.withSecrets(operator.id))!;
    if (row.totpEnabledAt) throw new Conflict('a second factor is already enrolled; remove it first (or ask an admin to reset it)', [{ field: 'totp', message: 'already enrolled' }]);
    const secret = newTotpSecret();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(OperatorEntity, { id: operator.id }, { totpPendingEnc: this.auth.secrets.seal(secret) });
      await recordAudit(manager, actorOf(operator, requestId), { action: 'operator.mfa_enrolment_started', entity: 'operator', entityId: operator.id });
    });
    const otpauthUrl = totpUri(secret, row.email);
    return { secret, otpauth_url: otpauthUrl, qr_data_url: await totpQrDataUrl(otpauthUrl) };
  }

  /**
   * The first code from the app turns the pending secret on. The other sessions end; an enrolment-only
   * session is replaced by a full one, returned here.
   */
  async confirm(operator: AuthenticatedOperator, code: string, ctx: RequestContext): Promise<LoginResponse> {
    const row = (await this.auth.withSecrets(operator.id))!;
    if (!row.totpPendingEnc) throw ValidationFailed.field('code', 'no enrolment is pending: start one first');
    const actor = actorOf(operator, ctx.requestId);
    await this.auth.checkCode(row, row.totpPendingEnc, code, actor);
    return this.dataSource.transaction(async (manager) => {
      await manager.update(OperatorEntity, { id: operator.id }, { totpSecretEnc: row.totpPendingEnc, totpPendingEnc: null, totpEnabledAt: new Date() });
      await revokeAllSessions(manager, operator.id, 'second factor enrolled');
      await recordAudit(manager, actor, { action: 'operator.mfa_enrolled', entity: 'operator', entityId: operator.id, after: { mfa_enabled: true } });
      const fresh = (await manager.findOne(OperatorEntity, { where: { id: operator.id } }))!;
      return this.auth.issue(manager, fresh, 'full', true, ctx);
    });
  }

  /** The operator removes their own factor with a current code; refused where the role requires one. */
  async disable(operator: AuthenticatedOperator, code: string, requestId: string | null): Promise<MfaStatus> {
    const row = (await this.auth.withSecrets(operator.id))!;
    if (this.auth.requiredRoles.has(row.role)) throw new Conflict(`a second factor is required for the ${row.role} role`, [{ field: 'totp', message: 'is required for your role' }]);
    if (!row.totpSecretEnc) throw new Conflict('no second factor is enrolled', [{ field: 'totp', message: 'not enrolled' }]);
    const actor = actorOf(operator, requestId);
    await this.auth.checkCode(row, row.totpSecretEnc, code, actor);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(OperatorEntity, { id: operator.id }, { totpSecretEnc: null, totpPendingEnc: null, totpEnabledAt: null, totpLastStep: null });
      await recordAudit(manager, actor, { action: 'operator.mfa_removed', entity: 'operator', entityId: operator.id, after: { mfa_enabled: false } });
    });
    return this.status(operator);
  }

  /** Recovery for a lost device: an admin clears another operator's factor and ends their sessions. */
  async reset(actor: Actor, operatorId: string, reason: string): Promise<OperatorDto> {
    if (actor.operatorId === operatorId) throw new Conflict('an admin cannot reset their own second factor; ask another admin', [{ field: 'id', message: 'cannot apply to yourself' }]);
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(OperatorEntity, { where: { id: operatorId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFound('operator', operatorId);
      const before = { mfa_enabled: row.totpEnabledAt != null };
      await manager.update(OperatorEntity, { id: operatorId }, {
        totpSecretEnc: null, totpPendingEnc: null, totpEnabledAt: null, totpLastStep: null, mfaFailures: 0, mfaLockedUntil: null, tokenVersion: row.tokenVersion + 1,
      });
      await revokeAllSessions(manager, operatorId, 'second factor reset by an admin');
      await recordAudit(manager, actor, { action: 'operator.mfa_reset', entity: 'operator', entityId: operatorId, before, after: { mfa_enabled: false, sessions: 'revoked' }, reason });
      return toOperatorDto({ ...row, totpEnabledAt: null });
    });
  }
}
