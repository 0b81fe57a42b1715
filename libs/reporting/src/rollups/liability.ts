import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

export interface LiabilityFigures {
  /** Coins in users' wallets (their positive balances): what the platform owes in coins. */
  coins_outstanding: string;
  /** Coins credited as holds while a review decides (pending, not spendable). */
  coins_held: string;
  /** Coins users owe back after a chargeback took more than their wallet held (a visible debt, DESIGN §3). */
  coins_debt: string;
  diamonds_owed: string;
  /** Diamonds reserved by payout requests (still owed until paid). */
  diamonds_reserved: string;
  diamonds_debt: string;
}

/**
 * The platform's liabilities from the ledger, without reading user or creator accounts one by one:
 * the platform accounts (shards included; a range on the unique `code` index) give the net of every
 * wallet, and the only accounts that can be negative — debts left by chargebacks (DESIGN §3) — are found
 * through the chargebacks flow's own tables, so the gross liability is the net plus those debts.
 */
export async function liabilityNow(db: Queryable): Promise<LiabilityFigures> {
  const [{ chargebacks, at_risk }]: Array<{ chargebacks: boolean; at_risk: boolean }> = await db.query(
    `SELECT to_regclass('public.chargebacks') IS NOT NULL AS chargebacks, to_regclass('public.creator_diamonds_at_risk') IS NOT NULL AS at_risk`,
  );
  const debtors = [
    chargebacks ? `SELECT DISTINCT 'user:' || user_id || ':coins' AS code FROM chargebacks` : null,
    at_risk ? `SELECT DISTINCT 'creator:' || creator_id || ':diamonds' FROM creator_diamonds_at_risk WHERE policy = 'claw_back'` : null,
  ].filter(Boolean);
  const debts = debtors.length
    ? `SELECT coalesce(sum(a.posted) FILTER (WHERE a.asset = 'COIN'), 0) AS coins, coalesce(sum(a.posted) FILTER (WHERE a.asset = 'DIAMOND'), 0) AS diamonds
       FROM ledger_accounts a WHERE a.code IN (${debtors.join(' UNION ')}) AND a.posted < 0`
    : `SELECT 0 AS coins, 0 AS diamonds`;
  const [row]: LiabilityFigures[] = await db.query(
    `WITH platform AS (
       SELECT -coalesce(sum(posted) FILTER (WHERE asset = 'COIN'), 0) AS coins_net,
              coalesce(sum(pending_debits) FILTER (WHERE asset = 'COIN'), 0) AS coins_held,
              -coalesce(sum(posted) FILTER (WHERE asset = 'DIAMOND'), 0) AS diamonds_net,
              coalesce(sum(pending_credits) FILTER (WHERE asset = 'DIAMOND'), 0) AS diamonds_reserved
       FROM ledger_accounts WHERE code >= 'platform:' AND code < 'platform;' AND kind = 'platform'
     ), debts AS (${debts})
     SELECT (p.coins_net - d.coins)::text AS coins_outstanding, p.coins_held::text AS coins_held, (-d.coins)::text AS coins_debt,
            (p.diamonds_net - d.diamonds)::text AS diamonds_owed, p.diamonds_reserved::text AS diamonds_reserved, (-d.diamonds)::text AS diamonds_debt
     FROM platform p, debts d`,
  );
  return row;
}
