import { SCHEDULED_JOBS } from '@coinops/outbox';
import type { FaultSuiteReport } from './suite';

const SCHEDULE_COUNT = Object.keys(SCHEDULED_JOBS).length;

/** Every guarantee the suite checks, each true or false, named: a failing run says which. */
export function problems(report: FaultSuiteReport): string[] {
  const found: string[] = [];
  if (report.totals.lost > 0) found.push(`${report.totals.lost} acknowledged message(s) not applied`);
  if (report.totals.twice > 0) found.push(`${report.totals.twice} message(s) applied more than once`);
  if (report.totals.notAcknowledged > 0) found.push(`${report.totals.notAcknowledged} message(s) never acknowledged within the retry window`);
  if (!report.drained) found.push(`not drained: ${JSON.stringify(report.backlog)}`);
  if (!report.ledger.ok) found.push(`ledger invariants broken: ${report.ledger.violations.join('; ')}`);
  if (report.claims.claimedTwice > 0) found.push(`${report.claims.claimedTwice} review item(s) claimed by two operators`);
  for (const crash of report.crashes ?? []) found.push(`${crash.process} crashed at +${(crash.atMs / 1000).toFixed(1)} s (exit code ${crash.code}, signal ${crash.signal})`);
  const money = report.moneyOut;
  found.push(...money.problems);
  if (money.transfersAtProvider !== money.payoutsPaid) found.push(`${money.transfersAtProvider} transfers made at the provider for ${money.payoutsPaid} payouts paid`);
  if (money.refundsAtProvider !== money.refundsSucceeded) found.push(`${money.refundsAtProvider} refunds made at the provider for ${money.refundsSucceeded} refunds succeeded`);
  if (money.chargesRefundedWrong.length > 0) found.push(`charges refunded by another amount than their refund: ${money.chargesRefundedWrong.join('; ')}`);
  const landed = report.faults.filter((f) => f.kind === 'payout_sigkill' && (f.stranded ?? 0) > 0).length;
  if (landed < report.options.faults.payout_sigkill) found.push(`${landed} of ${report.options.faults.payout_sigkill} planned worker kills landed while a payout batch was executing`);
  return found;
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatReport(report: FaultSuiteReport): string {
  const { options, totals } = report;
  const faultCounts = report.faults.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.kind]: (acc[f.kind] ?? 0) + 1 }), {});
  const lines = [
    `coinops fault suite — ${options.apis} api + ${options.workers} worker process(es), seed ${options.seed}`,
    '',
    `faults injected: ${report.faults.length} (${Object.entries(faultCounts).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    ...report.faults.map(
      (f) =>
        `  +${(f.atMs / 1000).toFixed(1)} s  ${f.kind.padEnd(16)} ${f.target.padEnd(20)} back after ${f.downMs} ms` +
        (f.strandedIds?.length ? `; stranded payouts paid ${f.strandedPaidAfterMs === null ? 'NEVER' : `${((f.strandedPaidAfterMs ?? 0) / 1000).toFixed(1)} s`} after the kill` : ''),
    ),
    '',
    table(
      ['kind', 'sent', 'acknowledged', 'refused (409)', 'duplicates', 'applied', 'lost', 'applied twice'],
      [
        ...report.kinds.map((k) => [k.kind, k.sent, k.acknowledged, k.refused, k.duplicates, k.applied, k.lost, k.twice]),
        ['total', totals.sent, totals.acknowledged, totals.refused, totals.duplicates, totals.applied, totals.lost, totals.twice],
      ],
    ),
    '',
    `sender: ${totals.failedAttempts} failed attempts retried (same event id), ${totals.notAcknowledged} never acknowledged; send window ${report.sendWindowMs} ms`,
    `drain: ${report.drained ? 'complete' : 'INCOMPLETE'} in ${report.drainMs} ms — ${JSON.stringify(report.backlog)}`,
    `schedules in Redis after the run: ${report.backlog.schedules} of ${SCHEDULE_COUNT} (registered at worker start-up only: a Redis restart drops them until a worker restarts)`,
    `ledger: ${report.ledger.ok ? 'every invariant holds (verifyLedger)' : `BROKEN: ${report.ledger.violations.join('; ')}`}`,
    `review claims: ${report.claims.raced} items raced by two operators through two API processes, ${report.claims.claimedOnce} claimed once, ${report.claims.claimedTwice} claimed twice`,
    `money out: ${report.moneyOut.payoutsPaid} payouts paid / ${report.moneyOut.transfersAtProvider} transfers at the provider; ${report.moneyOut.refundsSucceeded} refunds succeeded / ${report.moneyOut.refundsAtProvider} refunds at the provider; ${report.moneyOut.approvals} operator approvals`,
    `stripe simulator: ${JSON.stringify(report.moneyOut.simStats)}`,
    `slowest money-out flows (ms from their start): ${report.moneyOut.durations.slice(0, 3).map((d) => `${d.flow} ${d.ms} (${d.steps})`).join('; ')}`,
    `timings (ms): ${Object.entries(report.timingsMs).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `peak RSS (MB): ${Object.entries(report.peakRssMb).map(([name, mb]) => `${name} ${mb}`).join(', ')}; starts: ${Object.entries(report.processStarts).map(([n, s]) => `${n} ${s}`).join(', ')}`,
  ];
  for (const kind of report.kinds) for (const example of kind.examples) lines.push(`  ${kind.kind} ${example}`);
  for (const line of report.moneyOut.diagnostics ?? []) lines.push(`  ${line}`);
  const found = problems(report);
  lines.push('', found.length === 0 ? 'RESULT: PASS — every acknowledged event applied exactly once' : `RESULT: FAIL — ${found.join('; ')}`);
  for (const crash of report.crashes ?? []) lines.push('', `--- ${crash.process} crashed at +${(crash.atMs / 1000).toFixed(1)} s: its last output ---`, ...crash.lastLines);
  if (report.logs.length) lines.push('', '--- last process output ---', ...report.logs);
  return lines.join('\n');
}
