import { NotFound } from '@coinops/contracts';
import { userCoins } from '../accounts/account-codes';

/** Anything that runs SQL: an EntityManager inside the caller's transaction, a DataSource, a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

export interface GiftConsumption {
  gift_id: string;
  creator_id: string | null;
  /** Coins of this recharge the gift spent. */
  coins: bigint;
  /** Diamonds those coins earned the creator: the gift's diamonds × coins / gift coins, rounded down. */
  diamonds: bigint;
}

export interface RechargeCoinUsage {
  rechargeId: string;
  userId: string;
  /** `posted`: credited; `held`: still a hold (nothing spendable yet); `none`: never credited (blocked). */
  state: 'posted' | 'held' | 'none';
  coins: bigint;
  /** Taken back from this recharge by its own refunds and chargebacks (net of reversed clawbacks). */
  refundedCoins: bigint;
  /** Spent by gifts and other debits, first in, first out. */
  spentCoins: bigint;
  unspentCoins: bigint;
  gifts: GiftConsumption[];
}

/** Postings of one wallet read at most: past it the attribution refuses rather than read without bound. */
export const MAX_ATTRIBUTION_POSTINGS = 200_000;

interface WalletPosting {
  amount: string;
  /** posted | hold | release (absent: posted). */
  kind?: string;
  /** The transaction's phase: single | pending | post | void. */
  phase?: string;
  /** For a post or void: the pending transaction it resolves. */
  pending_id?: string | null;
  tx_id: string;
  type: string;
  ref_type: string | null;
  ref_id: string | null;
  recharge_id: string | null;
}

interface Lot {
  rechargeId: string | null;
  coins: bigint;
  remaining: bigint;
  refunded: bigint;
  giftCoins: Map<string, bigint>;
  otherSpent: bigint;
}

/**
 * Which coins of a recharge are still unspent, and which gifts spent the rest (docs/ledger.md, "Which
 * coins a gift spent"). The rule, over the user's coin wallet in posting order:
 * - every credit is a lot: a recharge's credit is that recharge's lot; any other credit (an adjustment,
 *   a reversed gift) is a lot of its own; a credit naming a recharge that already has a lot (a clawback
 *   reversed after a won chargeback) goes back into that lot;
 * - a debit naming a recharge (its refund or chargeback: `metadata.recharge_id`, or a reversal of the
 *   recharge's own entry) takes that recharge's coins first;
 * - every other debit (gifts, adjustments) takes the oldest coins first (FIFO).
 * Coins a debit takes beyond every lot are a debt, attributed to no recharge.
 */
