import { recordAudit, systemActor } from '@coinops/access';
import { verifyLedger, type LedgerReport } from '@coinops/ledger';
import type { DataSource } from 'typeorm';

/** `verifyLedger`'s report on the wire (snake_case, amounts as decimal strings). */
export interface LedgerReportDto {
  ok: boolean;
  checked_at: string;
  duration_ms: number;
  counts: { accounts: number; transactions: number; postings: number };
  invariants: Record<string, number>;
  violations: Array<{ invariant: string; subject: string; detail: string }>;
  debts: Array<{ code: string; asset: string; posted: string }>;
}

export function toReportDto(report: LedgerReport, durationMs: number): LedgerReportDto {
  return {
    ok: report.ok,
    checked_at: report.checkedAt.toISOString(),
    duration_ms: durationMs,
    counts: { ...report.counts },
    invariants: { ...report.invariants },
    violations: report.violations.map((v) => ({ invariant: v.invariant, subject: v.subject, detail: v.detail })),
    debts: report.debts.map((d) => ({ code: d.code, asset: d.asset, posted: d.posted.toString() })),
  };
}

/** Every invariant, now (GET /api/ledger/verify): reports, writes nothing. */
export async function checkLedger(dataSource: DataSource): Promise<LedgerReportDto> {
  const startedAt = Date.now();
  const report = await verifyLedger(dataSource);
  return toReportDto(report, Date.now() - startedAt);
}

export interface RecordedVerification {
  report: LedgerReportDto;
  /** False when this slot was verified already (the job was delivered twice): nothing recorded again. */
  recorded: boolean;
}

/** Violations kept in the audit row; the run's own row keeps them all (each invariant caps at 100). */
const VIOLATIONS_IN_AUDIT = 20;

/**
 * The scheduled check (hourly): runs every invariant and records the run once per `slot`; a run with
 * violations also writes an audit row `ledger.verify_failed` by the system actor, in the same
 * transaction. The caller logs at error level.
 */
export async function recordLedgerVerification(dataSource: DataSource, slot: string): Promise<RecordedVerification> {
  const report = await checkLedger(dataSource);
  const recorded = await dataSource.transaction(async (manager) => {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO ledger_verify_runs (slot, source, ok, violations, duration_ms, report) VALUES ($1, 'schedule', $2, $3, $4, $5)
       ON CONFLICT (slot) DO NOTHING RETURNING id::text AS id`,
      [slot.slice(0, 100), report.ok, report.violations.length, report.duration_ms, JSON.stringify(report)],
    );
    if (rows.length === 0) return false;
    if (!report.ok) {
      await recordAudit(manager, systemActor('ledger-verify'), {
        action: 'ledger.verify_failed',
        entity: 'ledger',
        entityId: rows[0].id,
        after: { invariants: report.invariants, violations: report.violations.slice(0, VIOLATIONS_IN_AUDIT), counts: report.counts },
        reason: `${report.violations.length} invariant violation(s) found by the scheduled check`,
      });
    }
    return true;
  });
  return { report, recorded };
}

/** For metrics: the last scheduled run and how many runs ever failed. */
export async function verificationSummary(source: Pick<DataSource, 'query'>): Promise<{ lastViolations: number; lastCheckedAtSeconds: number; failedRuns: number } | null> {
  const [row] = await source.query(
    `SELECT (SELECT violations FROM ledger_verify_runs ORDER BY checked_at DESC LIMIT 1) AS last_violations,
            (SELECT extract(epoch FROM checked_at)::bigint FROM ledger_verify_runs ORDER BY checked_at DESC LIMIT 1) AS last_checked_at,
            (SELECT count(*) FROM ledger_verify_runs WHERE NOT ok) AS failed_runs`,
  );
  if (!row || row.last_checked_at === null) return null;
  return { lastViolations: Number(row.last_violations), lastCheckedAtSeconds: Number(row.last_checked_at), failedRuns: Number(row.failed_runs) };
}
