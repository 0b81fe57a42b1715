import type { DataSource, EntityManager } from 'typeorm';
import type { NormalizedEvent } from '../provider/provider-event';
import { markProviderEventProcessed, type StoredProviderEvent } from './event-queries';

/**
 * What one flow does with one stored provider event, in the transaction that marks it processed.
 * `'wait'` leaves it unprocessed: the sweep offers it again later (e.g. a dispute whose recharge has not
 * been evaluated yet). Throwing rolls the transaction back; the sweep retries it.
 */
export type ProviderEventHandler = (manager: EntityManager, event: StoredProviderEvent, normalized: NormalizedEvent) => Promise<'done' | 'wait'>;

/** One handler per normalized kind (`charge_refunded` → refunds, `dispute` → chargebacks, `payout` → payouts...). */
export type ProviderEventHandlers = Partial<Record<NormalizedEvent['kind'], ProviderEventHandler>>;

export type ProviderEventOutcome = 'done' | 'wait' | 'already_processed' | 'no_handler' | 'locked' | 'not_found';

const COLUMNS = `id::text, provider, provider_event_id, type, object_id, charge_id, provider_created_at, received_at, normalized, processed_at`;
const MAX_SWEEP = 500;

/**
 * Processes one stored event in the caller's transaction, exactly once:
 * - the row is locked (`SKIP LOCKED`: a concurrent worker already has it → `locked`);
 * - an event about a charge waits until that charge's recharge exists and has been evaluated, and until
 *   every earlier event of the same charge (provider order) that has a handler is processed, so flows see
 *   a charge's events in the provider's order whatever order the webhooks arrived in;
 * - the handler's effect and `processed_at` commit together.
 */
export async function processProviderEventIn(manager: EntityManager, eventRowId: string, handlers: ProviderEventHandlers): Promise<ProviderEventOutcome> {
  const [event]: StoredProviderEvent[] = await manager.query(`SELECT ${COLUMNS} FROM provider_events WHERE id = $1 FOR UPDATE SKIP LOCKED`, [eventRowId]);
  if (!event) {
    const exists: unknown[] = await manager.query(`SELECT 1 FROM provider_events WHERE id = $1`, [eventRowId]);
    return exists.length ? 'locked' : 'not_found';
  }
  if (event.processed_at !== null) return 'already_processed';
  const normalized = event.normalized ? reviveNormalized(event.normalized) : null;
  const handler = normalized ? handlers[normalized.kind] : undefined;
  if (!normalized || !handler) return 'no_handler';
  if (event.charge_id !== null && !(await chargeReady(manager, event, handledTypes(handlers)))) return 'wait';
  const outcome = await handler(manager, event, normalized);
  if (outcome === 'done') await markProviderEventProcessed(manager, event.id);
  return outcome;
}

/** The same in a transaction of its own (a worker job, a test). */
export function processProviderEvent(dataSource: DataSource, eventRowId: string, handlers: ProviderEventHandlers): Promise<ProviderEventOutcome> {
  return dataSource.transaction((manager) => processProviderEventIn(manager, eventRowId, handlers));
}

export interface SweepResult {
  done: number;
  waiting: number;
  failed: number;
}

/**
 * Offers every unprocessed event that has a handler again, oldest provider time first, each in its own
 * transaction (one failure does not hold back the others). Run on a schedule; safe to run concurrently.
 */
export async function sweepProviderEvents(
  dataSource: DataSource,
  handlers: ProviderEventHandlers,
  limit = MAX_SWEEP,
  onError: (error: unknown, eventRowId: string) => void = () => undefined,
): Promise<SweepResult> {
  const kinds = Object.keys(handlers);
  const result: SweepResult = { done: 0, waiting: 0, failed: 0 };
  if (kinds.length === 0) return result;
  const rows: Array<{ id: string }> = await dataSource.query(
    `SELECT id::text FROM provider_events
      WHERE processed_at IS NULL AND handled AND normalized->>'kind' = ANY($1::text[])
      ORDER BY provider_created_at, id LIMIT $2`,
    [kinds, Math.min(Math.max(1, limit), MAX_SWEEP)],
  );
  for (const { id } of rows) {
    try {
      const outcome = await processProviderEvent(dataSource, id, handlers);
      if (outcome === 'done') result.done++;
      else if (outcome === 'wait' || outcome === 'locked') result.waiting++;
    } catch (error) {
      result.failed++;
      onError(error, id);
    }
  }
  return result;
}

function handledTypes(handlers: ProviderEventHandlers): string[] {
  return Object.keys(handlers);
}

async function chargeReady(manager: EntityManager, event: StoredProviderEvent, kinds: string[]): Promise<boolean> {
  const rows: Array<{ ready: boolean }> = await manager.query(
    `SELECT
       EXISTS (SELECT 1 FROM recharges r WHERE r.provider = $1 AND r.provider_ref = $2 AND r.state <> 'received')
       AND NOT EXISTS (
         SELECT 1 FROM provider_events e
          WHERE e.provider = $1 AND e.charge_id = $2 AND e.processed_at IS NULL AND e.handled
            AND e.normalized->>'kind' = ANY($5::text[])
            AND (e.provider_created_at, e.id) < ($3::timestamptz, $4::bigint)
       ) AS ready`,
    [event.provider, event.charge_id, event.provider_created_at, event.id, kinds],
  );
  return rows[0]?.ready === true;
}

/** jsonb gives amounts back as decimal strings and times as ISO strings: the handler gets bigint and Date again. */
export function reviveNormalized(stored: Record<string, unknown>): NormalizedEvent {
  const revived: Record<string, unknown> = { ...stored };
  for (const field of ['amountMinor', 'amountRefundedMinor']) {
    if (typeof revived[field] === 'string' || typeof revived[field] === 'number') revived[field] = BigInt(revived[field] as string);
  }
  if (typeof revived.evidenceDueBy === 'string') revived.evidenceDueBy = new Date(revived.evidenceDueBy);
  return revived as unknown as NormalizedEvent;
}
