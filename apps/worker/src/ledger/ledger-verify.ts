import { recordLedgerVerification, type RecordedVerification } from '@coinops/economy';
import type { DataSource } from 'typeorm';

/** Where the outcome of a check goes besides the database: the worker's logger. */
export interface VerifyLog {
  error(message: string): void;
  log(message: string): void;
}

/** Violations written into the error log line; the run's row and the audit row hold the rest. */
const VIOLATIONS_LOGGED = 10;

/**
 * One scheduled check, once per slot (the BullMQ job id of the scheduled run: a redelivered or retried
 * job has the same id). A violation alerts: an error log line, an audit row `ledger.verify_failed` by the
 * system actor (written by `recordLedgerVerification`), and the API's /metrics gauges that read the run.
 */
export async function runScheduledVerification(dataSource: DataSource, slot: string, log: VerifyLog): Promise<RecordedVerification> {
  const outcome = await recordLedgerVerification(dataSource, slot);
  const { report } = outcome;
  if (!outcome.recorded) {
    log.log(`ledger verification ${slot} already ran: not recorded again`);
  } else if (report.ok) {
    log.log(`ledger verified: ${report.counts.postings} postings over ${report.counts.accounts} accounts, no violation (${report.duration_ms} ms)`);
  } else {
    const sample = report.violations.slice(0, VIOLATIONS_LOGGED).map((v) => `${v.invariant} ${v.subject}: ${v.detail}`).join('; ');
    log.error(`LEDGER INVARIANT VIOLATED: ${report.violations.length} violation(s) in ${slot}: ${sample}`);
  }
  return outcome;
}
