import type Redis from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { Conflict, NotFound, ValidationFailed } from '@coinops/contracts';
import type { ErrorDetail } from '@coinops/contracts';
import { listMember, MAX_EXPIRY_MS, RiskKeys } from '../features/redis-keys';
import type { AfterCommitHooks } from '../shared/after-commit';
import { IDENTIFIER } from '../events/stored-event';
import { LIST_KINDS, LIST_NAMES, ListEntry, ListKind, ListName, NewListEntry } from '../types';

const MAX_PAGE = 1_000;

interface EntryRow {
  id: string;
  list: ListName;
  kind: ListKind;
  value: string;
  reason: string;
  author: string;
  expires_at: Date | null;
  created_at: Date;
  removed_at: Date | null;
  removed_by: string | null;
  removal_reason: string | null;
}

function toEntry(row: EntryRow): ListEntry {
  return {
    id: row.id,
    list: row.list,
    kind: row.kind,
    value: row.value,
    reason: row.reason,
    author: row.author,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    createdAt: new Date(row.created_at),
    removedAt: row.removed_at ? new Date(row.removed_at) : null,
    removedBy: row.removed_by,
    removalReason: row.removal_reason,
  };
}

/** The form a value is stored and looked up in: domains lower case, countries upper case. */
export function normalizeListValue(kind: ListKind, value: string): string {
  const trimmed = value.trim();
  if (kind === 'email_domain') return trimmed.toLowerCase().replace(/^@/, '');
  if (kind === 'bin_country') return trimmed.toUpperCase();
  return trimmed;
}

