import type { EntityManager } from 'typeorm';

/** Hours recomputed before the watermark: recharges received then may have been decided since. */
export const RECHARGE_SETTLE_HOURS = 2;

/** Recharges aggregated per statement: a window of days after an outage stays many bounded statements, not one long one. */
const CHUNK_HOURS = 24;

/**
 * Recomputes `rollup_recharges_hourly` from `fromHour` on (delete + insert, idempotent), grouped by the
 * UTC hour the recharge was received, then `rollup_recharges_daily` for the days those hours touch. Reads
 * only recharges received since `fromHour`, through `recharges_created_at`, a day per statement.
 */
export async function recomputeRechargeHours(manager: EntityManager, fromHour: Date, now = new Date()): Promise<number> {
  await manager.query(`DELETE FROM rollup_recharges_hourly WHERE hour >= $1`, [fromHour]);
  let rows = 0;
  for (let start = fromHour.getTime(); ; start += CHUNK_HOURS * 3_600_000) {
    const end = start + CHUNK_HOURS * 3_600_000;
    const last = end > now.getTime();
    const inserted: unknown[] = await manager.query(
      `INSERT INTO rollup_recharges_hourly (hour, method, currency, decision, recharges, coins, amount_minor)
       SELECT date_trunc('hour', created_at, 'UTC'), method, currency, coalesce(decision, 'pending'),
              count(*), sum(coins), sum(amount_minor)
       FROM recharges WHERE created_at >= $1 AND ($2::timestamptz IS NULL OR created_at < $2)
       GROUP BY 1, 2, 3, 4
       RETURNING 1`,
      [new Date(start), last ? null : new Date(end)],
    );
    rows += inserted.length;
    if (last) break;
  }
  // The days those hours belong to, whole, from the hourly rows (a day is at most 24 × its keys).
  const fromDay = new Date(Math.floor(fromHour.getTime() / 86_400_000) * 86_400_000);
  await manager.query(`DELETE FROM rollup_recharges_daily WHERE day >= $1::date`, [fromDay.toISOString().slice(0, 10)]);
  await manager.query(
    `INSERT INTO rollup_recharges_daily (day, method, currency, decision, recharges, coins, amount_minor)
     SELECT (hour AT TIME ZONE 'UTC')::date, method, currency, decision, sum(recharges), sum(coins), sum(amount_minor)
     FROM rollup_recharges_hourly WHERE hour >= $1
     GROUP BY 1, 2, 3, 4`,
    [fromDay],
  );
  return rows;
}

/**
 * Where the next recomputation must start: a little before the watermark, and never after an hour that
 * still counts recharges as 'pending' or the oldest recharge still waiting for its decision (found
 * through `recharges_state`), so a recharge decided late — after a worker outage — is recounted in its hour.
 */
export async function rechargeRecomputeStart(manager: EntityManager, watermark: Date | null): Promise<Date> {
  const [row]: Array<{ oldest_pending: Date | null; oldest_pending_hour: Date | null; oldest: Date | null }> = await manager.query(
    `SELECT (SELECT min(created_at) FROM recharges WHERE state = 'received') AS oldest_pending,
            (SELECT min(hour) FROM rollup_recharges_hourly WHERE decision = 'pending') AS oldest_pending_hour,
            CASE WHEN $1::timestamptz IS NULL THEN (SELECT min(created_at) FROM recharges) END AS oldest`,
    [watermark],
  );
  const settled = watermark ? new Date(watermark.getTime() - RECHARGE_SETTLE_HOURS * 3_600_000) : row.oldest;
  const candidates = [row.oldest_pending, row.oldest_pending_hour, settled].filter((d): d is Date => d instanceof Date);
  const start = candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : new Date();
  return floorToHour(start);
}

export function floorToHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}
