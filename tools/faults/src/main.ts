/**
 * The fault suite, full form: api and worker against a PostgreSQL and a Redis of its own, the simulator
 * sending while workers are SIGKILLed and Redis and PostgreSQL restarted; then every event is checked
 * applied exactly once, the ledger verified, the queues drained. Exit code 1 when anything is off.
 *
 *   npm run faults                                     # 1 api + 1 worker, then 2 api + 2 worker
 *   npm run faults -w @coinops/faults -- --topology=2x2 --events=3000 --seed=abc
 *   options: --topology=1x1|2x2|both  --events=N  --rate=N (per s)  --sigkills=N  --redis-restarts=N
 *            --postgres-restarts=N  --payout-sigkills=N  --refunds=N  --large-refunds=N  --disputes=N
 *            --payouts=N  --large-payouts=N  --short (the CI sizes)  --seed=S  --json (the report as JSON too)
 */
import { FULL, SHORT } from './presets';
import { formatReport, problems } from './report';
import { runFaultSuite, stopEverything, type FaultSuiteReport } from './suite';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));

function bounded(name: string, fallback: number, max: number): number {
  const value = args[name] === undefined ? fallback : Number(args[name]);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`--${name} must be an integer from 0 to ${max}`);
  return value;
}

async function main(): Promise<void> {
  const preset = args.short ? SHORT : FULL;
  const topologies = args.topology === '1x1' ? [[1, 1]] : args.topology === '2x2' ? [[2, 2]] : [[1, 1], [2, 2]];
  const seed = args.seed ?? `faults-${Date.now().toString(36)}`;
  const reports: FaultSuiteReport[] = [];
  for (const [apis, workers] of topologies) {
    const report = await runFaultSuite({
      ...preset,
      apis,
      workers,
      seed: `${seed}-${apis}x${workers}`,
      events: bounded('events', preset.events, 200_000),
      ratePerSecond: bounded('rate', preset.ratePerSecond, 5_000),
      faults: {
        worker_sigkill: bounded('sigkills', preset.faults.worker_sigkill, 100),
        redis_restart: bounded('redis-restarts', preset.faults.redis_restart, 100),
        postgres_restart: bounded('postgres-restarts', preset.faults.postgres_restart, 100),
        payout_sigkill: bounded('payout-sigkills', preset.faults.payout_sigkill, 20),
      },
      moneyOut: {
        refunds: bounded('refunds', preset.moneyOut.refunds, 1_000),
        largeRefunds: bounded('large-refunds', preset.moneyOut.largeRefunds, 1_000),
        disputes: bounded('disputes', preset.moneyOut.disputes, 1_000),
        payouts: bounded('payouts', preset.moneyOut.payouts, 1_000),
        largePayouts: bounded('large-payouts', preset.moneyOut.largePayouts, 1_000),
      },
      log: (line) => process.stderr.write(`[faults ${apis}x${workers}] ${line}\n`),
    });
    process.stdout.write(`${formatReport(report)}\n\n`);
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    reports.push(report);
  }
  if (reports.some((r) => problems(r).length > 0)) process.exitCode = 1;
}

// Ctrl-C or a CI timeout: stop the processes and servers this run started, remove its scratch directory.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: stopping the private PostgreSQL, Redis, api and worker processes...\n`);
    void stopEverything().finally(() => process.exit(130));
  });
}

main().catch((error) => {
  process.stderr.write(`fault suite failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
