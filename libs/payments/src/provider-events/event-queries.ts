import type { EntityManager } from 'typeorm';

/** A stored provider event as consumers read it. `normalized` amounts are decimal strings. */
export interface StoredProviderEvent {
  id: string;
  provider: string;
  provider_event_id: string;
  type: string;
  object_id: string | null;
  charge_id: string | null;
  provider_created_at: Date;
  received_at: Date;
  normalized: Record<string, unknown> | null;
  processed_at: Date | null;
}

const COLUMNS = `id::text, provider, provider_event_id, type, object_id, charge_id, provider_created_at, received_at, normalized, processed_at`;
const MAX_LIMIT = 1_000;

/**
 * Every stored event of one charge in the provider's order (its `created`, then arrival as the tie-break):
 * what a refund or dispute flow replays, whatever order the webhooks came in.
 */
export async function chargeEvents(manager: EntityManager, provider: string, chargeId: string, limit = 200): Promise<StoredProviderEvent[]> {
  return manager.query(
    `SELECT ${COLUMNS} FROM provider_events WHERE provider = $1 AND charge_id = $2 ORDER BY provider_created_at, id LIMIT $3`,
    [provider, chargeId, Math.min(Math.max(1, limit), MAX_LIMIT)],
  );
}

/**
 * Events still to be processed, oldest provider time first, only for charges whose recharge is stored:
 * a refund that came before its charge waits here until the charge arrives (docs/payments.md, "Ordering").
 * Payout events carry no charge and are always ready.
 */
export async function readyProviderEvents(manager: EntityManager, types: string[], limit = 100): Promise<StoredProviderEvent[]> {
  return manager.query(
    `SELECT ${COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM provider_events e
     WHERE e.processed_at IS NULL AND e.type = ANY($1::text[])
       AND (e.charge_id IS NULL OR EXISTS (SELECT 1 FROM recharges r WHERE r.provider = e.provider AND r.provider_ref = e.charge_id))
     ORDER BY e.provider_created_at, e.id
     LIMIT $2`,
    [types, Math.min(Math.max(1, limit), MAX_LIMIT)],
  );
}

/** Marks an event processed, in the transaction of the effect it had; false if it already was. */
export async function markProviderEventProcessed(manager: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `WITH marked AS (UPDATE provider_events SET processed_at = now() WHERE id = $1 AND processed_at IS NULL RETURNING id) SELECT id FROM marked`,
    [id],
  );
  return rows.length === 1;
}
