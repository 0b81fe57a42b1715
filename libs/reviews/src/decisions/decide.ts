import { recordAudit, type Actor } from '@coinops/access';
import { Conflict, ValidationFailed } from '@coinops/contracts';
import type { UsersService } from '@coinops/economy';
import type { Ledger } from '@coinops/ledger';
import type { RiskEngine } from '@coinops/risk';
import { enqueue, JOBS } from '@coinops/outbox';
import type { EntityManager } from 'typeorm';
import { assertHeldBy, lockItem, nextState, type LockedItem } from '../items/review-lock';
import { claimIn } from './assignment';

/** The engines a decision moves: the ledger hold, the risk outcome and lists, the user's freeze. */
export interface DecisionDeps {
  ledger: Ledger;
  risk: RiskEngine;
  users: UsersService;
}

export type Decision = 'approve' | 'reject';

/** What a reject may do besides voiding the holds: block the recharges' instruments, freeze the user. */
export interface RejectExtras {
  blockCard?: boolean;
  blockDevice?: boolean;
  blockIp?: boolean;
  freezeUser?: boolean;
}

export interface DecisionResult {
  review_id: string;
  state: 'approved' | 'rejected';
  /** `ledger_transaction_id` is null for a recharge listed without a hold (a chargeback or early-fraud-warning item). */
  recharges: Array<{ recharge_id: string; state: string; ledger_transaction_id: string | null }>;
  /** Instruments added to the block list by this decision (`already` when an active entry existed). */
  blocked: Array<{ kind: 'card' | 'device' | 'ip'; value: string; list_entry_id: string | null; already: boolean }>;
  /** null when freezing was not asked; false when the user was frozen already. */
  user_frozen: boolean | null;
}

/** An item gathers the held recharges of one user; past this many it is refused rather than decided in one transaction. */
export const MAX_RECHARGES_PER_DECISION = 200;

interface HeldRow {
  recharge_id: string;
  /** null: listed on a chargeback or early-fraud-warning item, with nothing held in the ledger. */
  hold_transaction_id: string | null;
  state: string;
  card_fingerprint: string | null;
  device_id: string | null;
  ip: string | null;
}

const authorOf = (actor: Actor) => actor.email ?? actor.operatorId ?? 'system';

async function undecidedRecharges(manager: EntityManager, reviewId: string): Promise<HeldRow[]> {
  const rows: HeldRow[] = await manager.query(
    `SELECT rr.recharge_id, rr.hold_transaction_id, r.state, r.card_fingerprint, r.device_id, r.ip
       FROM review_item_recharges rr JOIN recharges r ON r.id = rr.recharge_id::uuid
      WHERE rr.review_id = $1 AND rr.outcome IS NULL
      ORDER BY r.id
      LIMIT $2
      FOR UPDATE OF rr, r`,
    [reviewId, MAX_RECHARGES_PER_DECISION + 1],
  );
  if (rows.length > MAX_RECHARGES_PER_DECISION) throw new Conflict(`review ${reviewId} holds more than ${MAX_RECHARGES_PER_DECISION} recharges: too many to decide at once`);
  const notHeld = rows.find((r) => r.hold_transaction_id !== null && r.state !== 'held');
  if (notHeld) throw new Conflict(`recharge ${notHeld.recharge_id} is ${notHeld.state}, not held: it cannot be decided in review`, undefined, { state: notHeld.state, entity: 'recharge', id: notHeld.recharge_id });
  return rows;
}

/**
 * Approves or rejects an item in the caller's transaction (DESIGN §5): the item's state, each held
 * recharge's ledger entry (approve posts the hold: the coins become available; reject voids it and the
 * recharge waits for its refund as `blocked_pending_refund`), the outcome for backtests, and an audit
 * row for the item and for each recharge. `autoClaim` (bulk decisions) first claims an unclaimed item.
 */
