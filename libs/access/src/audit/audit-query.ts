import type { AuditEventDto } from '@coinops/contracts';
import { applyListQuery, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';

export const AUDIT_LIST: ListSpec = {
  resource: 'audit-events',
  sortable: { id: 'a.id', created_at: 'a.created_at', action: 'a.action', entity: 'a.entity' },
  filters: {
    id: { column: 'a.id', type: 'bigint' },
    action: { column: 'a.action', type: 'text' },
    entity: { column: 'a.entity', type: 'text' },
    entity_id: { column: 'a.entity_id', type: 'text' },
    actor_id: { column: 'a.actor_id', type: 'uuid' },
    actor_email: { column: 'a.actor_email', type: 'text' },
    request_id: { column: 'a.request_id', type: 'text' },
    created_at_gte: { column: 'a.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'a.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['a.id', 'a.entity_id', 'a.actor_email', 'a.action', 'a.request_id'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'a.id',
};

export function toAuditDto(row: AuditEventEntity): AuditEventDto {
  return {
    id: String(row.id),
    actor_id: row.actorId,
    actor_email: row.actorEmail,
    action: row.action,
    entity: row.entity,
    entity_id: row.entityId,
    before: row.before,
    after: row.after,
    reason: row.reason,
    request_id: row.requestId,
    created_at: row.createdAt.toISOString(),
  };
}

export async function listAuditEvents(dataSource: DataSource, list: ListQuery): Promise<{ rows: AuditEventDto[]; total: number }> {
  const qb = applyListQuery(dataSource.getRepository(AuditEventEntity).createQueryBuilder('a'), list, AUDIT_LIST);
  const [rows, total] = await qb.getManyAndCount();
  return { rows: rows.map(toAuditDto), total };
}
