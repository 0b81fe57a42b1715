import type { ListSpec } from '@coinops/db';
import { LIST_KINDS, LIST_NAMES, type ListEntry } from '@coinops/risk';
import type { DataSource } from 'typeorm';
import { iso } from '../wire';

/** Active: neither removed nor expired, judged now. */
const ACTIVE = '(e.removed_at IS NULL AND (e.expires_at IS NULL OR e.expires_at > now()))';

export const LIST_ENTRIES_LIST: ListSpec = {
  resource: 'list-entries',
  sortable: { created_at: 'e.created_at', expires_at: 'e.expires_at', removed_at: 'e.removed_at', list: 'e.list', kind: 'e.kind', value: 'e.value', active: ACTIVE },
  filters: {
    id: { column: 'e.id', type: 'uuid' },
    list: { column: 'e.list', type: 'enum', values: LIST_NAMES },
    kind: { column: 'e.kind', type: 'enum', values: LIST_KINDS },
    value: { column: 'e.value', type: 'text' },
    active: { column: ACTIVE, type: 'bool' },
    author: { column: 'e.author', type: 'text' },
    created_at_gte: { column: 'e.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'e.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['e.id', 'e.value', 'e.reason', 'e.author'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'e.id',
};

interface EntryRow {
  id: string;
  list: string;
  kind: string;
  value: string;
  reason: string;
  author: string;
  expires_at: Date | null;
  created_at: Date;
  removed_at: Date | null;
  removed_by: string | null;
  removal_reason: string | null;
  active: boolean;
}

function dto(row: EntryRow) {
  return {
    id: row.id,
    list: row.list,
    kind: row.kind,
    value: row.value,
    reason: row.reason,
    author: row.author,
    expires_at: iso(row.expires_at),
    created_at: iso(row.created_at),
    removed_at: iso(row.removed_at),
    removed_by: row.removed_by,
    removal_reason: row.removal_reason,
    active: row.active,
  };
}
export type ListEntryDto = ReturnType<typeof dto>;
export const toListEntryDto = dto;

export function fromEngine(entry: ListEntry, now = new Date()): ListEntryDto {
  return dto({
    id: entry.id,
    list: entry.list,
    kind: entry.kind,
    value: entry.value,
    reason: entry.reason,
    author: entry.author,
    expires_at: entry.expiresAt,
    created_at: entry.createdAt,
    removed_at: entry.removedAt,
    removed_by: entry.removedBy,
    removal_reason: entry.removalReason,
    active: entry.removedAt === null && (entry.expiresAt === null || entry.expiresAt > now),
  });
}

export function listEntriesQuery(db: DataSource) {
  return db
    .createQueryBuilder()
    .select(['e.id AS id', 'e.list AS list', 'e.kind AS kind', 'e.value AS value', 'e.reason AS reason', 'e.author AS author', 'e.expires_at AS expires_at'])
    .addSelect(['e.created_at AS created_at', 'e.removed_at AS removed_at', 'e.removed_by AS removed_by', 'e.removal_reason AS removal_reason', `${ACTIVE} AS active`])
    .from('list_entries', 'e');
}
