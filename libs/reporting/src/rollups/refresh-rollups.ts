import type { DataSource, EntityManager } from 'typeorm';
import { floorToDay, recomputeReviewDays, snapshotFlaggedGiftCreators, snapshotLiability, snapshotPayoutStates } from './daily-rollups';
import { floorToHour, rechargeRecomputeStart, recomputeRechargeHours } from './recharge-rollup';

/** One run at a time across every worker replica (a transaction-level advisory lock). */
const ROLLUP_LOCK_KEY = 7_210_431_001;

export interface RollupRun {
  /** false: another run held the lock; this one did nothing. */
  ran: boolean;
  rechargesFrom: string | null;
  rechargeRows: number;
  payouts: boolean;
  durationMs: number;
}

/**
 * Brings every dashboard rollup up to date (the worker's `reporting.rollup` schedule; docs/reporting.md).
 * Idempotent: each part recomputes a window from the source tables and replaces it, so a retried or
 * concurrent run changes nothing; the recharge watermark only says where the next window starts.
 */
export async function refreshRollups(dataSource: DataSource, now: Date = new Date()): Promise<RollupRun> {
  const started = Date.now();
  return dataSource.transaction(async (manager) => {
    const [{ locked }]: Array<{ locked: boolean }> = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [ROLLUP_LOCK_KEY]);
    if (!locked) return { ran: false, rechargesFrom: null, rechargeRows: 0, payouts: false, durationMs: Date.now() - started };
    // Short aggregates whose estimates pass jit_above_cost: compiling them cost more than running them (docs/reporting.md).
    await manager.query(`SET LOCAL jit = off`);

    const watermark = await readWatermark(manager, 'recharges');
    const rechargesFrom = await rechargeRecomputeStart(manager, watermark);
    const rechargeRows = await recomputeRechargeHours(manager, rechargesFrom, now);
    await writeWatermark(manager, 'recharges', floorToHour(now));

    const today = floorToDay(now);
    const reviewsWatermark = await readWatermark(manager, 'reviews');
    // From the last day a run saw (yesterday, on the first run after midnight: its end is now final) to today.
    const reviewsFrom = reviewsWatermark ?? (await oldestReviewDay(manager)) ?? today;
    await recomputeReviewDays(manager, floorToDay(new Date(Math.min(reviewsFrom.getTime(), today.getTime()))), today, now);
    await writeWatermark(manager, 'reviews', today);

    const payouts = await snapshotPayoutStates(manager, now);
    await snapshotLiability(manager, now);
    await snapshotFlaggedGiftCreators(manager, now);
    return { ran: true, rechargesFrom: rechargesFrom.toISOString(), rechargeRows, payouts, durationMs: Date.now() - started };
  });
}

async function readWatermark(manager: EntityManager, name: string): Promise<Date | null> {
  const [row]: Array<{ watermark: Date }> = await manager.query(`SELECT watermark FROM rollup_watermarks WHERE name = $1`, [name]);
  return row?.watermark ?? null;
}

async function writeWatermark(manager: EntityManager, name: string, watermark: Date): Promise<void> {
  await manager.query(
    `INSERT INTO rollup_watermarks (name, watermark) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET watermark = EXCLUDED.watermark, updated_at = now()`,
    [name, watermark],
  );
}

async function oldestReviewDay(manager: EntityManager): Promise<Date | null> {
  const [row]: Array<{ oldest: Date | null }> = await manager.query(`SELECT min(created_at) AS oldest FROM review_items`);
  return row.oldest;
}
