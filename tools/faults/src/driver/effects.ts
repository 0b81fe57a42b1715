import type { SendRecord } from './sender';

/** Runs a read-only query against the suite's database. */
export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Per business key: every effect counter it has; `expected` says what exactly-once means for it. */
export interface EffectRow {
  key: string;
  counts: Record<string, number>;
}

/**
 * What "applied" means for one kind of message, read from the database after the drain. `verdict` gets the
 * acknowledged message and the effect counters of its business key (absent: nothing happened at all) and
 * says whether it was applied once, not at all (lost) or more than once (twice).
 * A new flow (refunds, disputes, payouts) adds one entry here and one generator in workload.ts.
 */
export interface EffectCheck {
  kind: string;
  count(query: Query, keys: string[]): Promise<EffectRow[]>;
  verdict(record: SendRecord, counts: Record<string, number> | undefined): 'once' | 'lost' | 'twice';
}

const anyAbove = (counts: Record<string, number>, limit: number) => Object.values(counts).some((n) => n > limit);

/**
 * A recharge (a Stripe charge or a platform `recharge.succeeded`): one row per provider reference, one
 * evaluation job, one risk decision, one ledger entry (credit or hold) unless blocked, and evaluated. (A
 * refund's hold and a chargeback's clawback also name the recharge: only entries of type `recharge` count.)
 */
function rechargeCheck(kind: string, provider: 'stripe' | 'platform'): EffectCheck {
  return {
    kind,
    async count(query, keys) {
      const rows = await query<{ key: string; recharges: number; evaluated: number; jobs: number; receipts: number; decisions: number; entries: number; blocked: number }>(
        `SELECT r.provider_ref AS key,
                count(*)::int AS recharges,
                count(*) FILTER (WHERE r.evaluated_at IS NOT NULL AND r.state <> 'received')::int AS evaluated,
                count(*) FILTER (WHERE r.state = 'blocked_pending_refund')::int AS blocked,
                sum((SELECT count(*) FROM outbox o WHERE o.job_name = 'recharge.received' AND o.payload->>'recharge_id' = r.id::text))::int AS jobs,
                sum((SELECT count(*) FROM outbox o JOIN job_receipts j ON j.outbox_id = o.id
                      WHERE o.job_name = 'recharge.received' AND o.payload->>'recharge_id' = r.id::text))::int AS receipts,
                sum((SELECT count(*) FROM risk_decisions d WHERE d.subject_type = 'recharge' AND d.subject_id = r.id::text))::int AS decisions,
                sum((SELECT count(*) FROM ledger_transactions t
                      WHERE t.reference_type = 'recharge' AND t.reference_id = r.id::text AND t.type = 'recharge'
                        AND t.phase IN ('single', 'pending')))::int AS entries
           FROM recharges r
          WHERE r.provider = $2 AND r.provider_ref = ANY($1::text[])
          GROUP BY r.provider_ref`,
        [keys, provider],
      );
      return rows.map(({ key, ...counts }) => ({ key, counts }));
    },
    verdict(_record, counts) {
      if (!counts) return 'lost';
      const { recharges, evaluated, jobs, receipts, decisions, entries, blocked } = counts;
      if (recharges > 1 || jobs > 1 || receipts > 1 || decisions > 1 || entries > 1) return 'twice';
      const ledgerOnce = blocked === 1 ? entries === 0 : entries === 1;
      return recharges === 1 && evaluated === 1 && jobs === 1 && receipts === 1 && decisions === 1 && ledgerOnce ? 'once' : 'lost';
    },
  };
}

/** A gift: posted once (a row and a ledger entry) and observed once by the risk engine; a refused gift (409) posts nothing. */
const giftCheck: EffectCheck = {
  kind: 'gift',
  async count(query, keys) {
    const rows = await query<{ key: string; gifts: number; entries: number; observations: number }>(
      `SELECT k.key,
              (SELECT count(*) FROM gifts g WHERE g.id = k.key)::int AS gifts,
              (SELECT count(*) FROM ledger_transactions t WHERE t.reference_type = 'gift' AND t.reference_id = k.key)::int AS entries,
              (SELECT count(*) FROM risk_events e WHERE e.kind = 'gift' AND e.ref = k.key)::int AS observations
         FROM unnest($1::text[]) AS k(key)`,
      [keys],
    );
    return rows.map(({ key, ...counts }) => ({ key, counts }));
  },
  verdict(record, counts) {
    if (!counts) return 'lost';
    if (anyAbove(counts, 1)) return 'twice';
    if (record.ackStatus === 409) return counts.gifts === 0 && counts.entries === 0 ? 'once' : 'twice';
    return counts.gifts === 1 && counts.entries === 1 && counts.observations === 1 ? 'once' : 'lost';
  },
};

