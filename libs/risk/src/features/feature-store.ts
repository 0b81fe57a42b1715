import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { EvaluatedEvent, ListHit, ListKind, ListName, SubjectFacts } from '../types';
import { EventRow, fromRow, SELECT_EVENT_COLUMNS, StoredEvent } from '../events/stored-event';
import { DAY_MS, DISTINCT_WINDOW_MS, FeatureContext, FRAUD_RETENTION_MS, VELOCITY_RETENTION_MS, WINDOWS } from './catalog';
import { buildContext, listHits } from './context';
import { LuaScript } from './lua';
import { buildReadPlan, ReadPlan } from './read-plan';
import { EntityKind, FRAUD_KINDS, keyEntriesFor, listMember, MAX_EXPIRY_MS, RiskKeys } from './redis-keys';
import { FINISH_REBUILD, READ_FEATURES, WRITE_ENTRIES } from './scripts';

const readScript = new LuaScript(READ_FEATURES);
const writeScript = new LuaScript(WRITE_ENTRIES);
const finishRebuildScript = new LuaScript(FINISH_REBUILD);

/** Limits: members scanned per key per read, members kept per key, rows per rebuild batch. */
export const MAX_SCAN_PER_KEY = 5_000;
export const MAX_MEMBERS_PER_KEY = 20_000;
const REBUILD_BATCH_ROWS = 2_000;
const WRITE_BATCH_KEYS = 500;
const MAX_LIST_ENTRIES = 200_000;
/** Markers only matter while the epoch is missing; they expire so a half-finished recovery is redone. */
const MARKER_TTL_MS = DAY_MS;
const REBUILD_TOKEN_TTL_MS = 3_600_000;
const WINDOW_LENGTHS = WINDOWS.map((w) => w.ms).join(',');

export interface FeatureRead {
  context: FeatureContext;
  rulesToken: string;
  /** Block and allow entries that list this event's user, card, device, IP, BIN or email domain. */
  listHits: ListHit[];
  /** Whether entity keys had to be reloaded from PostgreSQL for this read. */
  rebuilt: boolean;
}

