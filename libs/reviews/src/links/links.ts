import type { DataSource, EntityManager } from 'typeorm';

/**
 * How accounts connect: a user to the cards, devices and IPs of their recharges (and the device and IP
 * of their profile), and to the creators they gifted; and back from those to the other users. Shared by
 * the evidence page (linked accounts) and the graph. Every step reads a bounded number of recent rows
 * per user or per instrument, so a hub (a carrier-grade NAT IP, a popular creator) cannot make a query
 * unbounded: its neighbours are then the most frequent among its recent rows.
 */
export type InstrumentKind = 'card' | 'device' | 'ip';
export const INSTRUMENT_KINDS: readonly InstrumentKind[] = ['card', 'device', 'ip'];

/** Recent recharges or gifts read per user, instrument or creator when following links. */
export const LINK_SCAN_ROWS = 2_000;

type Queryable = Pick<DataSource | EntityManager, 'query'>;

export interface InstrumentLink {
  user_id: string;
  kind: InstrumentKind;
  value: string;
  /** Recharges of this user with this instrument (0 when only the profile names it). */
  recharges: number;
  coins: string;
  via_profile: boolean;
  first_seen: string | null;
  last_seen: string | null;
}

export interface GiftLink {
  user_id: string;
  creator_id: string;
  gifts: number;
  coins: string;
}

/** Recharge columns by instrument kind: constants, never client input. */
const RECHARGE_COLUMN: Record<InstrumentKind, string> = { card: 'card_fingerprint', device: 'device_id', ip: 'ip' };

const key = (userId: string, kind: string, value: string) => `${userId}\u0000${kind}\u0000${value}`;
const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

function mergeProfile(links: InstrumentLink[], profile: Array<{ user_id: string; kind: InstrumentKind; value: string }>): InstrumentLink[] {
  const byKey = new Map(links.map((l) => [key(l.user_id, l.kind, l.value), l]));
  for (const row of profile) {
    const existing = byKey.get(key(row.user_id, row.kind, row.value));
    if (existing) existing.via_profile = true;
    else {
      const link: InstrumentLink = { user_id: row.user_id, kind: row.kind, value: row.value, recharges: 0, coins: '0', via_profile: true, first_seen: null, last_seen: null };
      byKey.set(key(row.user_id, row.kind, row.value), link);
      links.push(link);
    }
  }
  return links;
}

/** The instruments of some users, most used first, at most `perUser` each (plus their profile's device and IP). */
export async function instrumentsOfUsers(q: Queryable, userIds: string[], perUser: number): Promise<InstrumentLink[]> {
  if (!userIds.length) return [];
  const rows = await q.query(
    `SELECT u.user_id, x.kind, x.value, x.recharges, x.coins, x.first_seen, x.last_seen
       FROM unnest($1::text[]) AS u(user_id)
       CROSS JOIN LATERAL (
         SELECT k.kind, k.value, count(*)::int AS recharges, sum(r.coins)::text AS coins, min(r.occurred_at) AS first_seen, max(r.occurred_at) AS last_seen
           FROM (SELECT card_fingerprint, device_id, ip, coins, occurred_at FROM recharges WHERE user_id = u.user_id ORDER BY occurred_at DESC LIMIT $2) r
           CROSS JOIN LATERAL (VALUES ('card', r.card_fingerprint), ('device', r.device_id), ('ip', r.ip)) AS k(kind, value)
          WHERE k.value IS NOT NULL
          GROUP BY k.kind, k.value
          ORDER BY count(*) DESC, k.kind, k.value
          LIMIT $3) x`,
    [userIds, LINK_SCAN_ROWS, perUser],
  );
  const profile = await q.query(
    `SELECT u.id AS user_id, k.kind, k.value FROM users u CROSS JOIN LATERAL (VALUES ('device', u.device_id), ('ip', u.ip)) AS k(kind, value)
      WHERE u.id = ANY($1::text[]) AND k.value IS NOT NULL`,
    [userIds],
  );
  const links: InstrumentLink[] = rows.map((r: InstrumentLink & { first_seen: Date; last_seen: Date }) => ({ ...r, via_profile: false, first_seen: iso(r.first_seen), last_seen: iso(r.last_seen) }));
  return mergeProfile(links, profile);
}