export async function decideIn(
  manager: EntityManager,
  deps: DecisionDeps,
  actor: Actor,
  id: string,
  decision: Decision,
  reason: string,
  extras: RejectExtras = {},
  autoClaim = false,
): Promise<DecisionResult> {
  let item = await lockItem(manager, id);
  if (autoClaim && (item.state === 'open' || item.state === 'escalated')) {
    await claimIn(manager, actor, id);
    item = await lockItem(manager, id);
  }
  const state = nextState(item, decision) as DecisionResult['state'];
  assertHeldBy(item, actor, decision);
  if (item.kind === 'unauthorized_activity') {
    // Its decision refunds, blocks and unfreezes: it is taken on the report (docs/unauthorized-activity.md).
    throw new Conflict(`review ${id} is an unauthorized-activity report: decide it with POST /api/unauthorized-activity/<report id>/confirm or /dismiss`, undefined, {
      state: item.state,
      kind: item.kind,
    });
  }

  const held = await undecidedRecharges(manager, id);
  const approved = decision === 'approve';
  const recharges: DecisionResult['recharges'] = [];
  for (const recharge of held) {
    if (recharge.hold_transaction_id === null) {
      recharges.push(await decideWithoutHold(manager, deps, actor, item, recharge, approved, reason));
      continue;
    }
    const entry = approved
      ? await deps.ledger.postPending(recharge.hold_transaction_id, { manager, metadata: { review_id: id } })
      : await deps.ledger.voidPending(recharge.hold_transaction_id, { manager, reason: `review ${id} rejected: ${reason}`.slice(0, 500) });
    const rechargeState = approved ? 'credited' : 'blocked_pending_refund';
    await manager.query(`UPDATE recharges SET state = $2, updated_at = now() WHERE id = $1 AND state = 'held'`, [recharge.recharge_id, rechargeState]);
    // The cash goes back at once: the refund flow (libs/payments, above this lib) takes the job.
    if (!approved) await enqueue(manager, JOBS.rechargeRejected, { recharge_id: recharge.recharge_id, review_id: id, reason: `review ${id} rejected: ${reason}`.slice(0, 1000) });
    await manager.query(
      `UPDATE review_item_recharges SET outcome = $3, resolution_transaction_id = $4, resolved_at = now() WHERE review_id = $1 AND recharge_id = $2`,
      [id, recharge.recharge_id, approved ? 'approved' : 'rejected', entry.id],
    );
    await deps.risk.recordOutcome({ type: 'recharge', id: recharge.recharge_id }, approved ? 'review_approved' : 'review_rejected', { manager, note: reason, recordedBy: authorOf(actor).slice(0, 200) });
    await recordAudit(manager, actor, {
      action: approved ? 'recharge.review_approved' : 'recharge.review_rejected',
      entity: 'recharge',
      entityId: recharge.recharge_id,
      before: { state: 'held', hold_transaction_id: recharge.hold_transaction_id },
      after: { state: rechargeState, ledger_transaction_id: entry.id, review_id: id },
      reason,
    });
    recharges.push({ recharge_id: recharge.recharge_id, state: rechargeState, ledger_transaction_id: entry.id });
  }

  const blocked = approved ? [] : await blockInstruments(manager, deps, actor, item, held, extras, reason);
  const userFrozen = !approved && extras.freezeUser ? await freezeUser(manager, deps, actor, item, reason) : null;

  await manager.query(
    `UPDATE review_items SET state = $2, decided_by = $3, decision_reason = $4, decided_at = now(), updated_at = now() WHERE id = $1`,
    [id, state, actor.operatorId, reason],
  );
  await recordAudit(manager, actor, {
    action: approved ? 'review.approved' : 'review.rejected',
    entity: 'review',
    entityId: id,
    before: { state: item.state, assigned_to: item.assigned_to },
    after: { state, recharges, blocked, user_frozen: userFrozen },
    reason,
  });
  return { review_id: id, state, recharges, blocked, user_frozen: userFrozen };
}

/**
 * A recharge listed on a chargeback or early-fraud-warning item: nothing to post or void. Approve clears
 * it (an early fraud warning becomes a known `review_approved`; a chargeback keeps its `chargeback`
 * outcome), reject confirms fraud (`review_rejected`); the recharge's state is left as it is.
 */