/** Velocity features in Redis, mirrored from and rebuilt from `risk_events` in PostgreSQL. */
export class FeatureStore {
  /** Set when a mirror write failed: the next read drops the epoch so keys are rebuilt from PostgreSQL. */
  private dirty = false;
  private fullRebuild: Promise<void> | null = null;
  /** Entity reloads in flight: concurrent reads of one missing entity share one reload. */
  private readonly reloading = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly db: DataSource,
    readonly keys: RiskKeys,
    private readonly onRebuildError: (error: unknown) => void,
  ) {}

  /** Writes events' entries to Redis (idempotent). A failure is remembered and repaired by a rebuild. */
  async mirror(events: StoredEvent[], nowMs = Date.now()): Promise<void> {
    try {
      await this.writeEntries(events.flatMap((event) => keyEntriesFor(this.keys, event)), nowMs);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private async writeEntries(entries: ReturnType<typeof keyEntriesFor>, nowMs: number): Promise<void> {
    for (let start = 0; start < entries.length; start += WRITE_BATCH_KEYS) {
      const batch = entries.slice(start, start + WRITE_BATCH_KEYS);
      const args: (string | number)[] = [nowMs, MAX_MEMBERS_PER_KEY];
      for (const entry of batch) args.push(entry.member, entry.scoreMs, entry.retentionMs);
      await writeScript.run(
        this.redis,
        batch.map((entry) => entry.key),
        args,
      );
    }
  }

  /**
   * Every feature of one event in one round trip. When Redis lost its data (no epoch), the
   * entities this event touches are reloaded from PostgreSQL first, and a full rebuild is started
   * in the background (when `autoRebuild`).
   */
  async read(event: EvaluatedEvent, subject: SubjectFacts, options: { nowMs: number; autoRebuild: boolean }): Promise<FeatureRead> {
    if (this.dirty) {
      await this.redis.del(this.keys.epoch);
      this.dirty = false;
    }
    const plan = buildReadPlan(this.keys, event, subject);
    let reply = await this.runRead(plan, event, options.nowMs);
    let rebuilt = false;
    if (reply[0] !== 1) {
      if (options.autoRebuild) this.startFullRebuild();
      const missing = plan.markers.filter((m) => reply[m.index + 1] !== 1);
      if (missing.length) {
        await Promise.all(missing.map((m) => this.reloadOnce(m.entity, m.value)));
        reply = await this.runRead(plan, event, options.nowMs);
        rebuilt = true;
      }
    }
    return { context: buildContext(reply, plan, event, subject), rulesToken: String(reply[plan.rulesToken + 1] ?? ''), listHits: listHits(reply, plan), rebuilt };
  }

  /**
   * The features of many events in one round trip (one pipeline of read scripts): the batched
   * evaluation's read. An event whose read needs a rebuild (no epoch) or whose script was not loaded
   * yet goes through `read` on its own, which handles both.
   */
  async readMany(items: ReadonlyArray<{ event: EvaluatedEvent; subject: SubjectFacts }>, options: { nowMs: number; autoRebuild: boolean }): Promise<FeatureRead[]> {
    if (items.length === 0) return [];
    if (this.dirty) {
      await this.redis.del(this.keys.epoch);
      this.dirty = false;
    }
    const plans = items.map(({ event, subject }) => buildReadPlan(this.keys, event, subject));
    const pipeline = this.redis.pipeline();
    plans.forEach((plan, i) => readScript.queue(pipeline, [this.keys.epoch], this.readArgs(plan, items[i].event, options.nowMs)));
    const replies = (await pipeline.exec()) ?? [];
    return Promise.all(
      items.map(({ event, subject }, i) => {
        const [error, reply] = replies[i] ?? [new Error('no reply')];
        if (error || !Array.isArray(reply) || reply[0] !== 1) return this.read(event, subject, options);
        const plan = plans[i];
        return { context: buildContext(reply, plan, event, subject), rulesToken: String(reply[plan.rulesToken + 1] ?? ''), listHits: listHits(reply, plan), rebuilt: false };
      }),
    );
  }

  private readArgs(plan: ReadPlan, event: EvaluatedEvent, nowMs: number): (string | number)[] {
    return [
      event.occurredAt.getTime(),
      nowMs,
      event.id,
      MAX_SCAN_PER_KEY,
      DISTINCT_WINDOW_MS,
      event.coins.toString(),
      WINDOW_LENGTHS,
      this.keys.base,
      plan.ops,
    ];
  }

  private async runRead(plan: ReadPlan, event: EvaluatedEvent, nowMs: number): Promise<unknown[]> {
    return (await readScript.run(this.redis, [this.keys.epoch], this.readArgs(plan, event, nowMs))) as unknown[];
  }

  private reloadOnce(entity: EntityKind | 'lists', value: string): Promise<void> {
    const key = `${entity}:${value}`;
    let reload = this.reloading.get(key);
    if (!reload) {
      reload = (entity === 'lists' ? this.loadLists() : this.rebuildEntity(entity, value)).finally(() => this.reloading.delete(key));
      this.reloading.set(key, reload);
    }
    return reload;
  }

  /** Reloads one entity's keys from `risk_events` (newest first, at most MAX_MEMBERS_PER_KEY rows). */
  async rebuildEntity(entity: EntityKind, value: string): Promise<void> {
    const nowMs = Date.now();
    const column = { u: 'user_id', c: 'card_fingerprint', d: 'device_id', i: 'ip', cr: 'creator_id' }[entity];
    const rows: EventRow[] = await this.db.query(
      `SELECT ${SELECT_EVENT_COLUMNS} FROM risk_events
        WHERE ${column} = $1 AND occurred_at > $2
          AND (kind = ANY($3) OR occurred_at > $4)
        ORDER BY occurred_at DESC LIMIT $5`,
      [value, new Date(nowMs - FRAUD_RETENTION_MS), [...FRAUD_KINDS], new Date(nowMs - VELOCITY_RETENTION_MS), MAX_MEMBERS_PER_KEY],
    );
    const entries = rows.map(fromRow).flatMap((event) => keyEntriesFor(this.keys, event));
    if (entity === 'u') {
      // "First recharge" is about all time, not the retention period.
      const [first] = await this.db.query(`SELECT min(occurred_at) AS first FROM risk_events WHERE user_id = $1 AND kind = 'recharge'`, [value]);
      if (first?.first) entries.push({ key: this.keys.firstRecharge(value), member: '', scoreMs: new Date(first.first).getTime(), retentionMs: 0 });
    }
    await this.writeEntries(entries, nowMs);
    await this.redis.set(this.keys.marker(entity, value), '1', 'PX', MARKER_TTL_MS);
  }

  /** Reloads every active list entry into Redis. */
  async loadLists(): Promise<void> {
    const rows: { list: string; kind: string; value: string; expires_at: Date | null }[] = await this.db.query(
      `SELECT list, kind, value, CASE WHEN bool_or(expires_at IS NULL) THEN NULL ELSE max(expires_at) END AS expires_at
         FROM list_entries
        WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        GROUP BY list, kind, value
        LIMIT $1`,
      [MAX_LIST_ENTRIES],
    );
    const pipeline = this.redis.pipeline();
    for (const row of rows) {
      const expiry = row.expires_at ? new Date(row.expires_at).getTime() : MAX_EXPIRY_MS;
      pipeline.zadd(this.keys.list(row.list as ListName), 'GT', expiry, listMember(row.kind as ListKind, row.value));
    }
    pipeline.set(this.keys.listsMarker, '1', 'PX', MARKER_TTL_MS);
    await pipeline.exec();
  }

  /** Starts one background full rebuild per process; errors go to onRebuildError. */
  startFullRebuild(): Promise<void> {
    if (!this.fullRebuild) {
      this.fullRebuild = this.rebuildAll()
        .then(() => undefined)
        .catch((error) => this.onRebuildError(error))
        .finally(() => {
          this.fullRebuild = null;
        });
    }
    return this.fullRebuild ?? Promise.resolve();
  }

  /** Waits for a running background rebuild (used on shutdown). */
  async idle(): Promise<void> {
    await this.fullRebuild;
  }

  /**
   * Reloads everything of the retention period from PostgreSQL, then sets the epoch, unless Redis
   * was flushed meanwhile (the token vanished), in which case the next read starts over.
   * Returns the number of events mirrored.
   */
  async rebuildAll(): Promise<number> {
    const token = randomUUID();
    const nowMs = Date.now();
    await this.redis.set(this.keys.rebuildToken, token, 'PX', REBUILD_TOKEN_TTL_MS);
    await this.loadLists();
    let mirrored = 0;
    // Keyset on the primary key: timestamps carry microseconds a JS Date would round away.
    let lastId = '0';
    const since = new Date(nowMs - FRAUD_RETENTION_MS);
    for (;;) {
      const rows: EventRow[] = await this.db.query(
        `SELECT ${SELECT_EVENT_COLUMNS} FROM risk_events
          WHERE id > $1 AND occurred_at > $2 AND (kind = ANY($3) OR occurred_at > $4)
          ORDER BY id LIMIT $5`,
        [lastId, since, [...FRAUD_KINDS], new Date(nowMs - VELOCITY_RETENTION_MS), REBUILD_BATCH_ROWS],
      );
      if (!rows.length) break;
      await this.writeEntries(rows.map(fromRow).flatMap((event) => keyEntriesFor(this.keys, event)), nowMs);
      mirrored += rows.length;
      lastId = rows[rows.length - 1].id;
    }
    await this.rebuildFirstRecharges(new Date(nowMs - VELOCITY_RETENTION_MS), nowMs);
    await finishRebuildScript.run(this.redis, [this.keys.rebuildToken, this.keys.epoch], [token, new Date(nowMs).toISOString()]);
    return mirrored;
  }

  /** First recharges older than the velocity retention (younger ones came with their events). */
  private async rebuildFirstRecharges(before: Date, nowMs: number): Promise<void> {
    let lastUser = '';
    for (;;) {
      const rows: { user_id: string; first: Date }[] = await this.db.query(
        `SELECT user_id, min(occurred_at) AS first FROM risk_events
          WHERE kind = 'recharge' AND occurred_at <= $1 AND user_id > $2
          GROUP BY user_id ORDER BY user_id LIMIT $3`,
        [before, lastUser, REBUILD_BATCH_ROWS],
      );
      if (!rows.length) return;
      await this.writeEntries(
        rows.map((row) => ({ key: this.keys.firstRecharge(row.user_id), member: '', scoreMs: new Date(row.first).getTime(), retentionMs: 0 })),
        nowMs,
      );
      lastUser = rows[rows.length - 1].user_id;
    }
  }
}
