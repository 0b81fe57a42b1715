import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { callerQueryRunner, clientRunner, queryRunnerRunner, SqlRunner } from '../engine/sql-runner';
import { COUNTS_QUERY, DEBTS_QUERY, INVARIANT_QUERIES, InvariantName } from './invariants';

export interface InvariantViolation {
  readonly invariant: InvariantName;
  readonly subject: string;
  readonly detail: string;
}

export interface LedgerReport {
  /** True when no invariant is broken. */
  readonly ok: boolean;
  readonly checkedAt: Date;
  readonly counts: { readonly accounts: number; readonly transactions: number; readonly postings: number };
  /** Every invariant checked, with how many offending rows it found (each capped at 100). */
  readonly invariants: Readonly<Record<InvariantName, number>>;
  readonly violations: readonly InvariantViolation[];
  /** `forbid` accounts below zero by a chargeback clawback: allowed, and listed so someone collects. */
  readonly debts: readonly { readonly code: string; readonly asset: string; readonly posted: bigint }[];
}

/**
 * Checks every ledger invariant over one consistent snapshot (REPEATABLE READ, read-only), or inside the
 * caller's transaction when given an EntityManager. Reads every posting: meant for a job and for tests.
 */
export async function verifyLedger(source: DataSource | EntityManager): Promise<LedgerReport> {
  if (isEntityManager(source)) return runChecks(queryRunnerRunner(callerQueryRunner(source)));
  const pool = (source.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await runChecks(clientRunner(client));
    } finally {
      await client.query('ROLLBACK');
    }
  } finally {
    client.release();
  }
}

function isEntityManager(source: DataSource | EntityManager): source is EntityManager {
  return (source as EntityManager).connection !== undefined && (source as DataSource).driver === undefined;
}

async function runChecks(runner: SqlRunner): Promise<LedgerReport> {
  const violations: InvariantViolation[] = [];
  const invariants = {} as Record<InvariantName, number>;
  for (const [invariant, sql] of Object.entries(INVARIANT_QUERIES) as [InvariantName, string][]) {
    const rows = await runner.query<{ subject: string; detail: string }>(sql);
    invariants[invariant] = rows.length;
    for (const row of rows) violations.push({ invariant, subject: row.subject, detail: row.detail });
  }
  const [counts] = await runner.query<{ accounts: string; transactions: string; postings: string }>(COUNTS_QUERY);
  const debts = await runner.query<{ code: string; asset: string; posted: string }>(DEBTS_QUERY);
  return {
    ok: violations.length === 0,
    checkedAt: new Date(),
    counts: { accounts: Number(counts.accounts), transactions: Number(counts.transactions), postings: Number(counts.postings) },
    invariants,
    violations,
    debts: debts.map((d) => ({ code: d.code, asset: d.asset, posted: BigInt(d.posted) })),
  };
}
