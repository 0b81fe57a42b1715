import { recordAudit, systemActor, type Actor } from '@coinops/access';
import { Conflict, NotFound, PAYOUT_OPEN_STATES, type PayoutHoldReason } from '@coinops/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { holdCauses, type HoldCause } from './hold-causes';
import type { PayoutSettings } from './payout-settings';
import { checkReason, lockPayout, movePayout, type PayoutRow } from './payout-store';

export const HOLDS_ACTOR = systemActor('payout-holds');

interface HoldRow {
  id: string;
  reason: PayoutHoldReason;
  detail: string;
  released_at: Date | null;
  release_kind: 'automatic' | 'manual' | null;
}

export interface HoldsOutcome {
  state: PayoutRow['state'];
  placed: PayoutHoldReason[];
  released: PayoutHoldReason[];
}

/**
 * Brings a locked open payout's holds in line with the causes that hold it now: a new cause places a
 * hold; an active hold whose cause cleared releases itself; a cause finance released by hand for this
 * payout is not placed again. Then `requested` / `pending_approval` with a hold → `on_hold`, and
 * `requested` / `on_hold` without one → `pending_approval` (a new approval round).
 */
export async function reconcileHolds(manager: EntityManager, actor: Actor, payout: PayoutRow, settings: PayoutSettings): Promise<HoldsOutcome> {
  if (!PAYOUT_OPEN_STATES.includes(payout.state)) return { state: payout.state, placed: [], released: [] };
  const causes = await holdCauses(manager, payout, settings);
  const holds: HoldRow[] = await manager.query(`SELECT id::text, reason, detail, released_at, release_kind FROM payout_holds WHERE payout_id = $1 ORDER BY id`, [payout.id]);
  const overridden = new Set(holds.filter((h) => h.release_kind === 'manual').map((h) => h.reason));
  const active = new Map(holds.filter((h) => h.released_at === null).map((h) => [h.reason, h]));
  const wanted = new Map<PayoutHoldReason, HoldCause>(causes.filter((c) => !overridden.has(c.reason)).map((c) => [c.reason, c]));

  const placed: PayoutHoldReason[] = [];
  for (const cause of wanted.values()) {
    if (active.has(cause.reason)) continue;
    await manager.query(`INSERT INTO payout_holds (payout_id, reason, detail) VALUES ($1, $2, $3)`, [payout.id, cause.reason, cause.detail.slice(0, 1000)]);
    await recordAudit(manager, actor, { action: 'payout.hold_placed', entity: 'payout', entityId: payout.id, after: { reason: cause.reason, detail: cause.detail } });
    placed.push(cause.reason);
  }
  const released: PayoutHoldReason[] = [];
  for (const hold of active.values()) {
    if (wanted.has(hold.reason)) continue;
    await manager.query(
      `UPDATE payout_holds SET released_at = now(), release_kind = 'automatic', release_reason = 'the cause cleared' WHERE id = $1 AND released_at IS NULL`,
      [hold.id],
    );
    await recordAudit(manager, actor, { action: 'payout.hold_released', entity: 'payout', entityId: payout.id, before: { reason: hold.reason, detail: hold.detail }, after: { release_kind: 'automatic' }, reason: 'the cause cleared' });
    released.push(hold.reason);
  }
  await settleHoldState(manager, actor, payout, wanted.size);
  return { state: payout.state, placed, released };
}

/** The state that follows from the number of active holds. */
async function settleHoldState(manager: EntityManager, actor: Actor, payout: PayoutRow, activeHolds: number): Promise<void> {
  if (activeHolds > 0 && (payout.state === 'requested' || payout.state === 'pending_approval')) {
    await movePayout(manager, actor, payout, 'hold', {}, { after: { active_holds: activeHolds } });
  } else if (activeHolds === 0 && (payout.state === 'requested' || payout.state === 'on_hold')) {
    payout.approval_round += 1;
    await movePayout(manager, actor, payout, 'clear', { approval_round: payout.approval_round }, { after: { approval_round: payout.approval_round } });
  }
}