async function decideWithoutHold(manager: EntityManager, deps: DecisionDeps, actor: Actor, item: LockedItem, recharge: HeldRow, approved: boolean, reason: string): Promise<DecisionResult['recharges'][number]> {
  await manager.query(
    `UPDATE review_item_recharges SET outcome = $3, resolved_at = now() WHERE review_id = $1 AND recharge_id = $2`,
    [item.id, recharge.recharge_id, approved ? 'approved' : 'rejected'],
  );
  if (!approved || item.kind !== 'chargeback') {
    await deps.risk.recordOutcome({ type: 'recharge', id: recharge.recharge_id }, approved ? 'review_approved' : 'review_rejected', { manager, note: reason, recordedBy: authorOf(actor).slice(0, 200) });
  }
  await recordAudit(manager, actor, {
    action: approved ? 'recharge.review_cleared' : 'recharge.review_confirmed_fraud',
    entity: 'recharge',
    entityId: recharge.recharge_id,
    before: { state: recharge.state },
    after: { state: recharge.state, review_id: item.id, kind: item.kind },
    reason,
  });
  return { recharge_id: recharge.recharge_id, state: recharge.state, ledger_transaction_id: null };
}

const BLOCKABLE: Array<{ kind: 'card' | 'device' | 'ip'; flag: keyof RejectExtras; column: keyof HeldRow }> = [
  { kind: 'card', flag: 'blockCard', column: 'card_fingerprint' },
  { kind: 'device', flag: 'blockDevice', column: 'device_id' },
  { kind: 'ip', flag: 'blockIp', column: 'ip' },
];

/** Adds the rejected recharges' cards, devices or IPs to the block list (risk lists), each with an audit row. */
async function blockInstruments(manager: EntityManager, deps: DecisionDeps, actor: Actor, item: LockedItem, held: HeldRow[], extras: RejectExtras, reason: string): Promise<DecisionResult['blocked']> {
  const blocked: DecisionResult['blocked'] = [];
  for (const { kind, flag, column } of BLOCKABLE) {
    if (!extras[flag]) continue;
    const values = [...new Set(held.map((r) => r[column]).filter((v): v is string => typeof v === 'string' && v.length > 0))];
    for (const value of values) {
      const [active] = await manager.query(
        `SELECT id FROM list_entries WHERE list = 'block' AND kind = $1 AND value = $2 AND removed_at IS NULL AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
        [kind, value],
      );
      if (active) {
        blocked.push({ kind, value, list_entry_id: active.id, already: true });
        continue;
      }
      const entry = await deps.risk.addListEntry({ list: 'block', kind, value, reason: `review ${item.id} rejected: ${reason}`.slice(0, 1000), author: authorOf(actor).slice(0, 200) }, { manager });
      await recordAudit(manager, actor, { action: 'list_entry.created', entity: 'list_entry', entityId: entry.id, after: { list: 'block', kind, value, review_id: item.id }, reason });
      blocked.push({ kind, value, list_entry_id: entry.id, already: false });
    }
  }
  return blocked;
}

async function freezeUser(manager: EntityManager, deps: DecisionDeps, actor: Actor, item: LockedItem, reason: string): Promise<boolean> {
  const [user] = await manager.query(`SELECT frozen_at FROM users WHERE id = $1`, [item.user_id]);
  if (user?.frozen_at) return false;
  await deps.users.setFrozenIn(manager, actor, item.user_id, `review ${item.id} rejected: ${reason}`.slice(0, 1000));
  return true;
}

/** A bulk request's reason and ids, checked before anything is written. */
export function checkBulkIds(ids: unknown, max: number): string[] {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > max) throw ValidationFailed.field('ids', `must list 1-${max} review ids`);
  const bad = ids.findIndex((id) => typeof id !== 'string' || !uuid.test(id));
  if (bad >= 0) throw ValidationFailed.field(`ids[${bad}]`, 'must be a UUID');
  return [...new Set((ids as string[]).map((id) => id.toLowerCase()))];
}
