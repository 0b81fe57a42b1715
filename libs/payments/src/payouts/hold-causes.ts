import type { PayoutHoldReason } from '@coinops/contracts';
import { creatorDiamonds } from '@coinops/ledger';
import type { EntityManager } from 'typeorm';
import type { PayoutSettings } from './payout-settings';
import type { PayoutRow } from './payout-store';

/** A reason that holds a payout now, with what a person needs to know about it. */
export interface HoldCause {
  reason: PayoutHoldReason;
  detail: string;
}

/** Gifts of the last 30 days are what "concentrated from flagged or young accounts" looks at. */
export const GIFT_SOURCE_WINDOW_DAYS = 30;

interface CreatorFacts {
  kyc_status: string;
  tax_form: string | null;
  user_id: string | null;
  frozen_at: Date | null;
  frozen_reason: string | null;
  open_reviews: number;
  posted: string;
  pending_debits: string;
}

/**
 * Every cause that holds this payout now (docs/payouts.md, "Holds"). Read in the transaction that
 * applies them; each query is bounded by an index on the creator (and a time window for gifts).
 */
export async function holdCauses(manager: EntityManager, payout: PayoutRow, settings: PayoutSettings): Promise<HoldCause[]> {
  const [facts]: CreatorFacts[] = await manager.query(
    `SELECT c.kyc_status, c.tax_form, c.user_id, u.frozen_at, u.frozen_reason,
            (SELECT count(*)::int FROM review_items r WHERE c.user_id IS NOT NULL AND r.user_id = c.user_id AND r.state IN ('open','in_review','escalated')) AS open_reviews,
            coalesce(la.posted, 0)::text AS posted, coalesce(la.pending_debits, 0)::text AS pending_debits
       FROM creators c
       LEFT JOIN users u ON u.id = c.user_id
       LEFT JOIN ledger_accounts la ON la.code = $2
      WHERE c.id = $1`,
    [payout.creator_id, creatorDiamonds(payout.creator_id).code],
  );
  const causes: HoldCause[] = [];
  if (!facts) return [{ reason: 'kyc_unverified', detail: 'the creator has no profile yet (no creator.created received)' }];
  if (facts.kyc_status !== 'verified') causes.push({ reason: 'kyc_unverified', detail: `KYC status is ${facts.kyc_status}` });
  if (!facts.tax_form) causes.push({ reason: 'tax_form_missing', detail: 'no tax form on file' });
  if (facts.frozen_at) causes.push({ reason: 'creator_frozen', detail: `the creator's account ${facts.user_id} is frozen: ${facts.frozen_reason ?? 'no reason given'}`.slice(0, 1000) });
  if (facts.open_reviews > 0) causes.push({ reason: 'open_review', detail: `${facts.open_reviews} open review item(s) on the creator's account ${facts.user_id}` });

  const diamonds = BigInt(payout.diamonds);
  const posted = BigInt(facts.posted);
  // The account's pending debits include this payout's own reservation while it is open.
  const reservedByOthers = BigInt(facts.pending_debits) - diamonds;
  causes.push(...(await reserveWindow(manager, payout, settings, posted, reservedByOthers)));
  causes.push(...(await chargebackExposure(manager, payout, posted - reservedByOthers - diamonds)));
  causes.push(...(await unusualAmount(manager, payout, settings)));
  causes.push(...(await flaggedSources(manager, payout, settings)));
  return causes;
}

/** Diamonds earned inside the window are not paid yet: what is older must cover this payout and the others reserved. */
async function reserveWindow(manager: EntityManager, payout: PayoutRow, settings: PayoutSettings, posted: bigint, reservedByOthers: bigint): Promise<HoldCause[]> {
  if (settings.reserveWindowDays <= 0) return [];
  // occurred_at is when the gift was earned; created_at bounds the scan (an event may say it happened up to a day ahead).
  const [{ recent }] = await manager.query(
    `SELECT coalesce(sum(diamonds), 0)::text AS recent FROM gifts
      WHERE creator_id = $1 AND created_at > now() - make_interval(days => $2 + 1) AND occurred_at > now() - make_interval(days => $2)`,
    [payout.creator_id, settings.reserveWindowDays],
  );
  const matured = posted - BigInt(recent) - reservedByOthers;
  const diamonds = BigInt(payout.diamonds);
  if (matured >= diamonds) return [];
  return [{ reason: 'reserve_window', detail: `${recent} diamonds were earned in the last ${settings.reserveWindowDays} days; ${matured < 0n ? 0n : matured} of the ${diamonds} requested have matured` }];
}

