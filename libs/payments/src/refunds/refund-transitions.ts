import { recordAudit, type Actor } from '@coinops/access';
import { REFUND_MACHINE, transition, type RefundAction, type RefundState } from '@coinops/contracts';
import type { Ledger } from '@coinops/ledger';
import { enqueue, JOBS } from '@coinops/outbox';
import type { EntityManager } from 'typeorm';
import { canTransition as canRechargeTransition, type RechargeState } from '../recharges/recharge-states';
import type { RefundRow } from './refund-records';

/** The provider idempotency key of a refund's attempt: a new attempt after a refusal gets a new key (docs/refunds.md, "Retries"). */
export function refundIdempotencyKey(refundId: string, attempt: number): string {
  return attempt <= 1 ? `refund:${refundId}` : `refund:${refundId}:${attempt}`;
}

/** Applies one REFUND_MACHINE transition to a locked row: the state, the extra columns, one audit row. */
export async function moveRefund(
  manager: EntityManager,
  actor: Actor,
  row: RefundRow,
  action: RefundAction,
  columns: Record<string, unknown> = {},
  reason: string | null = null,
): Promise<RefundState> {
  const state = transition(REFUND_MACHINE, row.id, row.state, action);
  const names = Object.keys(columns);
  const sets = names.map((name, i) => `${name} = $${i + 3}`);
  await manager.query(`UPDATE refunds SET state = $2, updated_at = now()${sets.length ? ', ' + sets.join(', ') : ''} WHERE id = $1`, [row.id, state, ...names.map((n) => columns[n])]);
  await recordAudit(manager, actor, {
    action: `refund.${state}`,
    entity: 'refund',
    entityId: row.id,
    before: { state: row.state },
    after: { state, ...columns },
    reason: reason ?? row.reason,
  });
  row.state = state;
  return state;
}

/** approved → processing, with the worker's `refund.execute` job in the same transaction. */
export async function startProcessing(manager: EntityManager, actor: Actor, row: RefundRow): Promise<void> {
  await moveRefund(manager, actor, row, 'execute', { processing_at: new Date() });
  await enqueue(manager, JOBS.refundExecute, { refund_id: row.id, attempt: row.attempt });
}

/**
 * processing | failed → succeeded: posts the ledger hold (exactly once: the hold can be posted once) or,
 * for a refund that reserved nothing (an external refund), nothing here; the caller posts direct entries.
 * Then the recharge becomes `refunded` once its refunds add up to its whole amount.
 */
export async function confirmRefund(manager: EntityManager, ledger: Ledger, actor: Actor, row: RefundRow, providerRefundId: string): Promise<void> {
  let ledgerTransactionId = row.ledger_transaction_id;
  if (row.hold_transaction_id && !ledgerTransactionId) {
    const posted = await ledger.postPending(row.hold_transaction_id, { manager, idempotencyKey: `refund-post:${row.id}`, metadata: { refund_id: row.id, provider_refund_id: providerRefundId } });
    ledgerTransactionId = posted.id;
  }
  await moveRefund(manager, actor, row, 'confirm', { provider_refund_id: providerRefundId, ledger_transaction_id: ledgerTransactionId, completed_at: new Date(), failure_code: null, failure_reason: null }, `confirmed by the provider (${providerRefundId})`);
  await settleRecharge(manager, actor, row.recharge_id);
}

/** A recharge whose succeeded refunds add up to its amount is `refunded` (credited or blocked before). */
export async function settleRecharge(manager: EntityManager, actor: Actor, rechargeId: string): Promise<void> {
  const [recharge]: Array<{ state: RechargeState; amount_minor: string; refunded: string }> = await manager.query(
    `SELECT r.state, r.amount_minor::text, COALESCE((SELECT SUM(f.amount_minor) FROM refunds f WHERE f.recharge_id = r.id AND f.state = 'succeeded'), 0)::text AS refunded
       FROM recharges r WHERE r.id = $1`,
    [rechargeId],
  );
  if (!recharge || BigInt(recharge.refunded) < BigInt(recharge.amount_minor)) return;
  if (!canRechargeTransition(recharge.state, 'refunded')) return;
  await manager.query(`UPDATE recharges SET state = 'refunded', updated_at = now() WHERE id = $1`, [rechargeId]);
  await recordAudit(manager, actor, { action: 'recharge.refunded', entity: 'recharge', entityId: rechargeId, before: { state: recharge.state }, after: { state: 'refunded', refunded_minor: recharge.refunded } });
}