/** The users of some instruments (recharges and profiles), most frequent first, at most `perInstrument` each. */
export async function usersOfInstruments(q: Queryable, instruments: Array<{ kind: InstrumentKind; value: string }>, perInstrument: number): Promise<InstrumentLink[]> {
  const links: InstrumentLink[] = [];
  const profile: Array<{ user_id: string; kind: InstrumentKind; value: string }> = [];
  for (const kind of INSTRUMENT_KINDS) {
    const values = [...new Set(instruments.filter((i) => i.kind === kind).map((i) => i.value))];
    if (!values.length) continue;
    const column = RECHARGE_COLUMN[kind];
    const rows = await q.query(
      `SELECT v.value, x.user_id, x.recharges, x.coins, x.first_seen, x.last_seen
         FROM unnest($1::text[]) AS v(value)
         CROSS JOIN LATERAL (
           SELECT r.user_id, count(*)::int AS recharges, sum(r.coins)::text AS coins, min(r.occurred_at) AS first_seen, max(r.occurred_at) AS last_seen
             FROM (SELECT user_id, coins, occurred_at FROM recharges WHERE ${column} = v.value ORDER BY occurred_at DESC LIMIT $2) r
            GROUP BY r.user_id
            ORDER BY count(*) DESC, r.user_id
            LIMIT $3) x`,
      [values, LINK_SCAN_ROWS, perInstrument],
    );
    for (const r of rows) links.push({ user_id: r.user_id, kind, value: r.value, recharges: r.recharges, coins: r.coins, via_profile: false, first_seen: iso(r.first_seen), last_seen: iso(r.last_seen) });
    if (kind !== 'card') {
      const owners = await q.query(
        `SELECT v.value, x.id AS user_id FROM unnest($1::text[]) AS v(value)
           CROSS JOIN LATERAL (SELECT id FROM users WHERE ${column} = v.value ORDER BY id LIMIT $2) x`,
        [values, perInstrument],
      );
      for (const o of owners) profile.push({ user_id: o.user_id, kind, value: o.value });
    }
  }
  return mergeProfile(links, profile);
}

/** Where users' coins went: the creators they gifted, by coins, at most `perUser` each. */
export async function creatorsOfUsers(q: Queryable, userIds: string[], perUser: number): Promise<GiftLink[]> {
  if (!userIds.length) return [];
  return q.query(
    `SELECT u.user_id, x.creator_id, x.gifts, x.coins
       FROM unnest($1::text[]) AS u(user_id)
       CROSS JOIN LATERAL (
         SELECT g.creator_id, count(*)::int AS gifts, sum(g.coins)::text AS coins
           FROM (SELECT creator_id, coins FROM gifts WHERE sender_id = u.user_id ORDER BY created_at DESC LIMIT $2) g
          GROUP BY g.creator_id
          ORDER BY sum(g.coins) DESC, g.creator_id
          LIMIT $3) x`,
    [userIds, LINK_SCAN_ROWS, perUser],
  );
}

/** Who gifted some creators, by coins, at most `perCreator` each. */
export async function giftersOfCreators(q: Queryable, creatorIds: string[], perCreator: number): Promise<GiftLink[]> {
  if (!creatorIds.length) return [];
  return q.query(
    `SELECT c.creator_id, x.user_id, x.gifts, x.coins
       FROM unnest($1::text[]) AS c(creator_id)
       CROSS JOIN LATERAL (
         SELECT g.sender_id AS user_id, count(*)::int AS gifts, sum(g.coins)::text AS coins
           FROM (SELECT sender_id, coins FROM gifts WHERE creator_id = c.creator_id ORDER BY created_at DESC LIMIT $2) g
          GROUP BY g.sender_id
          ORDER BY sum(g.coins) DESC, g.sender_id
          LIMIT $3) x`,
    [creatorIds, LINK_SCAN_ROWS, perCreator],
  );
}

export interface UserMarks {
  known: boolean;
  frozen: boolean;
  /** A recharge of theirs was charged back (its state, or a chargeback outcome recorded for it). */
  charged_back: boolean;
}

/** Frozen and charged-back marks of some users. */
export async function userMarks(q: Queryable, userIds: string[]): Promise<Map<string, UserMarks>> {
  if (!userIds.length) return new Map();
  const rows: Array<{ id: string; known: boolean; frozen: boolean; charged_back: boolean }> = await q.query(
    `SELECT ids.id, (u.id IS NOT NULL) AS known, (u.frozen_at IS NOT NULL) AS frozen,
            EXISTS (SELECT 1 FROM recharges r WHERE r.user_id = ids.id AND r.state = 'charged_back')
            OR EXISTS (SELECT 1 FROM recharges r JOIN risk_outcomes o ON o.subject_type = 'recharge' AND o.subject_id = r.id::text AND o.outcome = 'chargeback'
                        WHERE r.user_id = ids.id) AS charged_back
       FROM unnest($1::text[]) AS ids(id) LEFT JOIN users u ON u.id = ids.id`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.id, { known: r.known, frozen: r.frozen, charged_back: r.charged_back }]));
}

/** Which of these instruments are on the block list now (`kind:value` keys). */
export async function blockedInstruments(q: Queryable, instruments: Array<{ kind: InstrumentKind; value: string }>): Promise<Set<string>> {
  if (!instruments.length) return new Set();
  const rows: Array<{ kind: string; value: string }> = await q.query(
    `SELECT DISTINCT e.kind, e.value FROM list_entries e
       JOIN unnest($1::text[], $2::text[]) AS i(kind, value) ON e.kind = i.kind AND e.value = i.value
      WHERE e.list = 'block' AND e.removed_at IS NULL AND (e.expires_at IS NULL OR e.expires_at > now())`,
    [instruments.map((i) => i.kind), instruments.map((i) => i.value)],
  );
  return new Set(rows.map((r) => `${r.kind}:${r.value}`));
}
