#!/usr/bin/env node
/**
 * Rule quality, one command (docs/simulator.md): `npm run rule-quality -w @coinops/simulate`.
 * A coinops of its own (fresh database, API, worker, Stripe simulator), a seeded simulated economy with
 * labelled fraud, then the default rule pack's precision and recall per fraud pattern, read back through
 * the API, printed and written into docs/risk.md ("Rule quality").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_FRAUD_RATES, FRAUD_PATTERNS, type FraudRates } from '../economy/model';
import { CoinopsApi } from '../run/clients';
import { waitForEvaluation } from '../run/runner';
import { simulate } from '../simulate';
import { startStack } from '../stack/stack';
import { formatSummary } from '../summary';
import { markdownTable, measure, type AlertRow, type LabelLine, type RechargeRow } from './measure';
import { replaceRuleQualitySection } from './docs';

const ROOT = path.resolve(__dirname, '../../../..');
const OPERATOR = 'admin@coinops.dev';
const PAGE = 1000;
const MAX_ROWS = 200_000;

interface Options {
  seed: string;
  days: number;
  users: number;
  fraudScale: number;
  write: boolean;
  docsPath: string;
}

function parse(argv: string[]): Options {
  const options: Options = { seed: 'rule-quality', days: 3, users: 500, fraudScale: 3, write: true, docsPath: path.join(ROOT, 'docs/risk.md') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const take = () => inline ?? argv[++i];
    if (flag === '--seed') options.seed = take();
    else if (flag === '--days') options.days = Number(take());
    else if (flag === '--users') options.users = Number(take());
    else if (flag === '--fraud-scale') options.fraudScale = Number(take());
    else if (flag === '--no-write') options.write = false;
    else if (flag === '--docs') options.docsPath = path.resolve(take());
    else throw new Error(`unknown argument ${argv[i]} (--seed, --days, --users, --fraud-scale, --no-write, --docs)`);
  }
  return options;
}

async function readAll<T extends { id: string }>(api: CoinopsApi, resource: string, filter: Record<string, unknown> = {}): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < MAX_ROWS; start += PAGE) {
    const page = await api.list(OPERATOR, resource, filter, [start, start + PAGE - 1], [resource === 'recharges' ? 'created_at' : 'id', 'ASC']);
    rows.push(...(page.rows as T[]));
    if (rows.length >= page.total || page.rows.length === 0) break;
  }
  // Rows with equal sort keys may straddle a page boundary: keep each id once.
  return [...new Map(rows.map((row) => [(row as { id: string }).id, row])).values()];
}

/** Gift decisions come from a job after the gift: wait until the alert count stops moving. */
async function settleAlerts(api: CoinopsApi, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const { total } = await api.list(OPERATOR, 'alerts', {}, [0, 0]);
    if (total === last) return;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const fraudRates = Object.fromEntries(FRAUD_PATTERNS.map((p) => [p, DEFAULT_FRAUD_RATES[p] * options.fraudScale])) as FraudRates;
  const startedAt = Date.now();
  const stack = await startStack({ log: (line) => process.stderr.write(`${line}\n`) });
  const scratch = mkdtempSync(path.join(tmpdir(), 'coinops-rule-quality-'));
  try {
    const labelsPath = path.join(scratch, 'labels.jsonl');
    const { plan, summary } = await simulate({
      apiUrl: stack.apiUrl, stripeSimUrl: stack.stripeSimUrl, eventsSecret: stack.eventsSecret, seed: options.seed, days: options.days, users: options.users,
      fraudRates, sliceMinutes: 60, concurrency: 8, evaluationTimeoutMs: 120_000, labelsPath, progress: true,
    });
    process.stderr.write(`${formatSummary(plan, summary, null)}\n`);
    const api = new CoinopsApi(stack.apiUrl, stack.eventsSecret);
    await stack.sim.stripe.idle();
    const late = await waitForEvaluation(api, [...summary.providerRefs.values()], 120_000);
    await settleAlerts(api);
    const labels = readFileSync(labelsPath, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LabelLine);
    const recharges = await readAll<RechargeRow>(api, 'recharges');
    const alerts = await readAll<AlertRow & { id: string }>(api, 'alerts');
    const gifts = await readAll<{ id: string }>(api, 'gifts');
    const report = measure(labels, recharges, alerts, new Set(gifts.map((g) => g.id)));
    const table = markdownTable(report);
    const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
    process.stdout.write(`${table}\n\n(seed ${options.seed}, ${options.days} days, ${options.users} users, fraud x${options.fraudScale}; ${late} recharges not evaluated in time; ${minutes} min)\n`);
    if (options.write) {
      const text = readFileSync(options.docsPath, 'utf8');
      writeFileSync(options.docsPath, replaceRuleQualitySection(text, table, { ...options, fraudRates, measuredOn: new Date().toISOString().slice(0, 10) }));
      process.stderr.write(`wrote the table into ${path.relative(ROOT, options.docsPath)} ("Rule quality")\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await stack.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`rule-quality: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