export async function rechargeCoinUsage(db: Queryable, rechargeId: string): Promise<RechargeCoinUsage> {
  const [recharge]: Array<{ user_id: string; coins: string; phase: string | null; state: string | null }> = await db.query(
    `SELECT r.user_id, r.coins::text,
            (SELECT t.phase FROM ledger_transactions t WHERE t.idempotency_key = 'recharge:' || r.id::text) AS phase,
            (SELECT CASE WHEN EXISTS (SELECT 1 FROM ledger_transactions v WHERE v.pending_id = t.id AND v.phase = 'post') THEN 'posted'
                         WHEN EXISTS (SELECT 1 FROM ledger_transactions v WHERE v.pending_id = t.id AND v.phase = 'void') THEN 'voided'
                         ELSE 'pending' END
               FROM ledger_transactions t WHERE t.idempotency_key = 'recharge:' || r.id::text AND t.phase = 'pending') AS state
       FROM recharges r WHERE r.id::text = $1`,
    [rechargeId],
  );
  if (!recharge) throw new NotFound('recharge', rechargeId);
  const empty = (state: RechargeCoinUsage['state']): RechargeCoinUsage => ({
    rechargeId, userId: recharge.user_id, state, coins: BigInt(recharge.coins), refundedCoins: 0n, spentCoins: 0n,
    unspentCoins: state === 'held' ? BigInt(recharge.coins) : 0n, gifts: [],
  });
  if (recharge.phase === null || recharge.state === 'voided') return empty('none');
  if (recharge.state === 'pending') return empty('held');

  const postings: WalletPosting[] = await db.query(
    `SELECT p.amount::text, p.kind, t.phase, t.pending_id::text, t.id::text AS tx_id, t.type,
            COALESCE(t.reference_type, pt.reference_type) AS ref_type,
            COALESCE(t.reference_id, pt.reference_id) AS ref_id,
            COALESCE(t.metadata->>'recharge_id', pt.metadata->>'recharge_id',
                     CASE WHEN rt.reference_type = 'recharge' THEN rt.reference_id END) AS recharge_id
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.id = p.transaction_id
       LEFT JOIN ledger_transactions pt ON pt.id = t.pending_id
       LEFT JOIN ledger_transactions rt ON rt.id = t.reverses_id
      WHERE p.account_id = (SELECT id FROM ledger_accounts WHERE code = $1)
      ORDER BY p.id
      LIMIT $2`,
    [userCoins(recharge.user_id).code, MAX_ATTRIBUTION_POSTINGS + 1],
  );
  if (postings.length > MAX_ATTRIBUTION_POSTINGS) {
    throw new Error(`coin attribution: user ${recharge.user_id} has more than ${MAX_ATTRIBUTION_POSTINGS} wallet postings`);
  }

  const lots = allocate(postings);
  const lot = lots.find((l) => l.rechargeId === rechargeId);
  if (!lot) return empty('none');
  const gifts = await giftDiamonds(db, lot.giftCoins);
  for (const [giftId, coins] of lot.giftCoins) if (coins <= 0n) lot.giftCoins.delete(giftId);
  const giftCoins = [...lot.giftCoins.values()].reduce((sum, coins) => sum + coins, 0n);
  return {
    rechargeId,
    userId: recharge.user_id,
    state: 'posted',
    coins: lot.coins,
    refundedCoins: lot.refunded,
    spentCoins: giftCoins + lot.otherSpent,
    unspentCoins: lot.remaining,
    gifts,
  };
}

/** What one debit took from one lot, so a voided hold (or the unposted part of a hold) can give it back. */
interface Taken {
  lot: Lot;
  coins: bigint;
  /** Taken by the recharge's own refund or chargeback (counts as refunded, not spent). */
  own: boolean;
  giftId: string | null;
}

/**
 * The lots of one wallet after every posting (exported for tests). A debit hold (a refund reserving a
 * recharge's coins) takes its coins when it is placed, as if posted: held coins can be neither spent nor
 * refunded twice. Voiding it gives them back to the lots they came from; posting it takes nothing more
 * (posting for less gives back the difference).
 */
export function allocate(postings: readonly WalletPosting[]): Lot[] {
  const lots: Lot[] = [];
  const byRecharge = new Map<string, Lot>();
  const held = new Map<string, Taken[]>();
  const cursor = { oldest: 0 };

  const giveBack = (taken: readonly Taken[], coinsToReturn: bigint) => {
    let left = coinsToReturn;
    for (const t of [...taken].reverse()) {
      if (left <= 0n) break;
      const coins = t.coins < left ? t.coins : left;
      t.lot.remaining += coins;
      if (t.own) t.lot.refunded -= coins;
      else if (t.giftId) t.lot.giftCoins.set(t.giftId, (t.lot.giftCoins.get(t.giftId) ?? 0n) - coins);
      else t.lot.otherSpent -= coins;
      cursor.oldest = Math.min(cursor.oldest, lots.indexOf(t.lot));
      left -= coins;
    }
  };

  for (const posting of postings) {
    const amount = BigInt(posting.amount);
    const kind = posting.kind ?? 'posted';
    const rechargeId = posting.ref_type === 'recharge' ? posting.ref_id : posting.recharge_id;
    if (kind === 'release') {
      // A voided hold gives its coins back; a posted one keeps them (its posted leg takes nothing more).
      const taken = posting.pending_id ? held.get(posting.pending_id) : undefined;
      if (taken && posting.phase === 'void') {
        giveBack(taken, taken.reduce((sum, t) => sum + t.coins, 0n));
        held.delete(posting.pending_id!);
      }
      continue;
    }
    if (kind === 'hold') {
      if (amount < 0n) held.set(posting.tx_id, [...(held.get(posting.tx_id) ?? []), ...take(lots, byRecharge, cursor, -amount, rechargeId, posting)]);
      continue; // a pending credit (a held recharge) is no coin until posted
    }
    if (posting.phase === 'post' && amount < 0n && posting.pending_id && held.has(posting.pending_id)) {
      const taken = held.get(posting.pending_id)!;
      const heldCoins = taken.reduce((sum, t) => sum + t.coins, 0n);
      if (-amount < heldCoins) giveBack(taken, heldCoins + amount);
      held.delete(posting.pending_id);
      continue;
    }
    if (amount > 0n) {
      const existing = rechargeId ? byRecharge.get(rechargeId) : undefined;
      if (existing) {
        existing.remaining += amount;
        existing.refunded -= amount;
        cursor.oldest = Math.min(cursor.oldest, lots.indexOf(existing));
        continue;
      }
      const lot: Lot = { rechargeId: rechargeId ?? null, coins: amount, remaining: amount, refunded: 0n, giftCoins: new Map(), otherSpent: 0n };
      lots.push(lot);
      if (rechargeId) byRecharge.set(rechargeId, lot);
      continue;
    }
    take(lots, byRecharge, cursor, -amount, rechargeId, posting);
  }
  return lots;
}