/** Finance releases one hold by hand, with a reason; that cause no longer holds this payout. */
export async function releaseHold(dataSource: DataSource, actor: Actor, payoutId: string, holdId: string, reason: string, settings: PayoutSettings): Promise<HoldsOutcome> {
  const why = checkReason(reason);
  if (!/^[1-9][0-9]{0,18}$/.test(holdId)) throw new NotFound('payout hold', holdId.slice(0, 40));
  return dataSource.transaction(async (manager) => {
    const payout = await lockPayout(manager, payoutId);
    const [hold]: HoldRow[] = await manager.query(`SELECT id::text, reason, detail, released_at, release_kind FROM payout_holds WHERE id = $1 AND payout_id = $2`, [holdId, payout.id]);
    if (!hold) throw new NotFound('payout hold', holdId);
    if (hold.released_at) throw new Conflict(`hold ${holdId} was already released`, undefined, { state: 'released', entity: 'payout_hold', id: holdId });
    if (!PAYOUT_OPEN_STATES.includes(payout.state)) throw new Conflict(`payout ${payout.id} is ${payout.state}: its holds no longer matter`, undefined, { state: payout.state, entity: 'payout', id: payout.id });
    await manager.query(
      `UPDATE payout_holds SET released_at = now(), release_kind = 'manual', released_by = $2, released_by_email = $3, release_reason = $4 WHERE id = $1`,
      [holdId, actor.operatorId, actor.email, why],
    );
    await recordAudit(manager, actor, { action: 'payout.hold_released', entity: 'payout', entityId: payout.id, before: { reason: hold.reason, detail: hold.detail }, after: { release_kind: 'manual', hold_id: holdId }, reason: why });
    return reconcileHolds(manager, actor, payout, settings);
  });
}

/** Open payouts read per page, and pages per run: one run re-evaluates at most 2,000 (oldest first). */
export const REEVALUATE_BATCH = 200;
export const REEVALUATE_MAX_PAGES = 10;

/**
 * Re-evaluates open payouts (the schedule, and after events that may clear a cause), oldest first, each in
 * its own transaction, paging by (created_at, id); rows locked by someone else are skipped until the next run.
 */
export async function reevaluateOpenPayouts(dataSource: DataSource, settings: PayoutSettings, options: { creatorId?: string; limit?: number } = {}): Promise<{ evaluated: number; changed: number }> {
  const pageSize = Math.min(Math.max(1, options.limit ?? REEVALUATE_BATCH), REEVALUATE_BATCH);
  let evaluated = 0;
  let changed = 0;
  let after: { created_at: Date; id: string } | null = null;
  for (let page = 0; page < REEVALUATE_MAX_PAGES; page++) {
    const rows: Array<{ id: string; created_at: Date }> = await dataSource.query(
      `SELECT id, created_at FROM payouts
        WHERE state IN ('requested','on_hold','pending_approval') AND ($1::text IS NULL OR creator_id = $1)
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY created_at, id LIMIT $2`,
      [options.creatorId ?? null, pageSize, after?.created_at ?? null, after?.id ?? null],
    );
    for (const { id } of rows) {
      const outcome = await dataSource.transaction(async (manager) => {
        const [payout]: PayoutRow[] = await manager.query(`SELECT * FROM payouts WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
        if (!payout || !PAYOUT_OPEN_STATES.includes(payout.state)) return null;
        return reconcileHolds(manager, HOLDS_ACTOR, payout, settings);
      });
      if (outcome && (outcome.placed.length || outcome.released.length)) changed++;
    }
    evaluated += rows.length;
    if (rows.length < pageSize || options.limit !== undefined) break;
    after = rows[rows.length - 1];
  }
  return { evaluated, changed };
}
