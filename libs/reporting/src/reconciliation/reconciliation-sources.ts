import type { EntityManager } from 'typeorm';

/**
 * The two sides of a reconciliation, read set-wise: what the provider reported (provider_events, their
 * normalized JSON) and what the ledger booked for the same charges (the cash legs on the provider's
 * clearing account). Amounts come back as decimal strings; nothing here decides what is a difference.
 */

export interface DayWindow {
  provider: string;
  start: Date;
  end: Date;
}

/** The cash the ledger booked on provider clearing accounts for a recharge's transactions of these types (resolutions and reversals included). */
const LEDGER_CASH = (types: string) => `
  LEFT JOIN LATERAL (
    SELECT -coalesce(sum(p.amount), 0) AS amount, min(a.asset) AS currency, max(x.id)::text AS transaction_id, count(*) AS postings
    FROM (
      SELECT b.id FROM ledger_transactions b WHERE b.reference_id = r.id::text AND b.type IN (${types})
      UNION ALL
      SELECT t.id FROM ledger_transactions b JOIN ledger_transactions t ON t.pending_id = b.id WHERE b.reference_id = r.id::text AND b.type IN (${types})
      UNION ALL
      SELECT t.id FROM ledger_transactions b JOIN ledger_transactions t ON t.reverses_id = b.id WHERE b.reference_id = r.id::text AND b.type IN (${types})
    ) x
    JOIN ledger_postings p ON p.transaction_id = x.id AND p.kind = 'posted'
    JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'provider'
  ) led ON r.id IS NOT NULL`;

export interface ChargeRow {
  charge_id: string;
  provider_event_id: string;
  provider_amount: string | null;
  provider_currency: string | null;
  problem: string | null;
  recharge_id: string | null;
  decision: string | null;
  ledger_transaction_id: string | null;
  /** Cash the recharge's entry put on the clearing account (posted, or held while under review). */
  ledger_amount: string | null;
  ledger_currency: string | null;
  voided: boolean;
}

/** Charges the provider reported that day (by its clock), each with the ledger entry of its recharge. */
export function providerCharges(manager: EntityManager, w: DayWindow): Promise<ChargeRow[]> {
  return manager.query(
    `WITH pe AS (
       SELECT DISTINCT ON (e.charge_id) e.charge_id, e.provider_event_id, e.problem,
              e.normalized->'recharge'->>'amountMinor' AS provider_amount, e.normalized->'recharge'->>'currency' AS provider_currency
       FROM provider_events e
       WHERE e.provider = $1 AND e.type = 'charge.succeeded' AND e.charge_id IS NOT NULL
         AND e.provider_created_at >= $2 AND e.provider_created_at < $3
       ORDER BY e.charge_id, e.provider_created_at, e.id
     )
     SELECT pe.*, r.id::text AS recharge_id, r.decision, lt.id::text AS ledger_transaction_id, cash.amount::text AS ledger_amount, cash.currency AS ledger_currency,
            EXISTS (SELECT 1 FROM ledger_transactions v WHERE v.pending_id = lt.id AND v.phase = 'void') AS voided
     FROM pe
     LEFT JOIN recharges r ON r.provider = $1 AND r.provider_ref = pe.charge_id
     LEFT JOIN ledger_transactions lt ON lt.idempotency_key = 'recharge:' || r.id::text
     LEFT JOIN LATERAL (
       SELECT sum(p.amount) AS amount, min(a.asset) AS currency
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'provider'
       WHERE p.transaction_id = lt.id AND p.amount > 0
     ) cash ON lt.id IS NOT NULL
     ORDER BY pe.charge_id`,
    [w.provider, w.start, w.end],
  );
}

export interface LedgerOnlyRow {
  charge_id: string;
  ledger_transaction_id: string;
  ledger_amount: string;
  ledger_currency: string;
}

const LEDGER_ONLY = (type: string, providerEventKind: string) => `
  SELECT r.provider_ref AS charge_id, lt.id::text AS ledger_transaction_id, abs(sum(p.amount))::text AS ledger_amount, min(a.asset) AS ledger_currency
  FROM ledger_transactions lt
  JOIN recharges r ON lt.reference_type = 'recharge' AND r.id::text = lt.reference_id AND r.provider = $1
  JOIN ledger_postings p ON p.transaction_id = lt.id
  JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'provider'
  WHERE lt.created_at >= $2 AND lt.created_at < $3 AND lt.type = '${type}' AND lt.phase IN ('single', 'pending')
    AND NOT EXISTS (SELECT 1 FROM provider_events e WHERE e.provider = $1 AND e.charge_id = r.provider_ref AND e.normalized->>'kind' = '${providerEventKind}')
  GROUP BY r.provider_ref, lt.id
  ORDER BY r.provider_ref, lt.id`;

