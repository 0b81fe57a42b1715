import { SHORT } from './presets';
import { formatReport, problems } from './report';
import { runFaultSuite, type FaultSuiteReport } from './suite';

const TOPOLOGIES = [
  [1, 1],
  [2, 2],
] as const;

/**
 * The fault suite's short form (CI); the full form is `npm run faults`. Each topology runs the real api
 * and worker processes against a PostgreSQL and a Redis of its own (free ports, a scratch directory,
 * removed afterwards), never the machine's shared servers. The two topologies share nothing, so they run
 * at the same time: most of a run is waiting for recovery (a killed worker's jobs return after their lock expires).
 */
describe('the fault suite, short form', () => {
  const reports = new Map<string, FaultSuiteReport>();
  beforeAll(async () => {
    const seed = `ci-${Date.now().toString(36)}`;
    // allSettled: a run that fails still waits for the other to stop its servers before the error is raised.
    const runs = await Promise.allSettled(
      TOPOLOGIES.map(async ([apis, workers]) => {
        const report = await runFaultSuite({ ...SHORT, apis, workers, seed: `${seed}-${apis}x${workers}`, log: () => undefined });
        reports.set(`${apis}x${workers}`, report);
        console.log(formatReport(report));
      }),
    );
    const failed = runs.find((run): run is PromiseRejectedResult => run.status === 'rejected');
    if (failed) throw failed.reason;
  }, 230_000);

  describe.each(TOPOLOGIES)('with %i api and %i worker process(es), while workers are SIGKILLed and Redis and PostgreSQL restart', (apis, workers) => {
    const report = () => reports.get(`${apis}x${workers}`)!;

    it('injected every kind of fault while the driver was sending', () => {
      const kinds = new Set(report().faults.map((f) => f.kind));
      expect([...kinds].sort()).toEqual(['payout_sigkill', 'postgres_restart', 'redis_restart', 'worker_sigkill']);
      expect(report().totals.failedAttempts).toBeGreaterThan(0);
    });

    it('applied every acknowledged event exactly once: none lost, none applied twice, duplicates included', () => {
      const { totals } = report();
      // The driver's messages plus the money-out flows' (profiles, charges, gifts, refunds, disputes, payouts).
      expect(totals.sent).toBeGreaterThan(SHORT.events);
      expect(totals.duplicates).toBeGreaterThan(0);
      expect({ notAcknowledged: totals.notAcknowledged, lost: totals.lost, twice: totals.twice }).toEqual({ notAcknowledged: 0, lost: 0, twice: 0 });
      expect(totals.applied).toBe(totals.acknowledged);
    });

    it('drained: no outbox row unpublished or unapplied, no recharge undecided, no job queued, no webhook or payout or refund in flight', () => {
      expect(report().backlog).toMatchObject({ unpublished: 0, unapplied: 0, unevaluated: 0, queued: 0, unprocessedEvents: 0, moneyInFlight: 0, webhooksPending: 0 });
    });

    it('refunded, charged back and paid out exactly once through the Stripe simulator, with a worker killed mid payout batch', () => {
      const { kinds, moneyOut, faults } = report();
      const kind = (name: string) => kinds.find((k) => k.kind === name)!;
      for (const name of ['refund', 'dispute', 'payout']) {
        expect({ kind: name, acknowledged: kind(name).acknowledged, applied: kind(name).applied, lost: kind(name).lost, twice: kind(name).twice }).toEqual({
          kind: name,
          acknowledged: kind(name).sent,
          applied: kind(name).sent,
          lost: 0,
          twice: 0,
        });
      }
      expect(kind('refund').sent).toBe(SHORT.moneyOut.refunds + SHORT.moneyOut.largeRefunds);
      expect(kind('dispute').sent).toBe(SHORT.moneyOut.disputes);
      expect(kind('payout').sent).toBe(SHORT.moneyOut.payouts + SHORT.moneyOut.largePayouts);
      expect(kind('payout').refused).toBe(0);
      // One transfer per payout at the provider (a replayed idempotency key is not a transfer); one refund per refund.
      expect({ transfers: moneyOut.transfersAtProvider, refunds: moneyOut.refundsAtProvider }).toEqual({ transfers: moneyOut.payoutsPaid, refunds: moneyOut.refundsSucceeded });
      expect(moneyOut.payoutsPaid).toBe(kind('payout').sent);
      expect(moneyOut.chargesRefundedWrong).toEqual([]);
      expect(moneyOut.problems).toEqual([]);
      expect(faults.filter((f) => f.kind === 'payout_sigkill' && (f.stranded ?? 0) > 0).length).toBeGreaterThanOrEqual(SHORT.faults.payout_sigkill);
    });

    it('no api or worker process crashed: every exit was a SIGKILL or a stop the suite asked for', () => {
      expect(report().crashes.map((c) => `${c.process} at +${c.atMs} ms: ${c.lastLines.filter((l) => /error|Error/.test(l)).slice(0, 3).join(' | ')}`)).toEqual([]);
    });

    it('leaves a ledger whose every invariant holds, and no review item claimed by two operators', () => {
      expect(report().ledger).toEqual({ ok: true, violations: [] });
      expect(report().claims.claimedTwice).toBe(0);
      expect(problems(report())).toEqual([]);
    });
  });
});
