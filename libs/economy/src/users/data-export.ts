import { recordAudit, type Actor } from '@coinops/access';
import { NotFound } from '@coinops/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Everything coinops stores about one user, for a data-access request (GDPR art. 15): admin only, audited.
 *
 * Sources are found three ways, so a table added later is not forgotten:
 * 1. every table with a `user_id` or `sender_id` column (recharges, gifts, risk events and decisions,
 *    reviews, refunds, chargebacks, notes, …), found in the catalog at export time;
 * 2. every table with a `recharge_id` column and no `user_id`, through the user's recharges, and every
 *    table with a `creator_id`, through the creator accounts the user holds (gifts received, payouts);
 * 3. the registry below, for what names the user another way (ledger accounts and postings, audit rows,
 *    platform events, adjustments); another flow adds its own with `registerUserDataSource`.
 */
export interface UserDataSource {
  /** The key of the source in the export, e.g. `ledger_postings`. */
  name: string;
  /** Rows naming the user; `context` has the ids already collected (recharges, review items, …). */
  collect(manager: EntityManager, userId: string, context: ExportContext): Promise<unknown[]>;
}

export interface ExportContext {
  /** Ids of every collected row by source name, for sources that join through them (the audit trail). */
  ids: Map<string, string[]>;
}

export interface UserDataExport {
  user_id: string;
  exported_at: string;
  exported_by: string | null;
  /** Rows per source; a source holding more than MAX_ROWS_PER_SOURCE rows is cut there and named in `truncated`. */
  sources: Record<string, unknown[]>;
  truncated: string[];
}

export const MAX_ROWS_PER_SOURCE = 50_000;
/** Columns never exported, even about the user themself: secrets of the system, not data about a person. */
const NEVER_EXPORTED = new Set(['password_hash', 'totp_secret_enc', 'totp_pending_enc', 'body_hash']);

const registry: UserDataSource[] = [];

/** Adds a source to every export (call once, at module load of the flow that owns the table). */
export function registerUserDataSource(source: UserDataSource): void {
  if (registry.some((s) => s.name === source.name)) return;
  registry.push(source);
}

const tableExists = async (manager: EntityManager, table: string) =>
  (await manager.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`public.${table}`]))[0].present as boolean;

registerUserDataSource({
  name: 'ledger_accounts',
  collect: (manager, userId) => manager.query(`SELECT * FROM ledger_accounts WHERE kind = 'user' AND owner_id = $1 ORDER BY id LIMIT ${MAX_ROWS_PER_SOURCE + 1}`, [userId]),
});
registerUserDataSource({
  name: 'ledger_postings',
  collect: (manager, userId) =>
    manager.query(
      `SELECT p.*, a.code AS account_code FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE a.kind = 'user' AND a.owner_id = $1 ORDER BY p.id LIMIT ${MAX_ROWS_PER_SOURCE + 1}`,
      [userId],
    ),
});
registerUserDataSource({
  name: 'platform_events',
  collect: (manager, userId) =>
    manager.query(
      `SELECT id, type, occurred_at, data, status, response_status, received_at, handled_at FROM platform_events
        WHERE data->>'user_id' = $1 OR data->>'sender_id' = $1 ORDER BY received_at LIMIT ${MAX_ROWS_PER_SOURCE + 1}`,
      [userId],
    ),
});
registerUserDataSource({
  name: 'provider_events',
  collect: (manager, userId) =>
    manager.query(
      `SELECT e.* FROM provider_events e
        WHERE EXISTS (SELECT 1 FROM recharges r WHERE r.user_id = $1 AND r.provider = e.provider AND r.provider_ref = e.charge_id)
        ORDER BY e.id LIMIT ${MAX_ROWS_PER_SOURCE + 1}`,
      [userId],
    ),
});
registerUserDataSource({
  name: 'adjustments',
  collect: async (manager, userId) =>
    (await tableExists(manager, 'adjustments'))
      ? manager.query(`SELECT * FROM adjustments WHERE target = 'user' AND target_id = $1 ORDER BY created_at LIMIT ${MAX_ROWS_PER_SOURCE + 1}`, [userId])
      : [],
});
registerUserDataSource({
  name: 'audit_events',
  collect: (manager, userId, context) => {
    const ids = [userId, ...[...context.ids.values()].flat()];
    return manager.query(`SELECT * FROM audit_events WHERE entity_id = ANY($1::text[]) ORDER BY id LIMIT ${MAX_ROWS_PER_SOURCE + 1}`, [ids]);
  },
});