const VALUE_RULES: Record<ListKind, [RegExp, string]> = {
  card: [IDENTIFIER, 'must be a card fingerprint (1-200 characters, no "|" or control characters)'],
  device: [IDENTIFIER, 'must be a device id (1-200 characters, no "|" or control characters)'],
  ip: [/^[0-9a-fA-F.:]{2,45}$/, 'must be an IPv4 or IPv6 address'],
  user: [IDENTIFIER, 'must be a user id (1-200 characters, no "|" or control characters)'],
  bin: [/^[0-9]{6,8}$/, 'must be the 6 to 8 first digits of a card'],
  bin_country: [/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'],
  email_domain: [/^(?=.{3,200}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain name such as example.com'],
};

/**
 * Block and allow lists. PostgreSQL holds every entry with its history (removal is a stamp, not a
 * delete); Redis holds, per list and kind, each listed value with its latest expiry, read in the
 * same round trip as the features.
 */
export class ListStore {
  constructor(
    private readonly db: DataSource,
    private readonly redis: Redis,
    private readonly keys: RiskKeys,
    private readonly afterCommit: AfterCommitHooks,
  ) {}

  async add(input: NewListEntry, manager?: EntityManager, now = new Date()): Promise<ListEntry> {
    const problems: ErrorDetail[] = [];
    if (!LIST_NAMES.includes(input?.list)) problems.push({ field: 'list', message: `must be one of ${LIST_NAMES.join(', ')}` });
    if (!LIST_KINDS.includes(input?.kind)) problems.push({ field: 'kind', message: `must be one of ${LIST_KINDS.join(', ')}` });
    if (typeof input?.reason !== 'string' || input.reason.trim().length < 1 || input.reason.length > 1000) problems.push({ field: 'reason', message: 'must be 1-1000 characters' });
    if (typeof input?.author !== 'string' || input.author.length < 1 || input.author.length > 200) problems.push({ field: 'author', message: 'must be 1-200 characters' });
    if (problems.length) throw new ValidationFailed(problems);
    const value = normalizeListValue(input.kind, String(input.value ?? ''));
    const [pattern, message] = VALUE_RULES[input.kind];
    if (!pattern.test(value)) throw ValidationFailed.field('value', message);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt && (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()) || expiresAt <= now)) {
      throw ValidationFailed.field('expires_at', 'must be a date in the future');
    }
    const [row]: EntryRow[] = await (manager ?? this.db.manager).query(
      `INSERT INTO list_entries (list, kind, value, reason, author, expires_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
      [input.list, input.kind, value, input.reason.trim(), input.author, expiresAt],
    );
    const expiryMs = expiresAt ? expiresAt.getTime() : MAX_EXPIRY_MS;
    await this.afterCommit.run(manager, async () => {
      await this.redis.zadd(this.keys.list(input.list), 'GT', expiryMs, listMember(input.kind, value));
    });
    return toEntry(row);
  }

  /** Ends an entry now; the value stays listed while another active entry lists it. */
  async remove(id: string, removal: { by: string; reason: string }, manager?: EntityManager): Promise<ListEntry> {
    if (typeof removal?.by !== 'string' || removal.by.length < 1 || removal.by.length > 200) throw ValidationFailed.field('removed_by', 'must be 1-200 characters');
    if (typeof removal?.reason !== 'string' || removal.reason.trim().length < 1 || removal.reason.length > 1000) throw ValidationFailed.field('reason', 'must be 1-1000 characters');
    const runner = manager ?? this.db.manager;
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [EntryRow[], number] = await runner.query(
      `UPDATE list_entries SET removed_at = now(), removed_by = $2, removal_reason = $3
        WHERE id = $1::uuid AND removed_at IS NULL RETURNING *`,
      [this.uuid(id), removal.by, removal.reason.trim()],
    );
    const row = rows[0];
    if (!row) {
      const existing = await this.get(id, manager);
      throw new Conflict(`list entry ${id} was already removed`, undefined, { id: existing.id, removed_at: existing.removedAt });
    }
    await this.afterCommit.run(manager, () => this.refreshValue(row.list, row.kind, row.value));
    return toEntry(row);
  }

  async get(id: string, manager?: EntityManager): Promise<ListEntry> {
    const [row]: EntryRow[] = await (manager ?? this.db.manager).query(`SELECT * FROM list_entries WHERE id = $1::uuid`, [this.uuid(id)]);
    if (!row) throw new NotFound('list entry', id);
    return toEntry(row);
  }

  /** Entries, newest first; `active` keeps those neither removed nor expired. */
  async find(
    filter: { list?: ListName; kind?: ListKind; value?: string; active?: boolean; limit?: number; offset?: number } = {},
    manager?: EntityManager,
  ): Promise<ListEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.list) where.push(`list = $${params.push(filter.list)}`);
    if (filter.kind) where.push(`kind = $${params.push(filter.kind)}`);
    if (filter.value !== undefined) where.push(`value = $${params.push(filter.kind ? normalizeListValue(filter.kind, filter.value) : filter.value)}`);
    if (filter.active) where.push(`removed_at IS NULL AND (expires_at IS NULL OR expires_at > now())`);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), MAX_PAGE);
    const offset = Math.max(filter.offset ?? 0, 0);
    const rows: EntryRow[] = await (manager ?? this.db.manager).query(
      `SELECT * FROM list_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** Sets a value's Redis score to its latest active expiry, or removes it when nothing lists it. */
  private async refreshValue(list: ListName, kind: ListKind, value: string): Promise<void> {
    const [row] = await this.db.query(
      `SELECT CASE WHEN bool_or(expires_at IS NULL) THEN NULL ELSE max(expires_at) END AS expires_at, count(*)::int AS active
         FROM list_entries
        WHERE list = $1 AND kind = $2 AND value = $3 AND removed_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [list, kind, value],
    );
    const key = this.keys.list(list);
    const member = listMember(kind, value);
    if (!row || Number(row.active) === 0) await this.redis.zrem(key, member);
    else await this.redis.zadd(key, row.expires_at ? new Date(row.expires_at).getTime() : MAX_EXPIRY_MS, member);
  }

  private uuid(id: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(id))) throw new NotFound('list entry', String(id));
    return id;
  }
}
