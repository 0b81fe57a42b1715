import type { DataSource } from 'typeorm';
import { getReview } from '../items/review-query';
import { blockedInstruments, creatorsOfUsers, instrumentsOfUsers, userMarks, usersOfInstruments, type InstrumentKind } from '../links/links';

/** Rows of each section of the evidence page; the totals say how many there are in all. */
export const EVIDENCE_LIMITS = { recharges: 50, gifts: 50, creators: 20, instruments: 50, linkedAccounts: 50, usersPerInstrument: 50 } as const;

const REFUNDS_NOTE = 'refunds of this user\'s recharges, newest first (docs/refunds.md)';
const CHARGEBACKS_NOTE = 'disputes of this user\'s recharges (docs/chargebacks.md), and recharges with a recorded chargeback outcome';

export interface Evidence {
  user_id: string;
  user: Record<string, unknown> | null;
  recharges: { rows: Array<Record<string, unknown>>; total: number };
  gifts: { rows: Array<Record<string, unknown>>; total: number };
  coins_went_to: Array<{ creator_id: string; gifts: number; coins: string; kyc_status: string | null; creator_user_id: string | null }>;
  instruments: Array<{ kind: InstrumentKind; value: string; recharges: number; coins: string; via_profile: boolean; first_seen: string | null; last_seen: string | null; blocked: boolean; other_users: number }>;
  linked_accounts: Array<{ user_id: string; via: Array<{ kind: InstrumentKind; value: string }>; recharges: number; frozen: boolean; charged_back: boolean; known: boolean }>;
  refunds: { available: true; note: string; rows: Array<Record<string, unknown>> };
  chargebacks: { available: true; note: string; rows: Array<Record<string, unknown>> };
  limits: typeof EVIDENCE_LIMITS;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * Everything trust and safety weighs on an item, about its user: the profile; recharges, gifts and where
 * the coins went; the cards, devices and IPs used (blocked or not); and linked accounts, i.e. other users
 * sharing one of them, with their state; its refunds and chargebacks.
 */
export async function reviewEvidence(dataSource: DataSource, reviewId: string): Promise<Evidence & { review_id: string }> {
  const review = await getReview(dataSource, reviewId);
  return { review_id: reviewId, ...(await userEvidence(dataSource, review.user_id)) };
}

/** The same evidence for any user (the user page's instruments and linked accounts). */
export async function userEvidence(dataSource: DataSource, userId: string): Promise<Evidence> {
  const [user] = await dataSource.query(
    `SELECT id, country, email, birth_year, device_id, ip, profile_received, frozen_at, frozen_reason, created_at FROM users WHERE id = $1`,
    [userId],
  );
  const [recharges, [{ total: rechargeTotal }], gifts, [{ total: giftTotal }]] = await Promise.all([
    dataSource.query(
      `SELECT id, provider, provider_ref, method, coins::text, amount_minor::text AS amount, currency, card_fingerprint, card_brand, card_last4, bin_country, device_id, ip,
              state, decision, risk_score, occurred_at
         FROM recharges WHERE user_id = $1 ORDER BY occurred_at DESC, id LIMIT $2`,
      [userId, EVIDENCE_LIMITS.recharges],
    ),
    dataSource.query(`SELECT count(*)::int AS total FROM recharges WHERE user_id = $1`, [userId]),
    dataSource.query(
      `SELECT id, creator_id, coins::text, diamonds::text, gift_type, occurred_at, created_at FROM gifts WHERE sender_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [userId, EVIDENCE_LIMITS.gifts],
    ),
    dataSource.query(`SELECT count(*)::int AS total FROM gifts WHERE sender_id = $1`, [userId]),
  ]);

  const creators = await creatorsOfUsers(dataSource, [userId], EVIDENCE_LIMITS.creators);
  const creatorRows: Array<{ id: string; kyc_status: string; user_id: string | null }> = creators.length
    ? await dataSource.query(`SELECT id, kyc_status, user_id FROM creators WHERE id = ANY($1::text[])`, [creators.map((c) => c.creator_id)])
    : [];
  const creatorById = new Map(creatorRows.map((c) => [c.id, c]));

  const instruments = (await instrumentsOfUsers(dataSource, [userId], EVIDENCE_LIMITS.instruments)).slice(0, EVIDENCE_LIMITS.instruments);
  const [blocked, sharing] = await Promise.all([blockedInstruments(dataSource, instruments), usersOfInstruments(dataSource, instruments, EVIDENCE_LIMITS.usersPerInstrument)]);
  const others = sharing.filter((link) => link.user_id !== userId);
  const otherUsersOf = (kind: string, value: string) => new Set(others.filter((o) => o.kind === kind && o.value === value).map((o) => o.user_id)).size;

  const linked = new Map<string, { via: Array<{ kind: InstrumentKind; value: string }>; recharges: number }>();
  for (const link of others) {
    const entry = linked.get(link.user_id) ?? { via: [], recharges: 0 };
    if (!entry.via.some((v) => v.kind === link.kind && v.value === link.value)) entry.via.push({ kind: link.kind, value: link.value });
    entry.recharges += link.recharges;
    linked.set(link.user_id, entry);
  }
  const linkedIds = [...linked.entries()].sort((a, b) => b[1].via.length - a[1].via.length || b[1].recharges - a[1].recharges || a[0].localeCompare(b[0])).slice(0, EVIDENCE_LIMITS.linkedAccounts).map(([id]) => id);
  const marks = await userMarks(dataSource, linkedIds);

  const chargebacks = await dataSource.query(
    `SELECT r.id, c.id AS chargeback_id, r.provider_ref, COALESCE(c.amount_minor, r.amount_minor)::text AS amount, r.currency,
            COALESCE(c.state, r.state) AS state, c.reason, c.evidence_due_by, c.coins_clawed_back::text, o.recorded_at AS chargeback_recorded_at
       FROM recharges r
       LEFT JOIN chargebacks c ON c.recharge_id = r.id
       LEFT JOIN risk_outcomes o ON o.subject_type = 'recharge' AND o.subject_id = r.id::text AND o.outcome = 'chargeback'
      WHERE r.user_id = $1 AND (c.id IS NOT NULL OR r.state = 'charged_back' OR o.id IS NOT NULL) ORDER BY r.occurred_at DESC LIMIT $2`,
    [userId, EVIDENCE_LIMITS.recharges],
  );
  const refunds = await dataSource.query(
    `SELECT f.id, f.recharge_id, r.provider_ref, f.kind, f.coins::text, f.amount_minor::text AS amount, f.currency, f.state, f.updated_at
       FROM refunds f JOIN recharges r ON r.id = f.recharge_id
      WHERE f.user_id = $1 ORDER BY f.created_at DESC LIMIT $2`,
    [userId, EVIDENCE_LIMITS.recharges],
  );

  return {
    user_id: userId,
    user: user ? { ...user, frozen: user.frozen_at !== null, frozen_at: iso(user.frozen_at), created_at: iso(user.created_at) } : null,
    recharges: { rows: recharges.map((r: Record<string, unknown>) => ({ ...r, currency: String(r.currency).trim(), bin_country: (r.bin_country as string | null)?.trim() ?? null, occurred_at: iso(r.occurred_at as Date) })), total: rechargeTotal },
    gifts: { rows: gifts.map((g: Record<string, unknown>) => ({ ...g, occurred_at: iso(g.occurred_at as Date), created_at: iso(g.created_at as Date) })), total: giftTotal },
    coins_went_to: creators.map((c) => ({ creator_id: c.creator_id, gifts: c.gifts, coins: c.coins, kyc_status: creatorById.get(c.creator_id)?.kyc_status ?? null, creator_user_id: creatorById.get(c.creator_id)?.user_id ?? null })),
    instruments: instruments.map((i) => ({ kind: i.kind, value: i.value, recharges: i.recharges, coins: i.coins, via_profile: i.via_profile, first_seen: i.first_seen, last_seen: i.last_seen, blocked: blocked.has(`${i.kind}:${i.value}`), other_users: otherUsersOf(i.kind, i.value) })),
    linked_accounts: linkedIds.map((id) => ({ user_id: id, via: linked.get(id)!.via, recharges: linked.get(id)!.recharges, ...(marks.get(id) ?? { known: false, frozen: false, charged_back: false }) })),
    refunds: { available: true, note: REFUNDS_NOTE, rows: refunds.map((r: Record<string, unknown>) => ({ ...r, currency: String(r.currency).trim(), updated_at: iso(r.updated_at as Date) })) },
    chargebacks: {
      available: true,
      note: CHARGEBACKS_NOTE,
      rows: chargebacks.map((r: Record<string, unknown>) => ({
        ...r,
        currency: String(r.currency).trim(),
        evidence_due_by: iso(r.evidence_due_by as Date | null),
        chargeback_recorded_at: iso(r.chargeback_recorded_at as Date | null),
      })),
    },
    limits: EVIDENCE_LIMITS,
  };
}
