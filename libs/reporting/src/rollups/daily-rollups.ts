import type { EntityManager } from 'typeorm';
import { liabilityNow } from './liability';

const DAY_MS = 86_400_000;

export function floorToDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** Whether a table of another flow exists yet (refunds, chargebacks, payouts land separately). */
export async function tableExists(manager: EntityManager, table: string): Promise<boolean> {
  const [row]: Array<{ present: boolean }> = await manager.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`public.${table}`]);
  return row.present;
}

/**
 * The review queue per UTC day from `fromDay` to `toDay` (inclusive). A past day's figures are facts
 * that no longer move once it ended (creation, decision and due times never change), so a run redoes
 * today, and yesterday only on its first run after midnight. Today's counts read the indexes on
 * `created_at`, `decided_at` and `sla_due_at` (1764289000000-Rollups) and the partial index of active items.
 */
export async function recomputeReviewDays(manager: EntityManager, fromDay: Date, toDay: Date, now: Date): Promise<void> {
  await manager.query(`DELETE FROM rollup_reviews_daily WHERE day BETWEEN $1::date AND $2::date`, [iso(fromDay), iso(toDay)]);
  // A week of days per statement: a first build over months stays bounded statements.
  for (let start = fromDay.getTime(); start <= toDay.getTime(); start += REVIEW_DAYS_PER_STATEMENT * DAY_MS) {
    const end = new Date(Math.min(toDay.getTime(), start + (REVIEW_DAYS_PER_STATEMENT - 1) * DAY_MS));
    await insertReviewDays(manager, new Date(start), end, now);
  }
}

const REVIEW_DAYS_PER_STATEMENT = 7;

async function insertReviewDays(manager: EntityManager, fromDay: Date, toDay: Date, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO rollup_reviews_daily (day, opened, decided, sla_breached, depth_at_end)
     SELECT d::date,
            (SELECT count(*) FROM review_items WHERE created_at >= d AND created_at < d + interval '1 day'),
            (SELECT count(*) FROM review_items WHERE decided_at >= d AND decided_at < d + interval '1 day'),
            (SELECT count(*) FROM review_items
              WHERE sla_due_at >= d AND sla_due_at < least(d + interval '1 day', $3::timestamptz)
                AND (decided_at IS NULL OR decided_at > sla_due_at)),
            -- today: the active items now (their partial index); a past day: created before its end, not decided by then
            CASE WHEN d + interval '1 day' > $3::timestamptz
              THEN (SELECT count(*) FROM review_items WHERE state IN ('open', 'in_review', 'escalated'))
              ELSE (SELECT count(*) FROM review_items WHERE created_at < d + interval '1 day' AND (decided_at IS NULL OR decided_at >= d + interval '1 day'))
            END
     FROM generate_series($1::date::timestamp AT TIME ZONE 'UTC', $2::date::timestamp AT TIME ZONE 'UTC', interval '1 day') AS d`,
    [iso(fromDay), iso(toDay), now],
  );
}

/** Payouts by current state: replaced as a whole (payouts are few next to recharges and gifts). */
export async function snapshotPayoutStates(manager: EntityManager, now: Date): Promise<boolean> {
  if (!(await tableExists(manager, 'payouts'))) return false;
  await manager.query(`DELETE FROM rollup_payouts_by_state`);
  await manager.query(
    `INSERT INTO rollup_payouts_by_state (state, currency, payouts, diamonds, amount_minor, computed_at)
     SELECT state, coalesce(currency, 'XXX'), count(*), coalesce(sum(diamonds), 0), coalesce(sum(amount_minor), 0), $1
     FROM payouts GROUP BY 1, 2`,
    [now],
  );
  return true;
}

/** Today's liabilities (see liabilityNow), kept per day so the chart has a history; today's row moves until midnight. */
export async function snapshotLiability(manager: EntityManager, now: Date): Promise<void> {
  const f = await liabilityNow(manager);
  await manager.query(
    `INSERT INTO rollup_liability_daily (day, coins_outstanding, coins_held, coins_debt, diamonds_owed, diamonds_reserved, diamonds_debt, computed_at)
     VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (day) DO UPDATE SET coins_outstanding = EXCLUDED.coins_outstanding, coins_held = EXCLUDED.coins_held, coins_debt = EXCLUDED.coins_debt,
       diamonds_owed = EXCLUDED.diamonds_owed, diamonds_reserved = EXCLUDED.diamonds_reserved, diamonds_debt = EXCLUDED.diamonds_debt,
       computed_at = EXCLUDED.computed_at`,
    [iso(floorToDay(now)), f.coins_outstanding, f.coins_held, f.coins_debt, f.diamonds_owed, f.diamonds_reserved, f.diamonds_debt, now],
  );
}

export const FLAGGED_WINDOW_DAYS = 30;
export const FLAGGED_TOP_CREATORS = 20;

/**
 * Creators ranked by coins gifted by flagged accounts over the last 30 days. A sender is flagged when
 * the risk engine raised a review or block alert on them in the window, or when they are frozen. Reads
 * the gifts of flagged senders only, through `gifts_sender`.
 */
export async function snapshotFlaggedGiftCreators(manager: EntityManager, now: Date): Promise<void> {
  await manager.query(`DELETE FROM rollup_flagged_gift_creators`);
  await manager.query(
    `WITH flagged AS (
       SELECT user_id FROM risk_alerts WHERE created_at >= $1 AND action <> 'allow'
       UNION
       SELECT id FROM users WHERE frozen_at IS NOT NULL
     ), ranked AS (
       SELECT g.creator_id, sum(g.coins) AS coins, count(*) AS gifts, count(DISTINCT g.sender_id) AS senders
       FROM flagged f JOIN gifts g ON g.sender_id = f.user_id AND g.created_at >= $1
       GROUP BY g.creator_id
       ORDER BY coins DESC, g.creator_id
       LIMIT $2
     )
     INSERT INTO rollup_flagged_gift_creators (rank, creator_id, coins, gifts, flagged_senders, window_days, computed_at)
     SELECT row_number() OVER (ORDER BY coins DESC, creator_id), creator_id, coins, gifts, senders, $3, $4 FROM ranked`,
    [new Date(now.getTime() - FLAGGED_WINDOW_DAYS * DAY_MS), FLAGGED_TOP_CREATORS, FLAGGED_WINDOW_DAYS, now],
  );
}

export function iso(day: Date): string {
  return day.toISOString().slice(0, 10);
}
