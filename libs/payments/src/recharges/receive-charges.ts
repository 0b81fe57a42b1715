import { JOBS } from '@coinops/outbox';
import { GroupCommit, type GroupCommitOptions } from '@coinops/ledger';
import type { DataSource } from 'typeorm';
import type { ChargeSucceeded, ProviderEvent } from '../provider/provider-event';
import { receiveProviderEvent, type WebhookReceipt } from '../provider-events/receive-event';
import { rechargeIntakeProblems, type RechargeIntake } from './recharge-intake';

/** Defaults measured with tools/bench/recharges (docs/payments.md, "End-to-end benchmark"). */
export const WEBHOOK_INTAKE_DEFAULTS: GroupCommitOptions = {
  maxBatchSize: 200,
  maxWaitMs: 2,
  maxConcurrentBatches: 2,
  maxQueued: 5_000,
  fullMessage: 'too many webhooks waiting to be stored; retry later',
};

type UsableCharge = ProviderEvent & { normalized: ChargeSucceeded & { recharge: RechargeIntake } };

/** A `charge.succeeded` that becomes a recharge: the only kind the batched intake takes. */
function isUsableCharge(event: ProviderEvent): event is UsableCharge {
  const normalized = event.normalized;
  return (
    event.handled &&
    normalized?.kind === 'charge_succeeded' &&
    normalized.recharge !== null &&
    normalized.problems.length === 0 &&
    rechargeIntakeProblems(normalized.recharge).length === 0
  );
}

/**
 * The webhook intake with group commit: `charge.succeeded` events arriving together are stored by one
 * statement (`receiveChargesSucceeded`), the same rows `receiveProviderEvent` writes one by one; every
 * other event (refunds, disputes, unusable charges, unused types) goes through `receiveProviderEvent`.
 * On this machine a round trip to PostgreSQL costs more than the rows it carries, so the batch is the
 * saving. If a batch fails, each of its events is stored alone, so only a bad one fails its request.
 */
export class WebhookIntake {
  private readonly group: GroupCommit<UsableCharge, WebhookReceipt | { failed: unknown }>;

  constructor(
    private readonly dataSource: DataSource,
    options: Partial<GroupCommitOptions> = {},
  ) {
    this.group = new GroupCommit((events) => this.run(events), { ...WEBHOOK_INTAKE_DEFAULTS, ...options });
  }

  async receive(event: ProviderEvent): Promise<WebhookReceipt> {
    if (!isUsableCharge(event)) return receiveProviderEvent(this.dataSource, event);
    const receipt = await this.group.submit(event);
    if ('failed' in receipt) throw receipt.failed;
    return receipt;
  }

  private async run(events: UsableCharge[]): Promise<Array<WebhookReceipt | { failed: unknown }>> {
    try {
      return await receiveChargesSucceeded(this.dataSource, events);
    } catch {
      return Promise.all(events.map((event) => receiveProviderEvent(this.dataSource, event).catch((failed: unknown) => ({ failed }))));
    }
  }
}

const INPUT_COLUMNS = `ord int, provider text, provider_event_id text, type text, object_id text, charge_id text, provider_created_at timestamptz,
  normalized jsonb, payload jsonb, recharge_provider text, provider_ref text, user_id text, method text, coins bigint, amount_minor bigint,
  currency text, package_id text, card_fingerprint text, card_brand text, card_last4 text, bin_country text, wallet text, device_id text,
  ip text, occurred_at timestamptz, source_event_id text`;
const RECHARGE_COLUMNS = `provider, provider_ref, user_id, method, coins, amount_minor, currency, package_id, card_fingerprint, card_brand,
  card_last4, bin_country, wallet, device_id, ip, occurred_at, source_event_id`;

/**
 * Stores usable `charge.succeeded` events in ONE statement (an implicit transaction): each event once
 * per (provider, event id), marked processed; its recharge once per (provider, charge); and for each
 * new recharge its `recharge.received` outbox row. The receipts are those of `receiveProviderEvent`:
 * `stored` with the recharge id, or `duplicate` for an event id stored before (or earlier in the batch).
 */
