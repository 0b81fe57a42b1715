import { enqueue, JOBS } from '@coinops/outbox';
import type { DataSource, EntityManager } from 'typeorm';
import type { ProviderEvent } from '../provider/provider-event';
import { rechargeIntakeProblems } from '../recharges/recharge-intake';
import { recordRecharge } from '../recharges/record-recharge';
import { toJson } from './json';

/** What the webhook endpoint answers (always 200 once the signature is good). */
export interface WebhookReceipt {
  received: true;
  event_id: string;
  /**
   * stored: kept for its flow; duplicate: this event id was stored before, nothing written;
   * ignored: a type coinops does not use, recorded as seen; unusable: kept with a problem (no recharge).
   */
  outcome: 'stored' | 'duplicate' | 'ignored' | 'unusable';
  recharge_id?: string;
}

/**
 * Stores one verified provider event exactly once per (provider, event id), and for `charge.succeeded`
 * the recharge with its `recharge.received` job, all in one transaction. Concurrent deliveries of one
 * event are serialized by the unique index: one stores, the others see a duplicate.
 */
export async function receiveProviderEvent(dataSource: DataSource, event: ProviderEvent): Promise<WebhookReceipt> {
  return dataSource.transaction(async (manager) => {
    const base = { received: true as const, event_id: event.id };
    const normalized = event.normalized;
    let problem: string | null = null;
    if (normalized?.kind === 'charge_succeeded') {
      const problems = normalized.recharge ? rechargeIntakeProblems(normalized.recharge).map((p) => `${p.field} ${p.message}`) : [];
      const all = [...normalized.problems, ...problems];
      if (all.length > 0) problem = all.join('; ').slice(0, 2000);
    }
    // Nothing is left to do for: unused types, unusable charges, and charges that become recharges below.
    const doneOnArrival = !event.handled || problem !== null || normalized?.kind === 'charge_succeeded';
    const rowId = await insertProviderEvent(manager, event, problem, doneOnArrival);
    if (rowId === null) return { ...base, outcome: 'duplicate' };
    if (!event.handled) return { ...base, outcome: 'ignored' };
    if (problem !== null) return { ...base, outcome: 'unusable' };
    if (normalized?.kind === 'charge_succeeded' && normalized.recharge) {
      const recharge = await recordRecharge(manager, normalized.recharge);
      return { ...base, outcome: 'stored', recharge_id: recharge.rechargeId };
    }
    // Refunds, disputes, early fraud warnings and payouts: the worker hands the event to its flow.
    await enqueue(manager, JOBS.providerEventReceived, { provider_event_row_id: rowId, provider: event.provider, type: event.type });
    return { ...base, outcome: 'stored' };
  });
}

/** Inserts the event unless its id is stored already; returns the new row id, or null for a duplicate. */
export async function insertProviderEvent(manager: EntityManager, event: ProviderEvent, problem: string | null, processed: boolean): Promise<string | null> {
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO provider_events (provider, provider_event_id, type, handled, object_id, charge_id, provider_created_at, normalized, payload, problem, processed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $11::boolean THEN now() END)
     ON CONFLICT (provider, provider_event_id) DO NOTHING
     RETURNING id`,
    [
      event.provider,
      event.id,
      event.type,
      event.handled,
      event.objectId,
      event.chargeId,
      event.createdAt,
      event.normalized ? toJson(event.normalized) : null,
      event.payload ? toJson(event.payload) : null,
      problem,
      processed,
    ],
  );
  return rows.length ? String(rows[0].id) : null;
}