/** Diamonds at risk from open chargebacks (written by the chargebacks flow) must stay covered after the payout. */
async function chargebackExposure(manager: EntityManager, payout: PayoutRow, remainingAfter: bigint): Promise<HoldCause[]> {
  const [{ present }] = await manager.query(`SELECT to_regclass('creator_diamonds_at_risk') IS NOT NULL AS present`);
  if (!present) return [];
  const [{ at_risk: atRisk }] = await manager.query(
    `SELECT coalesce(sum(diamonds), 0)::text AS at_risk FROM creator_diamonds_at_risk WHERE creator_id = $1 AND released_at IS NULL`,
    [payout.creator_id],
  );
  if (BigInt(atRisk) <= 0n || BigInt(atRisk) <= remainingAfter) return [];
  return [{ reason: 'chargeback_exposure', detail: `${atRisk} diamonds are at risk from open chargebacks; ${remainingAfter < 0n ? 0n : remainingAfter} would remain after this payout` }];
}

/** Far above the creator's usual: against the average of their last ten paid payouts (at least `unusualMinHistory`). */
async function unusualAmount(manager: EntityManager, payout: PayoutRow, settings: PayoutSettings): Promise<HoldCause[]> {
  const [history] = await manager.query(
    `SELECT count(*)::int AS n, coalesce(sum(diamonds), 0)::text AS total FROM (
       SELECT diamonds FROM payouts WHERE creator_id = $1 AND state = 'paid' AND id <> $2 ORDER BY paid_at DESC LIMIT 10) p`,
    [payout.creator_id, payout.id],
  );
  if (history.n < settings.unusualMinHistory) return [];
  const total = BigInt(history.total);
  const diamonds = BigInt(payout.diamonds);
  // diamonds > factor × total / n, in integers
  if (diamonds * BigInt(history.n) <= BigInt(settings.unusualFactor) * total) return [];
  return [{ reason: 'unusual_amount', detail: `${diamonds} diamonds is more than ${settings.unusualFactor}× the average of the last ${history.n} paid payouts (${total / BigInt(history.n)})` }];
}

/**
 * Flagged senders: frozen, on the user block list, or with an open review; young: first seen less than
 * `youngAccountDays` before the gift. Held when their share of the last 30 days' diamonds reaches the setting.
 */
async function flaggedSources(manager: EntityManager, payout: PayoutRow, settings: PayoutSettings): Promise<HoldCause[]> {
  const [share] = await manager.query(`SELECT total::text, flagged::text FROM (${GIFT_SOURCES_SQL}) s`, [payout.creator_id, GIFT_SOURCE_WINDOW_DAYS, settings.youngAccountDays]);
  const total = BigInt(share.total);
  const flagged = BigInt(share.flagged);
  if (total <= 0n || flagged * 100n < total * BigInt(settings.flaggedSharePercent)) return [];
  return [{ reason: 'flagged_gift_sources', detail: `${(flagged * 100n) / total}% of the ${total} diamonds of the last ${GIFT_SOURCE_WINDOW_DAYS} days came from flagged or young accounts` }];
}

/** Whether a sender (`u`, with the gift's time `g.occurred_at`) counts as flagged or young; $3 = young days. */
export const FLAGGED_SENDER_SQL = `(
  u.frozen_at IS NOT NULL
  OR u.created_at > g.occurred_at - make_interval(days => $3)
  OR EXISTS (SELECT 1 FROM review_items r WHERE r.user_id = g.sender_id AND r.state IN ('open','in_review','escalated'))
  OR EXISTS (SELECT 1 FROM list_entries le WHERE le.list = 'block' AND le.kind = 'user' AND le.value = g.sender_id AND le.removed_at IS NULL AND (le.expires_at IS NULL OR le.expires_at > now()))
)`;

/** $1 creator, $2 window days, $3 young days: diamonds in the window, and those from flagged or young senders. */
export const GIFT_SOURCES_SQL = `
  SELECT coalesce(sum(g.diamonds), 0) AS total,
         coalesce(sum(g.diamonds) FILTER (WHERE ${FLAGGED_SENDER_SQL}), 0) AS flagged
    FROM gifts g LEFT JOIN users u ON u.id = g.sender_id
   WHERE g.creator_id = $1 AND g.created_at > now() - make_interval(days => $2)`;
