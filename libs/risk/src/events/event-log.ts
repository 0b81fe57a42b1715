import type { DataSource, EntityManager } from 'typeorm';
import type { FeatureStore } from '../features/feature-store';
import type { AfterCommitHooks } from '../shared/after-commit';
import { EventRow, fromRow, insertEventParams, insertEventSql, SELECT_EVENT_COLUMNS, StoredEvent } from './stored-event';

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

  /** The stored event of a kind and ref, if any. */
  async find(kind: StoredEvent['kind'], ref: string, manager?: EntityManager): Promise<StoredEvent | null> {
    const runner = manager ?? this.db.manager;
    const [row]: EventRow[] = await runner.query(`SELECT ${SELECT_EVENT_COLUMNS} FROM risk_events WHERE kind = $1 AND ref = $2`, [kind, ref]);
    return row ? fromRow(row) : null;
  }
}