/** Ledger entries of that day (by the ledger's clock) for a charge the provider never reported such an event for. */
export function ledgerOnly(manager: EntityManager, w: DayWindow, kind: 'charge' | 'refund' | 'dispute'): Promise<LedgerOnlyRow[]> {
  const sql = {
    charge: LEDGER_ONLY('recharge', 'charge_succeeded'),
    refund: LEDGER_ONLY('refund', 'charge_refunded'),
    dispute: LEDGER_ONLY('chargeback', 'dispute'),
  }[kind];
  return manager.query(sql, [w.provider, w.start, w.end]);
}

export interface RefundRow {
  charge_id: string;
  provider_event_id: string;
  /** The largest cumulative amount refunded any event of the charge reported (Stripe's events carry totals). */
  provider_amount: string;
  provider_currency: string | null;
  recharge_id: string | null;
  ledger_transaction_id: string | null;
  ledger_amount: string | null;
  ledger_currency: string | null;
}

/** Charges with refund activity at the provider that day: the provider's total refunded against the ledger's refunds of the recharge. */
export function providerRefunds(manager: EntityManager, w: DayWindow): Promise<RefundRow[]> {
  return manager.query(
    `WITH touched AS (
       SELECT DISTINCT e.charge_id FROM provider_events e
       WHERE e.provider = $1 AND e.type = 'charge.refunded' AND e.charge_id IS NOT NULL AND e.provider_created_at >= $2 AND e.provider_created_at < $3
     ), pe AS (
       SELECT t.charge_id, max((e.normalized->>'amountRefundedMinor')::bigint)::text AS provider_amount, max(e.normalized->>'currency') AS provider_currency,
              (array_agg(e.provider_event_id ORDER BY e.provider_created_at DESC, e.id DESC))[1] AS provider_event_id
       FROM touched t JOIN provider_events e ON e.provider = $1 AND e.charge_id = t.charge_id AND e.type = 'charge.refunded'
       GROUP BY t.charge_id
     )
     SELECT pe.*, r.id::text AS recharge_id, led.transaction_id AS ledger_transaction_id, led.amount::text AS ledger_amount, led.currency AS ledger_currency
     FROM pe
     LEFT JOIN recharges r ON r.provider = $1 AND r.provider_ref = pe.charge_id
     ${LEDGER_CASH(`'refund'`)}
     ORDER BY pe.charge_id`,
    [w.provider, w.start, w.end],
  );
}

export interface DisputeEventRow {
  charge_id: string;
  dispute_id: string;
  provider_event_id: string;
  status: string;
  amount: string;
  currency: string;
  provider_created_at: Date;
}

/** Every event of each dispute that had an event that day (the latest state wins; the caller ranks them). */
export function disputeEvents(manager: EntityManager, w: DayWindow): Promise<DisputeEventRow[]> {
  return manager.query(
    `WITH touched AS (
       SELECT DISTINCT e.normalized->>'disputeId' AS dispute_id FROM provider_events e
       WHERE e.provider = $1 AND e.normalized->>'kind' = 'dispute' AND e.provider_created_at >= $2 AND e.provider_created_at < $3
     )
     SELECT e.charge_id, e.normalized->>'disputeId' AS dispute_id, e.provider_event_id, e.normalized->>'status' AS status,
            e.normalized->>'amountMinor' AS amount, e.normalized->>'currency' AS currency, e.provider_created_at
     FROM touched t JOIN provider_events e ON e.provider = $1 AND e.normalized->>'kind' = 'dispute' AND e.normalized->>'disputeId' = t.dispute_id
     WHERE e.charge_id IS NOT NULL
     ORDER BY e.charge_id, e.provider_created_at, e.id`,
    [w.provider, w.start, w.end],
  );
}

export interface LedgerDisputeRow {
  charge_id: string;
  recharge_id: string | null;
  ledger_transaction_id: string | null;
  ledger_amount: string | null;
  ledger_currency: string | null;
}

/** The disputed cash the ledger holds back for each of these charges (clawbacks net of their reversals; fees excluded). */
export function ledgerDisputes(manager: EntityManager, provider: string, chargeIds: string[]): Promise<LedgerDisputeRow[]> {
  if (chargeIds.length === 0) return Promise.resolve([]);
  return manager.query(
    `SELECT c.charge_id, r.id::text AS recharge_id, led.transaction_id AS ledger_transaction_id, led.amount::text AS ledger_amount, led.currency AS ledger_currency
     FROM unnest($2::text[]) AS c(charge_id)
     LEFT JOIN recharges r ON r.provider = $1 AND r.provider_ref = c.charge_id
     ${LEDGER_CASH(`'chargeback'`)}`,
    [provider, chargeIds],
  );
}
