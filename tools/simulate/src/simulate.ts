import { writeFileSync } from 'node:fs';
import { buildPlan, idPrefixFor } from './economy/plan';
import { DAY_MS, DEFAULT_FRAUD_RATES, FRAUD_PATTERNS, MINUTE_MS, type FraudRates, type Plan } from './economy/model';
import { CoinopsApi, StripeSimClient } from './run/clients';
import { progressBar } from './run/progress';
import { labelLines, runPlan, type RunSummary } from './run/runner';

export interface SimulateOptions {
  apiUrl: string;
  stripeSimUrl: string;
  eventsSecret: string;
  seed: string;
  days: number;
  users: number;
  creators?: number;
  fraudRates?: FraudRates;
  /** Unix ms the simulated span starts at; `now - days` by default, so it ends now. */
  startMs?: number;
  sliceMinutes: number;
  concurrency: number;
  evaluationTimeoutMs: number;
  /** JSON lines of fraud labels, or null for none. */
  labelsPath: string | null;
  progress: boolean;
}

export const SIMULATE_DEFAULTS = {
  apiUrl: `http://127.0.0.1:${process.env.PORT || 3000}`,
  stripeSimUrl: `http://127.0.0.1:${process.env.STRIPE_SIM_PORT || 12111}`,
  eventsSecret: process.env.EVENTS_SECRET || 'coinops-demo-events-secret',
  seed: 'coinops',
  days: 3,
  users: 500,
  sliceMinutes: 360,
  concurrency: 8,
  evaluationTimeoutMs: 120_000,
  labelsPath: 'simulate-labels.jsonl',
  progress: true,
} satisfies SimulateOptions;

async function waitForStripeSim(stripe: StripeSimClient, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await stripe.healthy())) {
    if (Date.now() > deadline) throw new Error(`the Stripe simulator does not answer at ${stripe.baseUrl} (start it: npm run stripe-sim -w @coinops/simulate)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Builds the plan for the options and sends it; writes the labels. */
export async function simulate(options: SimulateOptions): Promise<{ plan: Plan; summary: RunSummary }> {
  const api = new CoinopsApi(options.apiUrl, options.eventsSecret);
  const stripe = new StripeSimClient(options.stripeSimUrl);
  await waitForStripeSim(stripe);
  const startMs = options.startMs ?? Date.now() - Math.round(options.days * DAY_MS);
  const plan = buildPlan({ seed: options.seed, startMs, days: options.days, users: options.users, creators: options.creators, fraudRates: options.fraudRates });
  const bar = options.progress ? progressBar(plan.actions.length, plan.startMs) : null;
  const summary = await runPlan(plan, {
    api, stripe, concurrency: options.concurrency, sliceMs: options.sliceMinutes * 60_000, realTime: false, evaluationTimeoutMs: options.evaluationTimeoutMs,
    onProgress: bar ? (done, total, simulatedMs) => bar.update(done, simulatedMs) : undefined,
  });
  bar?.done();
  if (options.labelsPath) writeFileSync(options.labelsPath, labelLines(plan.labels, summary.providerRefs));
  return { plan, summary };
}

export interface TrickleOptions extends Omit<SimulateOptions, 'days' | 'startMs' | 'labelsPath' | 'progress'> {
  /** Simulated hours per real hour: 24 sends a day of the economy every hour. */
  speed: number;
  /** Fraud rates are multiplied by this, so a short live span still shows some. */
  fraudScale: number;
  shouldStop: () => boolean;
  onChunk?: (summary: RunSummary) => void;
}

/**
 * The live trickle: the same population (same seed, profiles already sent) keeps watching streams,
 * recharging and gifting, one simulated day after another, each compressed into 1/speed of a day and
 * sent at its (real) time, until `shouldStop`.
 */
export async function trickle(options: TrickleOptions): Promise<void> {
  const api = new CoinopsApi(options.apiUrl, options.eventsSecret);
  const stripe = new StripeSimClient(options.stripeSimUrl);
  await waitForStripeSim(stripe);
  const base = options.fraudRates ?? DEFAULT_FRAUD_RATES;
  const rates = Object.fromEntries(FRAUD_PATTERNS.map((p) => [p, base[p] * options.fraudScale])) as FraudRates;
  for (let chunk = 0; !options.shouldStop(); chunk++) {
    const startMs = Date.now();
    // Each compressed day starts at 18:00 UTC, the busiest hours for most countries, so the demo moves at once.
    const eveningMs = Math.floor(startMs / DAY_MS) * DAY_MS + 18 * 3_600_000;
    const plan = buildPlan({
      seed: `${options.seed}/live/${startMs}`, populationSeed: options.seed, activityPrefix: `${idPrefixFor(options.seed)}L${startMs.toString(36)}_`,
      startMs: eveningMs, days: 1, users: options.users, creators: options.creators, fraudRates: rates, createProfiles: false,
    });
    // Compress the simulated day into 1/speed of a real one; occurred_at is then the real time of sending.
    const scaled = { ...plan, startMs, actions: plan.actions.map((a) => ({ ...a, atMs: Math.floor(a.atMs / options.speed) })) };
    const summary = await runPlan(scaled, {
      api, stripe, concurrency: 2, sliceMs: 5_000, realTime: true, evaluationTimeoutMs: options.evaluationTimeoutMs, shouldStop: options.shouldStop,
    });
    options.onChunk?.(summary);
    if (plan.actions.length === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(DAY_MS / options.speed, 60 * MINUTE_MS)));
  }
}
