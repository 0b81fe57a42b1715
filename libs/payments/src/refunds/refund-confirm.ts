import { recordAudit, systemActor, type Actor } from '@coinops/access';
import { buildRechargeRefund, rechargeCoinUsage, type Ledger } from '@coinops/ledger';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { StoredProviderEvent } from '../provider-events/event-queries';
import type { ProviderEventHandler } from '../provider-events/dispatch';
import type { NormalizedEvent } from '../provider/provider-event';
import { CLAIMING_STATES, proportionalCoins, RESERVING_STATES, sumAmounts, sumCoins } from './refund-amounts';
import { refundsOfRecharge, type RefundRow } from './refund-records';
import { confirmRefund, settleRecharge } from './refund-transitions';

export const REFUND_CONFIRMATION_ACTOR = 'worker:charge.refunded';

interface ProviderRefundObject {
  id: string;
  amountMinor: bigint;
}

interface RechargeRow {
  id: string;
  user_id: string;
  provider: string;
  coins: string;
  amount_minor: string;
  currency: string;
  state: string;
}

/**
 * The `charge_refunded` provider-event handler (docs/refunds.md, "Confirmation"). The event carries the
 * charge with its refunds; each refund object is matched, oldest first, to a coinops refund by the
 * provider's refund id, else by the idempotency key of the request that caused the event:
 * - a coinops refund `processing` (or `failed` after an outage) → `succeeded`, its ledger hold posted;
 * - one already `succeeded` → nothing (a redelivered or older event);
 * - none: a refund made outside coinops (the provider's dashboard) → an `external` refund, succeeded,
 *   its reversal posted once (one row per provider refund id, enforced by a unique index).
 * While a coinops refund of the charge is being sent (no provider id yet) an unknown refund object
 * could be that one: the event waits for the sweep rather than booking it twice.
 */
export function refundEventHandler(deps: { ledger: Ledger }): ProviderEventHandler {
  return async (manager, event, normalized) => {
    if (normalized.kind !== 'charge_refunded') return 'done';
    return confirmFromEvent(manager, deps.ledger, event, normalized);
  };
}

async function confirmFromEvent(manager: EntityManager, ledger: Ledger, event: StoredProviderEvent, normalized: Extract<NormalizedEvent, { kind: 'charge_refunded' }>): Promise<'done' | 'wait'> {
  const [recharge]: RechargeRow[] = await manager.query(
    `SELECT id, user_id, provider, coins::text, amount_minor::text, currency, state FROM recharges WHERE provider = $1 AND provider_ref = $2 FOR UPDATE`,
    [event.provider, normalized.chargeId],
  );
  if (!recharge) return 'wait';
  const { objects, idempotencyKey } = await refundObjects(manager, event.id);
  const refunds = await refundsOfRecharge(manager, recharge.id);
  const actor = systemActor(REFUND_CONFIRMATION_ACTOR, `provider-event-${event.id}`);
  for (const object of objects) {
    const byId = refunds.find((r) => r.provider_refund_id === object.id);
    if (byId) {
      if (byId.state === 'processing' || byId.state === 'failed') await confirmRefund(manager, ledger, actor, byId, object.id);
      continue;
    }
    const byKey = idempotencyKey
      ? refunds.find((r) => r.idempotency_key === idempotencyKey && r.provider_refund_id === null && (r.state === 'processing' || r.state === 'failed') && BigInt(r.amount_minor) === object.amountMinor)
      : undefined;
    if (byKey) {
      await confirmRefund(manager, ledger, actor, byKey, object.id);
      continue;
    }
    if (refunds.some((r) => r.state === 'processing' && r.provider_refund_id === null)) return 'wait';
    refunds.push(await bookExternalRefund(manager, ledger, actor, recharge, refunds, object, event));
  }
  return confirmByTotal(manager, ledger, actor, recharge, refunds, event, normalized.amountRefundedMinor, idempotencyKey);
}

/**
 * The charge's cumulative `amount_refunded` against what coinops has booked: Stripe leaves the refunds
 * list out of charges (API versions since 2022-11-15), so the total is what every event does carry. An
 * older event (a smaller total) does nothing. The rest is, in order: the refund whose request caused the
 * event (its idempotency key), else refunds the provider accepted and has not confirmed yet, else a
 * refund made outside coinops, booked once (later events carry the same total).
 */
