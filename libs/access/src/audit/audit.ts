import type { EntityManager } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';
import type { Actor } from './actor';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Writes an audit row with the caller's transaction manager, so the row commits together with
 * the change it describes, or not at all.
 */
export async function recordAudit(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<AuditEventEntity> {
  const row = manager.create(AuditEventEntity, {
    actorId: actor.operatorId,
    actorEmail: actor.email,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
    requestId: actor.requestId,
  });
  return manager.save(AuditEventEntity, row);
}
