import { ValidationFailed } from '@coinops/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import {
  disputeEvents, ledgerDisputes, ledgerOnly, providerCharges, providerRefunds, type DayWindow, type DisputeEventRow, type LedgerOnlyRow,
} from './reconciliation-sources';

export const RECONCILIATION_KINDS = ['charge', 'refund', 'dispute'] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];
export const DIFFERENCE_TYPES = ['missing_in_ledger', 'missing_at_provider', 'amount_mismatch'] as const;
export type DifferenceType = (typeof DIFFERENCE_TYPES)[number];

/** A report stores at most this many differences; past it, the summary says how many were left out. */
export const MAX_DIFFERENCES = 100_000;

export interface Difference {
  kind: ReconciliationKind;
  difference: DifferenceType;
  /** The provider's charge id. */
  reference: string;
  currency: string | null;
  provider_amount: string | null;
  ledger_amount: string | null;
  provider_event_id: string | null;
  ledger_transaction_id: string | null;
  detail: string | null;
}

interface KindSummary {
  /** What the provider reported, and what the ledger booked for the same charges, per currency (minor units). */
  provider: { count: number; amounts: Record<string, string> };
  ledger: { count: number; amounts: Record<string, string> };
  matched: number;
  /** Charges the ledger rightly never booked: blocked by risk, or held and then rejected in review. */
  not_booked: number;
  differences: number;
}

export type ReconciliationSummary = Record<ReconciliationKind, KindSummary> & { differences_left_out: number };

