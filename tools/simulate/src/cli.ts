#!/usr/bin/env node
// `npm run simulate -w @coinops/simulate -- --days 3 --users 500 --seed demo` (docs/simulator.md).
import { DEFAULT_FRAUD_RATES, FRAUD_PATTERNS, type FraudPattern, type FraudRates } from './economy/model';
import { buildPlan } from './economy/plan';
import { SIMULATE_DEFAULTS, simulate, trickle, type SimulateOptions } from './simulate';
import { formatSummary } from './summary';

const USAGE = `usage: simulate [--days 3] [--users 500] [--creators N] [--seed coinops] [--rate pattern=per1000usersPerDay ...]
                [--fraud-scale 1] [--labels simulate-labels.jsonl|none] [--api-url http://127.0.0.1:3000]
                [--stripe-sim-url http://127.0.0.1:12111] [--events-secret $EVENTS_SECRET] [--slice-minutes 360]
                [--concurrency 8] [--live | --live-only] [--speed 24] [--dry-run] [--no-progress]
patterns: ${FRAUD_PATTERNS.join(', ')}`;

interface Cli extends SimulateOptions {
  live: boolean;
  liveOnly: boolean;
  speed: number;
  dryRun: boolean;
}

function parse(argv: string[]): Cli {
  const cli: Cli = { ...SIMULATE_DEFAULTS, fraudRates: { ...DEFAULT_FRAUD_RATES }, live: false, liveOnly: false, speed: 24, dryRun: false };
  let scale = 1;
  const value = (i: number, name: string) => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  const number = (text: string, name: string) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${text}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const take = () => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--days': cli.days = number(take(), flag); break;
      case '--users': cli.users = Math.floor(number(take(), flag)); break;
      case '--creators': cli.creators = Math.floor(number(take(), flag)); break;
      case '--seed': cli.seed = take(); break;
      case '--rate': {
        const [pattern, rate] = take().split('=');
        if (!FRAUD_PATTERNS.includes(pattern as FraudPattern)) throw new Error(`--rate: unknown pattern ${pattern}`);
        (cli.fraudRates as FraudRates)[pattern as FraudPattern] = number(rate, `--rate ${pattern}`);
        break;
      }
      case '--fraud-scale': scale = number(take(), flag); break;
      case '--labels': { const path = take(); cli.labelsPath = path === 'none' ? null : path; break; }
      case '--api-url': cli.apiUrl = take(); break;
      case '--stripe-sim-url': cli.stripeSimUrl = take(); break;
      case '--events-secret': cli.eventsSecret = take(); break;
      case '--slice-minutes': cli.sliceMinutes = Math.max(1, number(take(), flag)); break;
      case '--concurrency': cli.concurrency = Math.min(64, Math.max(1, Math.floor(number(take(), flag)))); break;
      case '--live': cli.live = true; break;
      case '--live-only': cli.live = cli.liveOnly = true; break;
      case '--speed': cli.speed = Math.max(1, number(take(), flag)); break;
      case '--dry-run': cli.dryRun = true; break;
      case '--no-progress': cli.progress = false; break;
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  for (const pattern of FRAUD_PATTERNS) (cli.fraudRates as FraudRates)[pattern] *= scale;
  return cli;
}

async function main(): Promise<void> {
  const cli = parse(process.argv.slice(2));
  if (cli.dryRun) {
    const plan = buildPlan({ seed: cli.seed, startMs: Date.now() - cli.days * 86_400_000, days: cli.days, users: cli.users, creators: cli.creators, fraudRates: cli.fraudRates });
    const kinds: Record<string, number> = {};
    for (const a of plan.actions) kinds[a.kind === 'event' ? a.event.type : a.kind] = (kinds[a.kind === 'event' ? a.event.type : a.kind] ?? 0) + 1;
    process.stdout.write(`${JSON.stringify({ actions: plan.actions.length, by_kind: kinds, fraud_instances: plan.labels.length }, null, 2)}\n`);
    return;
  }
  if (!cli.liveOnly) {
    const { plan, summary } = await simulate(cli);
    process.stdout.write(`${formatSummary(plan, summary, cli.labelsPath)}\n`);
  }
  if (!cli.live) return;
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  process.once('SIGTERM', () => (stopping = true));
  process.stdout.write(`live trickle: ${cli.speed} simulated hours per hour until Ctrl-C\n`);
  await trickle({
    ...cli, fraudScale: 1, shouldStop: () => stopping,
    onChunk: (summary) => process.stdout.write(`live: sent ${summary.actions} actions in ${Math.round(summary.elapsedMs / 60_000)} min (${summary.charges} Stripe charges, ${summary.errors.length} errors)\n`),
  });
}

main().catch((error) => {
  process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
