import { SeededRandom } from '@coinops/payments';
import { PlanBuilder } from './builder';
import { COUNTRIES, timeInDay } from './catalog';
import { legitDay, liveSessions, payoutRequests } from './legit';
import { DAY_MS, DEFAULT_FRAUD_RATES, FRAUD_PATTERNS, type Action, type FraudLabel, type Plan, type PlanOptions } from './model';
import { PATTERNS } from './patterns';
import { creatorCreatedEvent, population, userCreatedEvent } from './population';

export const PLAN_LIMITS = { maxDays: 60, maxUsers: 100_000, maxCreators: 10_000, maxRate: 1_000 } as const;

/** The population's id prefix for a seed: `s<seed letters and digits, 12 at most>_`. */
export function idPrefixFor(seed: string): string {
  return `s${seed.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}_`;
}

export function planOptions(given: Partial<PlanOptions> & { seed: string; startMs: number }): PlanOptions {
  const populationSeed = given.populationSeed ?? given.seed;
  const idPrefix = given.idPrefix ?? idPrefixFor(populationSeed);
  const options: PlanOptions = {
    populationSeed,
    idPrefix,
    activityPrefix: idPrefix,
    days: 3,
    users: 500,
    creators: Math.max(5, Math.round((given.users ?? 500) / 10)),
    fraudRates: { ...DEFAULT_FRAUD_RATES },
    createProfiles: true,
    ...(Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as typeof given),
  };
  const problems: string[] = [];
  if (!(options.days > 0 && options.days <= PLAN_LIMITS.maxDays)) problems.push(`days must be more than 0 and at most ${PLAN_LIMITS.maxDays}`);
  if (!(Number.isInteger(options.users) && options.users >= 1 && options.users <= PLAN_LIMITS.maxUsers)) problems.push(`users must be 1-${PLAN_LIMITS.maxUsers}`);
  if (!(Number.isInteger(options.creators) && options.creators >= 1 && options.creators <= PLAN_LIMITS.maxCreators)) problems.push(`creators must be 1-${PLAN_LIMITS.maxCreators}`);
  for (const pattern of FRAUD_PATTERNS) {
    const rate = options.fraudRates[pattern];
    if (!(rate >= 0 && rate <= PLAN_LIMITS.maxRate)) problems.push(`rate of ${pattern} must be 0-${PLAN_LIMITS.maxRate} per 1,000 users per day`);
  }
  if (!/^[A-Za-z0-9_]{1,20}$/.test(options.idPrefix)) problems.push('idPrefix must be 1-20 letters, digits or underscores');
  if (!/^[A-Za-z0-9_]{1,30}$/.test(options.activityPrefix)) problems.push('activityPrefix must be 1-30 letters, digits or underscores');
  if (problems.length) throw new Error(`simulator: ${problems.join('; ')}`);
  return options;
}

const ORDER: Record<Action['kind'], number> = { event: 0, charge: 1, refund_request: 2, early_fraud_warning: 3, dispute: 4 };

/**
 * The whole simulated economy from `startMs` for `days`: profiles, then per UTC day the live streams,
 * the legitimate users' recharges and gifts, payout requests, and the fraud instances at their rates
 * (each labelled). Deterministic: every draw comes from streams forked from the seed.
 */
export function buildPlan(given: Partial<PlanOptions> & { seed: string; startMs: number }): Plan {
  const options = planOptions(given);
  const root = new SeededRandom(options.seed);
  const durationMs = Math.round(options.days * DAY_MS);
  const people = population(new SeededRandom(options.populationSeed).fork('population'), options.idPrefix, options.users, options.creators);
  const builder = new PlanBuilder(root.fork('activity'), options.activityPrefix, durationMs);

  if (options.createProfiles) {
    for (const creator of people.creators) {
      builder.event(-30 * DAY_MS - 1, creatorCreatedEvent(creator, creator.initialKyc));
      // Pending KYC is decided during the span: mostly verified, sometimes rejected.
      if (creator.initialKyc === 'pending') {
        const outcome = builder.random.chance(0.85) ? 'verified' : 'rejected';
        builder.event(builder.random.int(0, durationMs), creatorCreatedEvent(creator, outcome, 'creator.kyc_updated'));
      }
    }
    for (const user of people.users) builder.event(user.createdAtMs, userCreatedEvent(user));
  }

  // Days are UTC days, so the daily cycle lands on real local evenings.
  const firstMidnightMs = Math.floor(options.startMs / DAY_MS) * DAY_MS - options.startMs;
  for (let dayStartMs = firstMidnightMs; dayStartMs < durationMs; dayStartMs += DAY_MS) {
    const sessions = liveSessions(builder, people.creators, dayStartMs);
    for (const user of people.users) legitDay(builder, user, sessions, dayStartMs);
    payoutRequests(builder, people.creators, dayStartMs);
  }

  const labels: FraudLabel[] = [];
  const fraudRandom = root.fork('fraud');
  for (const pattern of FRAUD_PATTERNS) {
    const expected = (options.fraudRates[pattern] * options.users * options.days) / 1000;
    const count = Math.floor(expected) + (fraudRandom.chance(expected - Math.floor(expected)) ? 1 : 0);
    for (let i = 0; i < count; i++) {
      // Patterns whose disputes come days later start early, so their consequences land inside the span.
      const lastDay = pattern === 'card_testing' ? Math.ceil(options.days) - 1 : Math.ceil(options.days * 0.5) - 1;
      const day = fraudRandom.int(0, Math.max(0, lastDay));
      const offset = fraudRandom.pick(COUNTRIES).utcOffset;
      // Leave room for the instance to unfold inside the span.
      const atMs = Math.min(Math.max(0, timeInDay(fraudRandom, firstMidnightMs + day * DAY_MS, offset)), Math.max(0, durationMs - 3 * 3_600_000));
      const made = builder.withRandom(fraudRandom, () => PATTERNS[pattern]({ builder, users: people.users, creators: people.creators }, atMs, `${options.activityPrefix}${pattern}_${i + 1}`));
      if (made) labels.push(made);
    }
  }

  const actions = builder.actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => a.action.atMs - b.action.atMs || ORDER[a.action.kind] - ORDER[b.action.kind] || a.index - b.index)
    .map(({ action }) => action);
  return { seed: options.seed, startMs: options.startMs, durationMs, users: people.users, creators: people.creators, actions, labels };
}