export interface Reconciliation {
  provider: string;
  day: string;
  summary: ReconciliationSummary;
  differences: Difference[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC day as `YYYY-MM-DD`: 400 naming `date` otherwise. */
export function parseDay(raw: unknown, field = 'date'): string {
  if (typeof raw !== 'string' || !DAY.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) {
    throw ValidationFailed.field(field, 'must be a day as YYYY-MM-DD');
  }
  return raw;
}

function emptyKind(): KindSummary {
  return { provider: { count: 0, amounts: {} }, ledger: { count: 0, amounts: {} }, matched: 0, not_booked: 0, differences: 0 };
}

function add(amounts: Record<string, string>, currency: string | null, amount: string | null): void {
  if (!currency || amount === null) return;
  amounts[currency] = String(BigInt(amounts[currency] ?? '0') + BigInt(amount));
}

/**
 * One provider's day against the ledger (docs/reporting.md, "Reconciliation"): the charges, refunds and
 * disputes the provider reported that day (its clock), each compared with what the ledger booked for the
 * same charge, and the ledger's entries of that day the provider never reported. Read-only.
 */
export async function reconcileDay(manager: EntityManager, provider: string, day: string): Promise<Reconciliation> {
  const start = new Date(`${parseDay(day)}T00:00:00Z`);
  const window: DayWindow = { provider, start, end: new Date(start.getTime() + 86_400_000) };
  const summary: ReconciliationSummary = { charge: emptyKind(), refund: emptyKind(), dispute: emptyKind(), differences_left_out: 0 };
  const differences: Difference[] = [];
  const found = (d: Difference) => {
    summary[d.kind].differences++;
    differences.push(d);
  };

  for (const row of await providerCharges(manager, window)) {
    const s = summary.charge;
    s.provider.count++;
    add(s.provider.amounts, row.provider_currency, row.provider_amount);
    const base = { kind: 'charge' as const, reference: row.charge_id, currency: row.provider_currency, provider_amount: row.provider_amount, provider_event_id: row.provider_event_id };
    if (row.decision === 'block' || (row.voided && row.ledger_amount !== null)) {
      s.not_booked++;
      continue;
    }
    if (!row.ledger_transaction_id || row.ledger_amount === null) {
      const why = !row.recharge_id ? (row.problem ?? 'no recharge was recorded for this charge') : row.decision === null ? 'the recharge is not evaluated yet' : 'the recharge has no ledger entry';
      found({ ...base, difference: 'missing_in_ledger', ledger_amount: null, ledger_transaction_id: null, detail: why });
      continue;
    }
    s.ledger.count++;
    add(s.ledger.amounts, row.ledger_currency, row.ledger_amount);
    if (row.ledger_amount !== row.provider_amount || row.ledger_currency !== row.provider_currency) {
      found({ ...base, difference: 'amount_mismatch', ledger_amount: row.ledger_amount, ledger_transaction_id: row.ledger_transaction_id, detail: currencyDetail(row.provider_currency, row.ledger_currency) });
    } else s.matched++;
  }

  for (const row of await providerRefunds(manager, window)) {
    compareTotals('refund', summary, found, {
      reference: row.charge_id, provider_event_id: row.provider_event_id, provider_amount: row.provider_amount, provider_currency: row.provider_currency,
      ledger_amount: row.ledger_amount, ledger_currency: row.ledger_currency, ledger_transaction_id: row.ledger_transaction_id,
      unknownCharge: row.recharge_id === null,
    });
  }

  const disputes = latestDisputePerCharge(await disputeEvents(manager, window));
  const ledgerByCharge = new Map((await ledgerDisputes(manager, provider, [...disputes.keys()])).map((r) => [r.charge_id, r]));
  for (const [chargeId, d] of disputes) {
    const ledger = ledgerByCharge.get(chargeId);
    compareTotals('dispute', summary, found, {
      reference: chargeId, provider_event_id: d.provider_event_id, provider_amount: d.withdrawn, provider_currency: d.currency,
      ledger_amount: ledger?.ledger_amount ?? null, ledger_currency: ledger?.ledger_currency ?? null, ledger_transaction_id: ledger?.ledger_transaction_id ?? null,
      unknownCharge: !ledger?.recharge_id,
    });
  }

  for (const kind of RECONCILIATION_KINDS) {
    for (const row of await ledgerOnly(manager, window, kind)) {
      summary[kind].ledger.count++;
      add(summary[kind].ledger.amounts, row.ledger_currency, row.ledger_amount);
      found(ledgerOnlyDifference(kind, row));
    }
  }

  if (differences.length > MAX_DIFFERENCES) summary.differences_left_out = differences.length - MAX_DIFFERENCES;
  return { provider, day, summary, differences: differences.slice(0, MAX_DIFFERENCES) };
}

interface Totals {
  reference: string;
  provider_event_id: string;
  provider_amount: string;
  provider_currency: string | null;
  ledger_amount: string | null;
  ledger_currency: string | null;
  ledger_transaction_id: string | null;
  unknownCharge: boolean;
}

/** Refunds and disputes compare totals per charge: the provider's (cumulative) against the ledger's net cash. */
function compareTotals(kind: 'refund' | 'dispute', summary: ReconciliationSummary, found: (d: Difference) => void, t: Totals): void {
  const s = summary[kind];
  s.provider.count++;
  add(s.provider.amounts, t.provider_currency, t.provider_amount);
  const ledgerAmount = t.ledger_amount ?? '0';
  if (ledgerAmount !== '0') {
    s.ledger.count++;
    add(s.ledger.amounts, t.ledger_currency, ledgerAmount);
  }
  const base = { kind, reference: t.reference, currency: t.provider_currency, provider_amount: t.provider_amount, provider_event_id: t.provider_event_id };
  if (ledgerAmount === t.provider_amount && (ledgerAmount === '0' || t.ledger_currency === t.provider_currency)) {
    s.matched++;
  } else if (ledgerAmount === '0') {
    found({ ...base, difference: 'missing_in_ledger', ledger_amount: null, ledger_transaction_id: null, detail: t.unknownCharge ? 'no recharge was recorded for this charge' : null });
  } else {
    found({ ...base, difference: 'amount_mismatch', ledger_amount: ledgerAmount, ledger_transaction_id: t.ledger_transaction_id, detail: currencyDetail(t.provider_currency, t.ledger_currency) });
  }
}

function currencyDetail(provider: string | null, ledger: string | null): string | null {
  return provider && ledger && provider !== ledger ? `currency: provider ${provider}, ledger ${ledger}` : null;
}

function ledgerOnlyDifference(kind: ReconciliationKind, row: LedgerOnlyRow): Difference {
  const what = { charge: 'charge', refund: 'refund', dispute: 'dispute' }[kind];
  return {
    kind, difference: 'missing_at_provider', reference: row.charge_id, currency: row.ledger_currency, provider_amount: null, ledger_amount: row.ledger_amount,
    provider_event_id: null, ledger_transaction_id: row.ledger_transaction_id, detail: `the provider reported no ${what} event for this charge`,
  };
}

/** Stripe's dispute statuses in which the disputed cash has left the balance (withdrawn, not reinstated). */
const CASH_WITHDRAWN = new Set(['needs_response', 'under_review', 'lost']);
/** Ties on the provider's second: the later state of a dispute outranks the earlier (mirrors DISPUTE_STATUS_RANK). */
const STATUS_RANK: Record<string, number> = { warning_needs_response: 0, warning_under_review: 1, needs_response: 2, under_review: 3, warning_closed: 4, won: 4, lost: 4, prevented: 4 };

/** Per charge, the cash its disputes withdrew at their latest state, and the latest event seen. */
function latestDisputePerCharge(events: DisputeEventRow[]): Map<string, { withdrawn: string; currency: string; provider_event_id: string }> {
  const latest = new Map<string, DisputeEventRow>();
  for (const e of events) {
    const seen = latest.get(e.dispute_id);
    const later = !seen || e.provider_created_at > seen.provider_created_at || (+e.provider_created_at === +seen.provider_created_at && (STATUS_RANK[e.status] ?? 0) >= (STATUS_RANK[seen.status] ?? 0));
    if (later) latest.set(e.dispute_id, e);
  }
  const perCharge = new Map<string, { withdrawn: string; currency: string; provider_event_id: string }>();
  for (const e of latest.values()) {
    const previous = perCharge.get(e.charge_id);
    const withdrawn = (BigInt(previous?.withdrawn ?? '0') + (CASH_WITHDRAWN.has(e.status) ? BigInt(e.amount) : 0n)).toString();
    perCharge.set(e.charge_id, { withdrawn, currency: e.currency, provider_event_id: e.provider_event_id });
  }
  return perCharge;
}

/** Providers that ever sent an event (a skip scan over the unique (provider, event id) index). */
export async function reconciledProviders(manager: EntityManager | DataSource): Promise<string[]> {
  const rows: Array<{ provider: string }> = await manager.query(
    `WITH RECURSIVE p AS (
       SELECT min(provider) AS provider FROM provider_events
       UNION ALL
       SELECT (SELECT min(provider) FROM provider_events WHERE provider > p.provider) FROM p WHERE p.provider IS NOT NULL
     ) SELECT provider FROM p WHERE provider IS NOT NULL`,
  );
  return rows.map((r) => r.provider);
}