/** A user profile: the row exists with its profile (an upsert: twice is not observable, lost is). */
const userCheck: EffectCheck = {
  kind: 'user',
  async count(query, keys) {
    const rows = await query<{ key: string; profiles: number }>(
      `SELECT id AS key, (CASE WHEN profile_received THEN 1 ELSE 0 END)::int AS profiles FROM users WHERE id = ANY($1::text[])`,
      [keys],
    );
    return rows.map(({ key, ...counts }) => ({ key, counts }));
  },
  verdict(_record, counts) {
    return counts?.profiles === 1 ? 'once' : 'lost';
  },
};

/** A creator profile (`creator.created`, KYC verified, tax form on file): an upsert, lost is observable. */
const creatorCheck: EffectCheck = {
  kind: 'creator',
  async count(query, keys) {
    const rows = await query<{ key: string; profiles: number }>(
      `SELECT id AS key, (CASE WHEN profile_received AND kyc_status = 'verified' AND tax_form IS NOT NULL THEN 1 ELSE 0 END)::int AS profiles
         FROM creators WHERE id = ANY($1::text[])`,
      [keys],
    );
    return rows.map(({ key, ...counts }) => ({ key, counts }));
  },
  verdict(_record, counts) {
    return counts?.profiles === 1 ? 'once' : 'lost';
  },
};

/**
 * A refund asked by support on a charge (key: the charge id): one refund (not rejected) for the charge,
 * succeeded; its ledger hold placed once and posted once (the reversal); the provider call's attempts.
 */
const refundCheck: EffectCheck = {
  kind: 'refund',
  async count(query, keys) {
    const rows = await query<{ key: string; refunds: number; succeeded: number; holds: number; reversals: number }>(
      `SELECT k.key,
              count(f.id)::int AS refunds,
              count(f.id) FILTER (WHERE f.state = 'succeeded')::int AS succeeded,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'refund:' || f.id::text)), 0)::int AS holds,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'refund-post:' || f.id::text)), 0)::int AS reversals
         FROM unnest($1::text[]) AS k(key)
         JOIN recharges r ON r.provider = 'stripe' AND r.provider_ref = k.key
         LEFT JOIN refunds f ON f.recharge_id = r.id AND f.state <> 'rejected'
        GROUP BY k.key`,
      [keys],
    );
    return rows.map(({ key, ...counts }) => ({ key, counts }));
  },
  verdict(_record, counts) {
    if (!counts) return 'lost';
    if (anyAbove(counts, 1)) return 'twice';
    return counts.refunds === 1 && counts.succeeded === 1 && counts.holds === 1 && counts.reversals === 1 ? 'once' : 'lost';
  },
};

/**
 * A dispute opened and closed at the simulator (key: the dispute id): one chargeback row in the outcome's
 * state; lost: one clawback and one fee; won: one clawback and one reversal, or neither when the `closed`
 * webhook overtook the `created` one (docs/chargebacks.md: a dispute first seen as won claws nothing back).
 */
const disputeCheck: EffectCheck = {
  kind: 'dispute',
  async count(query, keys) {
    const rows = await query<{ key: string; chargebacks: number; won: number; lost: number; clawbacks: number; reversals: number; fees: number }>(
      `SELECT k.key,
              count(c.id)::int AS chargebacks,
              count(c.id) FILTER (WHERE c.state = 'won')::int AS won,
              count(c.id) FILTER (WHERE c.state = 'lost')::int AS lost,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'chargeback:' || c.id::text)), 0)::int AS clawbacks,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'chargeback:' || c.id::text || ':reversal')), 0)::int AS reversals,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'chargeback:' || c.id::text || ':fee')), 0)::int AS fees
         FROM unnest($1::text[]) AS k(key)
         JOIN chargebacks c ON c.dispute_id = k.key
        GROUP BY k.key`,
      [keys],
    );
    return rows.map(({ key, ...counts }) => ({ key, counts }));
  },
  verdict(record, counts) {
    if (!counts) return 'lost';
    if (anyAbove(counts, 1)) return 'twice';
    const won = record.payload.outcome === 'won';
    if (won && counts.fees > 0) return 'twice';
    if (!won && counts.reversals > 0) return 'twice';
    // A dispute whose `closed` (won) overtook its `created` never claws back, so it has nothing to reverse.
    if (won) return counts.chargebacks === 1 && counts.won === 1 && counts.clawbacks === counts.reversals ? 'once' : 'lost';
    return counts.chargebacks === 1 && counts.lost === 1 && counts.clawbacks === 1 && counts.fees === 1 ? 'once' : 'lost';
  },
};

