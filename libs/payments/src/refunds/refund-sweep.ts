import { systemActor } from '@coinops/access';
import type { DataSource } from 'typeorm';
import { requestAutomaticRefund } from './refund-request';

export const REFUND_SWEEP_ACTOR = 'worker:refunds.sweep-blocked';
const MAX_SWEEP = 500;

/**
 * Recharges waiting as `blocked_pending_refund` with no refund of their own (a review rejected their
 * hold, or they were blocked before automatic refunds existed) get their automatic refund, each in its
 * own transaction. Run at worker start-up and every minute; safe to run concurrently (one auto refund
 * per recharge, by a unique index and the recharge lock).
 */
export async function sweepBlockedRecharges(dataSource: DataSource, limit = MAX_SWEEP): Promise<{ requested: number }> {
  const rows: Array<{ id: string }> = await dataSource.query(
    `SELECT r.id FROM recharges r
      WHERE r.state = 'blocked_pending_refund'
        AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.recharge_id = r.id AND f.state <> 'rejected')
        AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.recharge_id = r.id AND f.kind = 'auto')
      ORDER BY r.created_at
      LIMIT $1`,
    [Math.min(Math.max(1, limit), MAX_SWEEP)],
  );
  let requested = 0;
  for (const { id } of rows) {
    await dataSource.transaction(async (manager) => {
      const [recharge]: Array<{ state: string; decision: string | null }> = await manager.query(`SELECT state, decision FROM recharges WHERE id = $1 FOR UPDATE`, [id]);
      if (recharge?.state !== 'blocked_pending_refund') return;
      const [active] = await manager.query(`SELECT 1 FROM refunds WHERE recharge_id = $1 AND (state <> 'rejected' OR kind = 'auto') LIMIT 1`, [id]);
      if (active) return;
      const reason = recharge.decision === 'block' ? 'blocked by the risk engine' : 'rejected in review';
      await requestAutomaticRefund(manager, systemActor(REFUND_SWEEP_ACTOR), id, `${reason}: the cash goes back`);
      requested++;
    });
  }
  return { requested };
}