async function confirmByTotal(manager: EntityManager, ledger: Ledger, actor: Actor, recharge: RechargeRow, refunds: RefundRow[], event: StoredProviderEvent, amountRefundedMinor: bigint, idempotencyKey: string | null): Promise<'done' | 'wait'> {
  let unexplained = amountRefundedMinor - sumAmounts(refunds, SUCCEEDED);
  if (unexplained <= 0n) return 'done';
  const open = refunds.filter((r) => r.state === 'processing' || r.state === 'failed');
  const byKey = idempotencyKey ? open.filter((r) => r.idempotency_key === idempotencyKey) : [];
  const candidates = byKey.length ? byKey : open.filter((r) => r.provider_refund_id !== null);
  for (const refund of candidates) {
    const amount = BigInt(refund.amount_minor);
    if (amount > unexplained) continue;
    await confirmRefund(manager, ledger, actor, refund, refund.provider_refund_id ?? `key:${refund.idempotency_key}`);
    unexplained -= amount;
  }
  if (unexplained <= 0n) return 'done';
  if (refunds.some((r) => r.state === 'processing' && r.provider_refund_id === null)) return 'wait';
  refunds.push(await bookExternalRefund(manager, ledger, actor, recharge, refunds, { id: `evt:${event.provider_event_id}`.slice(0, 255), amountMinor: unexplained }, event));
  return 'done';
}

const SUCCEEDED = new Set(['succeeded']);

/** The refund objects of the event's charge, oldest first, and the idempotency key of the request behind the event. */
async function refundObjects(manager: EntityManager, eventRowId: string): Promise<{ objects: ProviderRefundObject[]; idempotencyKey: string | null }> {
  const [row]: Array<{ refunds: unknown; idempotency_key: string | null }> = await manager.query(
    `SELECT payload->'data'->'object'->'refunds'->'data' AS refunds, payload->'request'->>'idempotency_key' AS idempotency_key FROM provider_events WHERE id = $1`,
    [eventRowId],
  );
  const list = Array.isArray(row?.refunds) ? (row.refunds as Array<Record<string, unknown>>) : [];
  const objects = list
    .filter((r) => typeof r?.id === 'string' && /^[A-Za-z0-9_.:-]{1,255}$/.test(r.id as string) && Number.isSafeInteger(r.amount) && (r.amount as number) > 0 && (r.status === undefined || r.status === 'succeeded' || r.status === 'pending'))
    .map((r) => ({ id: r.id as string, amountMinor: BigInt(r.amount as number), created: Number(r.created ?? 0) }))
    .sort((a, b) => a.created - b.created)
    .map(({ id, amountMinor }) => ({ id, amountMinor }));
  return { objects, idempotencyKey: row?.idempotency_key ?? null };
}

/**
 * A refund made at the provider, outside coinops: the cash went back whatever coinops thinks, so it is
 * booked as it is. Coins: the refunded share by the cumulative rule, capped at the recharge's unspent
 * coins (the rest, already spent, stays with the user and is recorded as `coins_unrecovered`).
 */
async function bookExternalRefund(manager: EntityManager, ledger: Ledger, actor: Actor, recharge: RechargeRow, refunds: RefundRow[], object: ProviderRefundObject, event: StoredProviderEvent): Promise<RefundRow> {
  const id = randomUUID();
  const total = BigInt(recharge.amount_minor);
  const before = sumAmounts(refunds.filter((r) => r.state === 'succeeded'), CLAIMING_STATES);
  const amount = object.amountMinor;
  const booked = recharge.state === 'credited';
  let coins = 0n;
  let wanted = 0n;
  if (booked && before + amount <= total) {
    wanted = proportionalCoins(BigInt(recharge.coins), total, before, amount);
    const usage = await rechargeCoinUsage(manager, recharge.id);
    const reserved = sumCoins(refunds, RESERVING_STATES);
    const unspent = usage.unspentCoins > reserved ? usage.unspentCoins - reserved : 0n;
    coins = wanted < unspent ? wanted : unspent;
  }
  let ledgerTransactionId: string | null = null;
  if (booked) {
    const entry = await ledger.post(
      buildRechargeRefund({ refundId: id, rechargeId: recharge.id, userId: recharge.user_id, coins, amountMinor: amount, currency: recharge.currency.trim(), provider: recharge.provider, metadata: { provider_refund_id: object.id, external: true } }),
      { manager },
    );
    ledgerTransactionId = entry.id;
  }
  const reason = `refunded at the provider outside coinops (${object.id}, event ${event.provider_event_id})`;
  const [row]: RefundRow[] = await manager.query(
    `INSERT INTO refunds (id, recharge_id, user_id, kind, state, amount_minor, currency, coins, coins_unrecovered, needs_approval, reason, ledger_transaction_id, idempotency_key, provider_refund_id, completed_at)
     VALUES ($1, $2, $3, 'external', 'succeeded', $4, $5, $6, $7, false, $8, $9, $10, $11, now()) RETURNING *`,
    [id, recharge.id, recharge.user_id, amount.toString(), recharge.currency.trim(), coins.toString(), (wanted - coins).toString(), reason, ledgerTransactionId, `external:${object.id}`, object.id],
  );
  await recordAudit(manager, actor, {
    action: 'refund.succeeded',
    entity: 'refund',
    entityId: id,
    after: { state: 'succeeded', kind: 'external', recharge_id: recharge.id, amount_minor: amount.toString(), coins: coins.toString(), provider_refund_id: object.id, ledger_transaction_id: ledgerTransactionId },
    reason,
  });
  await settleRecharge(manager, actor, recharge.id);
  return row;
}