/** A debit of `coins`: the named recharge's own coins first, then the oldest (FIFO). Coins past every lot are a debt. */
function take(lots: Lot[], byRecharge: Map<string, Lot>, cursor: { oldest: number }, coins: bigint, rechargeId: string | null, posting: WalletPosting): Taken[] {
  const taken: Taken[] = [];
  let owed = coins;
  const own = rechargeId ? byRecharge.get(rechargeId) : undefined;
  if (own && own.remaining > 0n) {
    const part = owed < own.remaining ? owed : own.remaining;
    own.remaining -= part;
    own.refunded += part;
    owed -= part;
    taken.push({ lot: own, coins: part, own: true, giftId: null });
  }
  const giftId = posting.type === 'gift' && posting.ref_type === 'gift' ? posting.ref_id : null;
  while (owed > 0n && cursor.oldest < lots.length) {
    const lot = lots[cursor.oldest];
    if (lot.remaining <= 0n) {
      cursor.oldest++;
      continue;
    }
    const part = owed < lot.remaining ? owed : lot.remaining;
    lot.remaining -= part;
    owed -= part;
    if (giftId) lot.giftCoins.set(giftId, (lot.giftCoins.get(giftId) ?? 0n) + part);
    else lot.otherSpent += part;
    taken.push({ lot, coins: part, own: false, giftId });
  }
  return taken;
}

async function giftDiamonds(db: Queryable, giftCoins: Map<string, bigint>): Promise<GiftConsumption[]> {
  if (giftCoins.size === 0) return [];
  const rows: Array<{ gift_id: string; creator_id: string | null; gift_coins: string; diamonds: string }> = await db.query(
    `SELECT t.reference_id AS gift_id,
            MAX(a.owner_id) FILTER (WHERE a.kind = 'creator') AS creator_id,
            COALESCE(-SUM(p.amount) FILTER (WHERE a.kind = 'user'), 0)::text AS gift_coins,
            COALESCE(SUM(p.amount) FILTER (WHERE a.kind = 'creator'), 0)::text AS diamonds
       FROM ledger_transactions t
       JOIN ledger_postings p ON p.transaction_id = t.id AND p.kind = 'posted'
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE t.idempotency_key = ANY($1::text[])
      GROUP BY t.reference_id`,
    [[...giftCoins.keys()].map((id) => `gift:${id}`)],
  );
  const byGift = new Map(rows.map((row) => [row.gift_id, row]));
  return [...giftCoins.entries()].map(([giftId, coins]) => {
    const row = byGift.get(giftId);
    const giftTotal = row ? BigInt(row.gift_coins) : 0n;
    const diamonds = row && giftTotal > 0n ? (BigInt(row.diamonds) * coins) / giftTotal : 0n;
    return { gift_id: giftId, creator_id: row?.creator_id ?? null, coins, diamonds };
  });
}
