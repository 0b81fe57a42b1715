import { NotFound, ValidationFailed } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { FLAGGED_SENDER_SQL, GIFT_SOURCE_WINDOW_DAYS, GIFT_SOURCES_SQL } from './hold-causes';
import type { PayoutSettings } from './payout-settings';

/** What finance reads on a creator's page besides the profile: earnings by day, who pays them, how much of it is flagged. */
export interface CreatorEarningsDto {
  creator_id: string;
  days: number;
  earnings: Array<{ day: string; diamonds: string; gifts: number }>;
  payouts: { paid_diamonds: string; paid: Array<{ currency: string; amount: string }>; open: number };
}

export interface CreatorGiftSourcesDto {
  creator_id: string;
  window_days: number;
  total_diamonds: string;
  flagged_diamonds: string;
  /** Percent (integer, rounded down) of the window's diamonds from flagged or young accounts. */
  flagged_share_percent: number;
  top_payers: Array<{ sender_id: string; diamonds: string; gifts: number; flagged: boolean; frozen: boolean; account_age_days: number | null }>;
}

const MAX_DAYS = 366;
const TOP_PAYERS = 20;

async function assertCreator(dataSource: DataSource, creatorId: string): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(creatorId)) throw new NotFound('creator', creatorId.slice(0, 64));
  const [found] = await dataSource.query(`SELECT 1 FROM creators WHERE id = $1`, [creatorId]);
  if (!found) throw new NotFound('creator', creatorId);
}

export async function creatorEarnings(dataSource: DataSource, creatorId: string, days = 90): Promise<CreatorEarningsDto> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw ValidationFailed.field('days', `must be 1-${MAX_DAYS}`);
  await assertCreator(dataSource, creatorId);
  const earnings = await dataSource.query(
    `SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, sum(diamonds)::text AS diamonds, count(*)::int AS gifts
       FROM gifts WHERE creator_id = $1 AND created_at > now() - make_interval(days => $2 + 1) AND occurred_at > now() - make_interval(days => $2)
      GROUP BY 1 ORDER BY 1`,
    [creatorId, days],
  );
  const [summary] = await dataSource.query(
    `SELECT coalesce(sum(diamonds) FILTER (WHERE state = 'paid'), 0)::text AS paid_diamonds,
            count(*) FILTER (WHERE state IN ('requested','on_hold','pending_approval','approved','processing'))::int AS open
       FROM payouts WHERE creator_id = $1`,
    [creatorId],
  );
  const paid = await dataSource.query(
    `SELECT currency, sum(amount_minor)::text AS amount FROM payouts WHERE creator_id = $1 AND state = 'paid' GROUP BY currency ORDER BY currency`,
    [creatorId],
  );
  return { creator_id: creatorId, days, earnings, payouts: { paid_diamonds: summary.paid_diamonds, paid, open: summary.open } };
}

export async function creatorGiftSources(dataSource: DataSource, creatorId: string, settings: PayoutSettings): Promise<CreatorGiftSourcesDto> {
  await assertCreator(dataSource, creatorId);
  const params = [creatorId, GIFT_SOURCE_WINDOW_DAYS, settings.youngAccountDays];
  const [share] = await dataSource.query(`SELECT total::text, flagged::text FROM (${GIFT_SOURCES_SQL}) s`, params);
  const top = await dataSource.query(
    `SELECT g.sender_id, sum(g.diamonds)::text AS diamonds, count(*)::int AS gifts,
            bool_or(${FLAGGED_SENDER_SQL}) AS flagged,
            bool_or(u.frozen_at IS NOT NULL) AS frozen,
            min(floor(extract(epoch FROM now() - u.created_at) / 86400))::int AS account_age_days
       FROM gifts g LEFT JOIN users u ON u.id = g.sender_id
      WHERE g.creator_id = $1 AND g.created_at > now() - make_interval(days => $2)
      GROUP BY g.sender_id
      ORDER BY sum(g.diamonds) DESC, g.sender_id
      LIMIT ${TOP_PAYERS}`,
    params,
  );
  const total = BigInt(share.total);
  const flagged = BigInt(share.flagged);
  return {
    creator_id: creatorId,
    window_days: GIFT_SOURCE_WINDOW_DAYS,
    total_diamonds: share.total,
    flagged_diamonds: share.flagged,
    flagged_share_percent: total > 0n ? Number((flagged * 100n) / total) : 0,
    top_payers: top,
  };
}
