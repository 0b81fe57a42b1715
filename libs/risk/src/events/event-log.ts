import type { DataSource, EntityManager } from 'typeorm';
import type { FeatureStore } from '../features/feature-store';
import type { AfterCommitHooks } from '../shared/after-commit';
import { EVENT_COLUMNS, EventRow, fromRow, insertEventParams, insertEventSql, SELECT_EVENT_COLUMNS, StoredEvent } from './stored-event';

/** Rows per insert (one array parameter per column): bounds the size of one statement. */
const APPEND_CHUNK = 1_000;

/**
 * `risk_events` writes. Inside the caller's transaction the row commits with the caller's business
 * write, and its Redis mirror is written after that commit (a rolled-back recharge must not count).
 * A lost mirror write is repaired by the rebuild (see FeatureStore).
 */
export class EventLog {
  constructor(
    private readonly db: DataSource,
    private readonly store: FeatureStore,
    private readonly afterCommit: AfterCommitHooks,
  ) {}

  /**
   * Stores an event once (same kind and ref twice: the first row wins) and mirrors the stored row.
   * Returns its id, whether this call inserted it, and the row as stored.
   */
  async append(event: StoredEvent, manager?: EntityManager): Promise<{ id: string; inserted: boolean; stored: StoredEvent }> {
    const runner = manager ?? this.db.manager;
    const inserted: { id: string }[] = await runner.query(insertEventSql(), insertEventParams(event));
    let stored = event;
    let id = inserted[0]?.id;
    if (!id) {
      const [row]: EventRow[] = await runner.query(`SELECT ${SELECT_EVENT_COLUMNS} FROM risk_events WHERE kind = $1 AND ref = $2`, [event.kind, event.ref]);
      stored = fromRow(row);
      id = row.id;
    }
    await this.afterCommit.run(manager, () => this.store.mirror([stored]));
    return { id: String(id), inserted: Boolean(inserted[0]?.id), stored };
  }

  /**
   * `append` for many events in one statement (plus one read of those stored before), mirrored
   * together after the caller's commit. Same result as appending each in turn.
   */
  async appendMany(events: StoredEvent[], manager?: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const runner = manager ?? this.db.manager;
    const stored: StoredEvent[] = [];
    for (let start = 0; start < events.length; start += APPEND_CHUNK) {
      const chunk = events.slice(start, start + APPEND_CHUNK);
      const rows = chunk.map(insertEventParams);
      const inserted: { kind: string; ref: string }[] = await runner.query(
        `INSERT INTO risk_events (${EVENT_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                              $10::bigint[], $11::text[], $12::bigint[], $13::text[], $14::boolean[], $15::text[])
         ON CONFLICT (kind, ref) DO NOTHING RETURNING kind, ref`,
        Array.from({ length: 15 }, (_, i) => rows.map((values) => values[i])),
      );
      const fresh = new Set(inserted.map((row) => `${row.kind}|${row.ref}`));
      const old = chunk.filter((event) => !fresh.has(`${event.kind}|${event.ref}`));
      stored.push(...chunk.filter((event) => fresh.has(`${event.kind}|${event.ref}`)));
      if (old.length) {
        const rows: EventRow[] = await runner.query(
          `SELECT ${SELECT_EVENT_COLUMNS} FROM risk_events WHERE (kind, ref) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
          [old.map((e) => e.kind), old.map((e) => e.ref)],
        );
        stored.push(...rows.map(fromRow));
      }
    }
    await this.afterCommit.run(manager, () => this.store.mirror(stored));
  }

  /** The stored event of a kind and ref, if any. */
  async find(kind: StoredEvent['kind'], ref: string, manager?: EntityManager): Promise<StoredEvent | null> {
    const runner = manager ?? this.db.manager;
    const [row]: EventRow[] = await runner.query(`SELECT ${SELECT_EVENT_COLUMNS} FROM risk_events WHERE kind = $1 AND ref = $2`, [kind, ref]);
    return row ? fromRow(row) : null;
  }
}