/** Collects every source (audit last, so it can follow the rows found before it) and audits the export. */
export async function exportUserData(dataSource: DataSource, actor: Actor, userId: string): Promise<UserDataExport> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const [user] = await manager.query(`SELECT * FROM users WHERE id = $1`, [userId]);
    if (!user) throw new NotFound('user', userId);
    const result: UserDataExport = { user_id: userId, exported_at: new Date().toISOString(), exported_by: actor.email, sources: { users: [clean(user)] }, truncated: [] };
    const context: ExportContext = { ids: new Map() };
    const keep = (name: string, rows: unknown[]) => {
      if (rows.length > MAX_ROWS_PER_SOURCE) result.truncated.push(name);
      const kept = rows.slice(0, MAX_ROWS_PER_SOURCE).map(clean);
      result.sources[name] = kept;
      context.ids.set(name, kept.map((r) => (r as { id?: unknown }).id).filter((id) => id !== undefined && id !== null).map(String));
    };

    const columns: Array<{ table: string; column: string }> = await manager.query(
      `SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' AND c.column_name IN ('user_id', 'sender_id', 'recharge_id', 'creator_id')
        ORDER BY c.table_name, c.column_name`,
    );
    const byTable = new Map<string, Set<string>>();
    for (const { table, column } of columns) byTable.set(table, (byTable.get(table) ?? new Set()).add(column));
    const direct = [...byTable].filter(([table, cols]) => table !== 'users' && (cols.has('user_id') || cols.has('sender_id')));
    for (const [table, cols] of direct) {
      const where = [cols.has('user_id') ? 'user_id::text = $1' : null, cols.has('sender_id') ? 'sender_id::text = $1' : null].filter(Boolean).join(' OR ');
      keep(table, await manager.query(`SELECT * FROM "${table}" WHERE ${where} LIMIT ${MAX_ROWS_PER_SOURCE + 1}`, [userId]));
    }
    const rechargeIds = context.ids.get('recharges') ?? [];
    for (const [table] of [...byTable].filter(([table, cols]) => cols.has('recharge_id') && !cols.has('user_id') && !cols.has('sender_id'))) {
      keep(table, rechargeIds.length ? await manager.query(`SELECT * FROM "${table}" WHERE recharge_id::text = ANY($1::text[]) LIMIT ${MAX_ROWS_PER_SOURCE + 1}`, [rechargeIds]) : []);
    }
    // A user who is also a creator: what names their creator account (gifts received, payouts, diamonds at risk).
    const creatorIds = context.ids.get('creators') ?? [];
    for (const [table] of [...byTable].filter(([table, cols]) => cols.has('creator_id') && table !== 'creators')) {
      keep(`${table}_as_creator`, creatorIds.length ? await manager.query(`SELECT * FROM "${table}" WHERE creator_id::text = ANY($1::text[]) LIMIT ${MAX_ROWS_PER_SOURCE + 1}`, [creatorIds]) : []);
    }
    const audit = registry.find((s) => s.name === 'audit_events')!;
    for (const source of registry.filter((s) => s !== audit)) keep(source.name, await source.collect(manager, userId, context));
    keep(audit.name, await audit.collect(manager, userId, context));

    const counts = Object.fromEntries(Object.entries(result.sources).map(([name, rows]) => [name, rows.length]));
    await recordAudit(manager, actor, { action: 'user.data_exported', entity: 'user', entityId: userId, after: { rows: counts, truncated: result.truncated } });
    return result;
  });
}

function clean(row: unknown): unknown {
  if (!row || typeof row !== 'object') return row;
  return Object.fromEntries(Object.entries(row as Record<string, unknown>).filter(([key]) => !NEVER_EXPORTED.has(key)));
}
