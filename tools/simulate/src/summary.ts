import type { Plan } from './economy/model';
import type { RunSummary } from './run/runner';

/** The end-of-run report: what was sent, what coinops answered, the fraud injected. */
export function formatSummary(plan: Plan, summary: RunSummary, labelsPath: string | null): string {
  const replies = Object.entries(summary.replies).sort(([a], [b]) => a.localeCompare(b));
  const patterns = new Map<string, { instances: number; recharges: number; gifts: number }>();
  for (const label of plan.labels) {
    const row = patterns.get(label.pattern) ?? { instances: 0, recharges: 0, gifts: 0 };
    row.instances += 1;
    row.recharges += label.recharge_refs.length;
    row.gifts += label.gift_ids.length;
    patterns.set(label.pattern, row);
  }
  const lines = [
    `simulated ${new Date(plan.startMs).toISOString()} .. ${new Date(plan.startMs + plan.durationMs).toISOString()} (seed ${plan.seed}): ${plan.users.length} users, ${plan.creators.length} creators`,
    `sent ${summary.actions} actions in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.charges} Stripe charges, ${summary.disputes} disputes, ${summary.earlyFraudWarnings} early fraud warnings`,
    'platform events (type, HTTP status → count):',
    ...replies.map(([key, n]) => `  ${key.padEnd(34)} ${n}`),
  ];
  const refunds = Object.entries(summary.refundRequests);
  if (refunds.length) lines.push(`refund requests: ${refunds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (summary.notEvaluatedInTime) lines.push(`recharges not evaluated by the worker in time: ${summary.notEvaluatedInTime}`);
  lines.push('fraud injected (instances / recharges / gifts):');
  for (const [pattern, row] of patterns) lines.push(`  ${pattern.padEnd(20)} ${row.instances} / ${row.recharges} / ${row.gifts}`);
  if (labelsPath) lines.push(`labels: ${labelsPath}`);
  if (summary.errors.length) lines.push(`errors (first ${summary.errors.length}):`, ...summary.errors.map((e) => `  ${e}`));
  return lines.join('\n');
}
