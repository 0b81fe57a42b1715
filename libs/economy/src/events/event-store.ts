import { DomainError, IdempotencyConflict } from '@coinops/contracts';
import type { EntityManager } from 'typeorm';
import { wireData, type PlatformEvent } from './event-schemas';

/** What the API answers for an event; stored with the event, so a replayed id answers exactly the same. */
export interface EventReply {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** True when this id was acted on before: nothing was done this time. */
  readonly replayed: boolean;
}

export type EventStatus = 'processed' | 'rejected' | 'stored';

export interface EventRecord {
  readonly event: PlatformEvent;
  readonly status: EventStatus;
  readonly reply: Omit<EventReply, 'replayed'>;
}

/** Anything that runs SQL: an EntityManager, a DataSource, a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' };

/** The error body of DESIGN §7 for a refusal that is remembered with the event. */
export function errorReply(error: DomainError): Omit<EventReply, 'replayed'> {
  return {
    status: error.statusCode,
    body: { ...error.extra, statusCode: error.statusCode, error: REASONS[error.statusCode] ?? 'Error', message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}

/**
 * Inserts events that were not seen before, in id order (so concurrent batches wait on each other in one
 * order, never in a cycle). Returns the ids inserted now; the others were stored by an earlier request.
 */
export async function insertEvents(manager: Queryable, records: readonly EventRecord[]): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  const sorted = [...records].sort((a, b) => (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO platform_events (id, type, occurred_at, data, body_hash, status, response_status, response, handled_at)
     SELECT e.id, e.type, e.occurred_at, e.data::jsonb, e.body_hash, e.status, e.response_status, e.response::jsonb,
            CASE WHEN e.status = 'stored' THEN NULL ELSE now() END
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::text[])
          WITH ORDINALITY AS e(id, type, occurred_at, data, body_hash, status, response_status, response, position)
     ORDER BY e.position
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      sorted.map((r) => r.event.id),
      sorted.map((r) => r.event.type),
      sorted.map((r) => r.event.occurredAt.toISOString()),
      sorted.map((r) => JSON.stringify(wireData(r.event))),
      sorted.map((r) => r.event.bodyHash),
      sorted.map((r) => r.status),
      sorted.map((r) => r.reply.status),
      sorted.map((r) => JSON.stringify(r.reply.body)),
    ],
  );
  return new Set(rows.map((row) => row.id));
}

/** Replaces the optimistic answer of events that were refused after all (frozen sender, not enough coins). */
export async function markRejected(manager: Queryable, rejections: ReadonlyArray<{ id: string; reply: Omit<EventReply, 'replayed'> }>): Promise<void> {
  if (rejections.length === 0) return;
  await manager.query(
    `UPDATE platform_events p SET status = 'rejected', response_status = r.response_status, response = r.response::jsonb
     FROM unnest($1::text[], $2::smallint[], $3::text[]) AS r(id, response_status, response)
     WHERE p.id = r.id`,
    [rejections.map((r) => r.id), rejections.map((r) => r.reply.status), rejections.map((r) => JSON.stringify(r.reply.body))],
  );
}

/**
 * The stored answers of events already seen: the same answer for the same body, and an idempotency
 * conflict (409, not stored) for another body under a used id.
 */
export async function storedReplies(manager: Queryable, events: readonly PlatformEvent[]): Promise<Map<string, EventReply>> {
  const replies = new Map<string, EventReply>();
  if (events.length === 0) return replies;
  const rows: Array<{ id: string; body_hash: string; response_status: number; response: Record<string, unknown> }> = await manager.query(
    `SELECT id, body_hash, response_status, response FROM platform_events WHERE id = ANY($1::text[])`,
    [events.map((e) => e.id)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const event of events) {
    const row = byId.get(event.id);
    if (!row) throw new Error(`platform event ${event.id} was neither inserted nor found`);
    replies.set(
      event.id,
      row.body_hash === event.bodyHash
        ? { status: row.response_status, body: row.response, replayed: true }
        : { ...errorReply(new IdempotencyConflict(`event:${event.id}`)), replayed: false },
    );
  }
  return replies;
}