export async function receiveChargesSucceeded(dataSource: DataSource, events: UsableCharge[]): Promise<WebhookReceipt[]> {
  const firstOf = new Map<string, number>();
  events.forEach((event, ord) => {
    const key = `${event.provider}\u0000${event.id}`;
    if (!firstOf.has(key)) firstOf.set(key, ord);
  });
  const input = [...firstOf.values()].map((ord) => inputRow(ord, events[ord]));
  const rows: Array<{ ord: number; stored: boolean; recharge_id: string | null }> = await dataSource.query(
    `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(${INPUT_COLUMNS})),
     stored_events AS (
       INSERT INTO provider_events (provider, provider_event_id, type, handled, object_id, charge_id, provider_created_at, normalized, payload, problem, processed_at)
       SELECT provider, provider_event_id, type, true, object_id, charge_id, provider_created_at, normalized, payload, NULL, now() FROM input ORDER BY ord
       ON CONFLICT (provider, provider_event_id) DO NOTHING
       RETURNING provider, provider_event_id),
     fresh AS (SELECT i.* FROM input i JOIN stored_events e USING (provider, provider_event_id)),
     new_recharges AS (
       INSERT INTO recharges (${RECHARGE_COLUMNS})
       SELECT recharge_provider, provider_ref, user_id, method, coins, amount_minor, currency, package_id, card_fingerprint, card_brand,
              card_last4, bin_country, wallet, device_id, ip, occurred_at, source_event_id
         FROM fresh ORDER BY ord
       ON CONFLICT (provider, provider_ref) DO NOTHING
       RETURNING id, provider, provider_ref),
     -- Runs although nothing reads it (a data-modifying WITH always runs to completion).
     jobs AS (
       INSERT INTO outbox (queue, job_name, payload)
       SELECT $2, $3, jsonb_build_object('recharge_id', r.id, 'provider', r.provider, 'provider_ref', r.provider_ref) FROM new_recharges r
       RETURNING id)
     SELECT i.ord, e.provider_event_id IS NOT NULL AS stored,
            COALESCE(n.id, (SELECT o.id FROM recharges o WHERE o.provider = i.recharge_provider AND o.provider_ref = i.provider_ref))::text AS recharge_id
       FROM input i
       LEFT JOIN stored_events e USING (provider, provider_event_id)
       LEFT JOIN new_recharges n ON n.provider = i.recharge_provider AND n.provider_ref = i.provider_ref`,
    [jsonText(input), JOBS.rechargeReceived.queue, JOBS.rechargeReceived.name],
  );
  // A new event of a charge whose recharge another statement stored meanwhile: read it now (the
  // statement's snapshot predates that commit).
  for (const row of rows.filter((r) => r.stored && r.recharge_id === null)) {
    const recharge = events[Number(row.ord)].normalized.recharge;
    const [existing]: Array<{ id: string }> = await dataSource.query(`SELECT id FROM recharges WHERE provider = $1 AND provider_ref = $2`, [recharge.provider, recharge.providerRef]);
    row.recharge_id = existing?.id ?? null;
  }
  const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
  return events.map((event, ord) => {
    const row = byOrd.get(ord);
    const base = { received: true as const, event_id: event.id };
    if (!row || !row.stored || firstOf.get(`${event.provider}\u0000${event.id}`) !== ord) return { ...base, outcome: 'duplicate' };
    return { ...base, outcome: 'stored', recharge_id: row.recharge_id as string };
  });
}

function inputRow(ord: number, event: UsableCharge): Record<string, unknown> {
  const recharge = event.normalized.recharge;
  return {
    ord,
    provider: event.provider,
    provider_event_id: event.id,
    type: event.type,
    object_id: event.objectId,
    charge_id: event.chargeId,
    provider_created_at: event.createdAt,
    normalized: event.normalized,
    payload: event.payload,
    recharge_provider: recharge.provider,
    provider_ref: recharge.providerRef,
    user_id: recharge.userId,
    method: recharge.method,
    coins: recharge.coins,
    amount_minor: recharge.amountMinor,
    currency: recharge.currency,
    package_id: recharge.packageId ?? null,
    card_fingerprint: recharge.cardFingerprint ?? null,
    card_brand: recharge.cardBrand ?? null,
    card_last4: recharge.cardLast4 ?? null,
    bin_country: recharge.binCountry ?? null,
    wallet: recharge.wallet ?? null,
    device_id: recharge.deviceId ?? null,
    ip: recharge.ip ?? null,
    occurred_at: recharge.occurredAt,
    source_event_id: recharge.sourceEventId ?? null,
  };
}

/** JSON with bigint as decimal strings (as `toJson` stores them) and Dates as ISO 8601. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}
