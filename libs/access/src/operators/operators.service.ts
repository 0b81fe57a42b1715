import { Conflict, NotFound, ROLES, ValidationFailed, type OperatorDto, type Role } from '@coinops/contracts';
import { enqueue, JOBS } from '@coinops/outbox';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '../audit/audit';
import type { Actor } from '../audit/actor';
import { OperatorEntity, toOperatorDto } from './operator.entity';
import { hashPassword } from './passwords';
import { DEFAULT_PASSWORD_MIN_LENGTH, passwordProblem } from '../passwords/policy';
import { revokeAllSessions } from '../sessions/sessions';
import { applyListQuery, type ListQuery, type ListSpec } from '@coinops/db';

export const OPERATORS_LIST: ListSpec = {
  resource: 'operators',
  sortable: { email: 'o.email', name: 'o.name', role: 'o.role', created_at: 'o.created_at', last_login_at: 'o.last_login_at' },
  filters: {
    id: { column: 'o.id', type: 'uuid' },
    role: { column: 'o.role', type: 'enum', values: ROLES },
    disabled: { column: 'o.disabled', type: 'bool' },
    email: { column: 'o.email', type: 'text', op: 'ilike' },
  },
  search: ['o.id', 'o.email', 'o.name'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'o.id',
};

export interface CreateOperator {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export interface UpdateOperator {
  name?: string;
  role?: Role;
  disabled?: boolean;
  reason?: string;
}

/** Operators are never deleted: disabling keeps the audit trail's actors resolvable. */
export class OperatorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwordMinLength = DEFAULT_PASSWORD_MIN_LENGTH,
  ) {}

  async list(list: ListQuery): Promise<{ rows: OperatorDto[]; total: number }> {
    const qb = applyListQuery(this.dataSource.getRepository(OperatorEntity).createQueryBuilder('o'), list, OPERATORS_LIST);
    const [rows, total] = await qb.getManyAndCount();
    return { rows: rows.map(toOperatorDto), total };
  }

  async get(id: string): Promise<OperatorDto> {
    return toOperatorDto(await this.find(this.dataSource.manager, id));
  }

  /** An operator's notifications, written by the worker from outbox jobs (newest first, at most 50). */
  async notifications(operatorId: string): Promise<Array<{ id: string; kind: string; message: string; created_at: string }>> {
    const rows: Array<{ id: string; kind: string; message: string; created_at: Date }> = await this.dataSource.query(
      `SELECT id::text AS id, kind, message, created_at FROM operator_notifications WHERE operator_id = $1 ORDER BY id DESC LIMIT 50`,
      [operatorId],
    );
    return rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
  }

  async create(actor: Actor, input: CreateOperator): Promise<OperatorDto> {
    const email = input.email.trim().toLowerCase();
    const problem = passwordProblem(input.password, this.passwordMinLength);
    if (problem) throw ValidationFailed.field('password', problem);
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(OperatorEntity, { where: { email } });
      if (existing) throw new Conflict(`an operator with email ${email} already exists`, [{ field: 'email', message: 'is already taken' }]);
      const row = await manager.save(OperatorEntity, manager.create(OperatorEntity, { email, name: input.name.trim(), role: input.role, passwordHash }));
      const dto = toOperatorDto(row);
      await recordAudit(manager, actor, { action: 'operator.created', entity: 'operator', entityId: row.id, after: dto });
      await notify(manager, row.id, 'account_created', `Your ${input.role} account was created by ${actor.email ?? 'the system'}.`);
      return dto;
    });
  }

  async update(actor: Actor, id: string, input: UpdateOperator): Promise<OperatorDto> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, id, true);
      const before = toOperatorDto(row);
      const demotesAdmin = row.role === 'admin' && !row.disabled && ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
      if (demotesAdmin) {
        if (actor.operatorId === id) throw new Conflict('an admin cannot disable or demote themselves; ask another admin', [{ field: input.disabled ? 'disabled' : 'role', message: 'cannot apply to yourself' }]);
        await assertAnotherActiveAdmin(manager, id);
      }
      if (input.name !== undefined) row.name = input.name.trim();
      const revokes = (input.role !== undefined && input.role !== row.role) || (input.disabled === true && !row.disabled);
      if (input.role !== undefined) row.role = input.role;
      if (input.disabled !== undefined) row.disabled = input.disabled;
      if (revokes) row.tokenVersion += 1;
      const saved = await manager.save(OperatorEntity, row);
      if (revokes) await revokeAllSessions(manager, id, input.disabled ? 'account disabled' : 'role changed');
      const after = toOperatorDto(saved);
      if (JSON.stringify(before) === JSON.stringify(after)) return after;
      await recordAudit(manager, actor, { action: 'operator.updated', entity: 'operator', entityId: id, before, after, reason: input.reason ?? null });
      const changes = [
        before.role !== after.role ? `role is now ${after.role}` : null,
        before.disabled !== after.disabled ? (after.disabled ? 'account disabled' : 'account enabled') : null,
        before.name !== after.name ? `name is now ${after.name}` : null,
      ].filter(Boolean);
      await notify(manager, id, 'account_changed', `${actor.email ?? 'The system'} changed your account: ${changes.join(', ')}.`);
      return after;
    });
  }

  async resetPassword(actor: Actor, id: string, password: string, reason: string): Promise<OperatorDto> {
    const problem = passwordProblem(password, this.passwordMinLength);
    if (problem) throw ValidationFailed.field('password', problem);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, id, true);
      row.passwordHash = passwordHash;
      row.tokenVersion += 1;
      row.failedLogins = 0;
      row.lockedUntil = null;
      const saved = await manager.save(OperatorEntity, row);
      await revokeAllSessions(manager, id, 'password reset by an admin');
      const dto = toOperatorDto(saved);
      // The audit row records that the password changed, never the password or its hash.
      await recordAudit(manager, actor, { action: 'operator.password_reset', entity: 'operator', entityId: id, after: { password: 'changed', sessions: 'revoked' }, reason });
      await notify(manager, id, 'password_reset', `${actor.email ?? 'The system'} reset your password; sign in again.`);
      return dto;
    });
  }

  private async find(manager: EntityManager, id: string, lock = false): Promise<OperatorEntity> {
    const row = await manager.findOne(OperatorEntity, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) throw new NotFound('operator', id);
    return row;
  }
}

async function assertAnotherActiveAdmin(manager: EntityManager, exceptId: string): Promise<void> {
  const [{ count }] = await manager.query(
    `SELECT count(*)::int AS count FROM operators WHERE role = 'admin' AND NOT disabled AND id <> $1`,
    [exceptId],
  );
  if (count < 1) throw new Conflict('this is the last active admin; make another admin first');
}

function notify(manager: EntityManager, operatorId: string, kind: string, message: string) {
  return enqueue(manager, JOBS.operatorNotification, { operator_id: operatorId, kind, message });
}
