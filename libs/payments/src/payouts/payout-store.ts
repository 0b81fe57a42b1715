import { recordAudit, type Actor } from '@coinops/access';
import { NotFound, PAYOUT_MACHINE, transition, ValidationFailed, type PayoutAction, type PayoutState } from '@coinops/contracts';
import type { EntityManager } from 'typeorm';

/** A payout row as PostgreSQL returns it (bigint columns as strings). */
export interface PayoutRow {
  id: string;
  payout_id: string;
  creator_id: string;
  state: PayoutState;
  diamonds: string;
  diamonds_for_cash: string;
  rounding_diamonds: string;
  amount_minor: string;
  currency: string;
  usd_equivalent_minor: string;
  approvals_required: number;
  approval_round: number;
  method: string;
  requested_by: string | null;
  requested_via: 'platform' | 'console';
  request_reason: string | null;
  reservation_transaction_id: string;
  resolution_transaction_id: string | null;
  cash_transaction_id: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  batch_id: string | null;
  provider: string | null;
  provider_payout_id: string | null;
  provider_attempts: number;
  last_provider_error: string | null;
  failure_reason: string | null;
  approved_at: Date | null;
  processing_at: Date | null;
  submitted_at: Date | null;
  paid_at: Date | null;
  failed_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkPayoutId(id: string): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new NotFound('payout', String(id).slice(0, 100));
  return id.toLowerCase();
}

/** Locks a payout for a transition: concurrent decisions on one payout run one after the other. */
export async function lockPayout(manager: EntityManager, id: string): Promise<PayoutRow> {
  const [row]: PayoutRow[] = await manager.query(`SELECT * FROM payouts WHERE id = $1 FOR UPDATE`, [checkPayoutId(id)]);
  if (!row) throw new NotFound('payout', id);
  return row;
}

export async function lockPayoutByExternalId(manager: EntityManager, payoutId: string): Promise<PayoutRow | null> {
  const [row]: PayoutRow[] = await manager.query(`SELECT * FROM payouts WHERE payout_id = $1 FOR UPDATE`, [payoutId]);
  return row ?? null;
}

/** Extra columns a transition sets besides `state` (names are fixed by the callers, never client input). */
export type PayoutChanges = Record<string, string | number | Date | null>;

/**
 * Moves a locked payout through PAYOUT_MACHINE (an illegal move is a 409 naming the state), with its
 * audit row, in the caller's transaction. The UPDATE is conditional on the state read under the lock.
 */
export async function movePayout(
  manager: EntityManager,
  actor: Actor,
  payout: PayoutRow,
  action: PayoutAction,
  changes: PayoutChanges,
  audit: { reason?: string | null; after?: Record<string, unknown> },
): Promise<PayoutState> {
  const next = transition(PAYOUT_MACHINE, payout.id, payout.state, action);
  const columns = Object.keys(changes);
  for (const column of columns) if (!/^[a-z_]{1,40}$/.test(column)) throw new Error(`bad payout column ${column}`);
  const sets = columns.map((column, index) => `${column} = $${index + 3}`);
  const updated: unknown[] = await manager.query(
    // A CTE so the driver returns the rows (a bare UPDATE ... RETURNING comes back as [rows, count]).
    `WITH moved AS (UPDATE payouts SET state = $2, updated_at = now()${sets.length ? ', ' + sets.join(', ') : ''} WHERE id = $1 AND state = '${payout.state}' RETURNING id) SELECT id FROM moved`,
    [payout.id, next, ...columns.map((column) => changes[column])],
  );
  if (updated.length !== 1) throw new Error(`payout ${payout.id} changed under its lock`);
  await recordAudit(manager, actor, {
    action: `payout.${PAST[action]}`,
    entity: 'payout',
    entityId: payout.id,
    before: { state: payout.state },
    after: { state: next, ...audit.after },
    reason: audit.reason ?? null,
  });
  payout.state = next;
  return next;
}

const PAST: Record<PayoutAction, string> = {
  hold: 'held',
  clear: 'cleared',
  approve: 'approved',
  reject: 'rejected',
  cancel: 'canceled',
  process: 'processing',
  pay: 'paid',
  fail: 'failed',
};

/** A person's reason: 3-1000 characters. */
export function checkReason(reason: unknown, field = 'reason'): string {
  if (typeof reason !== 'string' || reason.trim().length < 3 || reason.length > 1000) throw ValidationFailed.field(field, 'must be 3-1000 characters');
  return reason.trim();
}