/**
 * A payout asked by the platform (key: its payout_id): one payout row, paid; its reservation placed once,
 * posted once, the cash leg once; and exactly one provider transfer for it — the distinct transfers whose
 * `payout.paid` webhook (stored in provider_events) names it, by its provider id or its key `payout:<id>`.
 * A refused request (409) must have made no payout at all.
 */
const payoutCheck: EffectCheck = {
  kind: 'payout',
  async count(query, keys) {
    const rows = await query<{ key: string; payouts: number; paid: number; reservations: number; posts: number; cash: number; transfers: number }>(
      `SELECT k.key,
              count(p.id)::int AS payouts,
              count(p.id) FILTER (WHERE p.state = 'paid')::int AS paid,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'payout:' || p.id::text || ':reserve')), 0)::int AS reservations,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'payout:' || p.id::text || ':post')), 0)::int AS posts,
              coalesce(sum((SELECT count(*) FROM ledger_transactions t WHERE t.idempotency_key = 'payout:' || p.id::text || ':cash')), 0)::int AS cash,
              coalesce(sum((SELECT count(DISTINCT e.object_id) FROM provider_events e
                              WHERE e.type IN ('payout.paid', 'payout.failed')
                                AND (e.object_id = p.provider_payout_id
                                     OR e.normalized->>'idempotencyKey' = 'payout:' || p.id::text
                                     OR e.payload->'request'->>'idempotency_key' = 'payout:' || p.id::text))), 0)::int AS transfers
         FROM unnest($1::text[]) AS k(key)
         LEFT JOIN payouts p ON p.payout_id = k.key
        GROUP BY k.key`,
      [keys],
    );
    return rows.map(({ key, ...counts }) => ({ key, counts }));
  },
  verdict(record, counts) {
    if (!counts) return 'lost';
    if (anyAbove(counts, 1)) return 'twice';
    if (record.ackStatus === 409) return counts.payouts === 0 ? 'once' : 'twice';
    return counts.payouts === 1 && counts.paid === 1 && counts.reservations === 1 && counts.posts === 1 && counts.cash === 1 && counts.transfers === 1 ? 'once' : 'lost';
  },
};

export const EFFECT_CHECKS: readonly EffectCheck[] = [
  userCheck,
  rechargeCheck('stripe_charge', 'stripe'),
  rechargeCheck('platform_recharge', 'platform'),
  giftCheck,
  creatorCheck,
  rechargeCheck('sim_charge', 'stripe'),
  refundCheck,
  disputeCheck,
  payoutCheck,
];

export interface KindFigures {
  kind: string;
  sent: number;
  acknowledged: number;
  refused: number;
  duplicates: number;
  applied: number;
  lost: number;
  twice: number;
  examples: string[];
}

const BATCH = 2_000;

/** Counts, per kind, the acknowledged messages applied once, lost and applied twice. */
export async function tallyEffects(query: Query, records: readonly SendRecord[]): Promise<KindFigures[]> {
  const figures: KindFigures[] = [];
  for (const check of EFFECT_CHECKS) {
    const mine = records.filter((r) => r.kind === check.kind);
    const acked = mine.filter((r) => r.ackStatus !== null);
    const counts = new Map<string, Record<string, number>>();
    for (let i = 0; i < acked.length; i += BATCH) {
      const rows = await check.count(query, acked.slice(i, i + BATCH).map((r) => r.businessKey));
      for (const row of rows) counts.set(row.key, row.counts);
    }
    const row: KindFigures = { kind: check.kind, sent: mine.length, acknowledged: acked.length, refused: 0, duplicates: 0, applied: 0, lost: 0, twice: 0, examples: [] };
    for (const record of mine) row.duplicates += record.copies;
    for (const record of acked) {
      if (record.ackStatus === 409) row.refused += 1;
      const verdict = check.verdict(record, counts.get(record.businessKey));
      if (verdict === 'once') row.applied += 1;
      else {
        row[verdict] += 1;
        if (row.examples.length < 5) row.examples.push(`${verdict}: ${record.businessKey} ${JSON.stringify(counts.get(record.businessKey) ?? null)}`);
      }
    }
    figures.push(row);
  }
  return figures;
}
