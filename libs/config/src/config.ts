import { z } from 'zod';

/**
 * Demo secrets: used outside production so `npm start` works on a fresh clone, printed by it,
 * and refused in production (DESIGN §8).
 */
export const DEMO_SECRETS = {
  JWT_SECRET: 'coinops-demo-jwt-secret-change-me-in-production',
  EVENTS_SECRET: 'coinops-demo-events-secret',
  STRIPE_WEBHOOK_SECRET: 'whsec_coinops_demo_stripe_webhook_secret',
  RISK_SERVICE_TOKEN: 'coinops-demo-risk-service-token',
  /** The worker's key for the provider's API (refunds, payouts); the demo one is accepted by the Stripe simulator. */
  STRIPE_API_KEY: 'sk_test_coinops_demo_simulator_key',
} as const;

export type SecretName = keyof typeof DEMO_SECRETS;

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/coinops';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The Stripe simulator server (tools/simulate) that `npm start` runs beside the API. */
export const DEFAULT_STRIPE_SIMULATOR_URL = 'http://127.0.0.1:12111';

const integer = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.join(' or ')}//`);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['postgres:', 'postgresql:'], DEFAULT_DATABASE_URL),
  REDIS_URL: url(['redis:', 'rediss:'], DEFAULT_REDIS_URL),
  /** Prefix of every BullMQ key; tests use one per run so runs never see each other's jobs. */
  QUEUE_PREFIX: z.string().min(1).max(64).regex(/^[a-zA-Z0-9:_-]+$/).default('coinops'),
  PORT: integer(1, 65535, 3000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: integer(60, 7 * 24 * 3600, 8 * 3600),
  EVENTS_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  RISK_SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  STRIPE_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Where the worker's Stripe client sends refunds, transfers and reads. Unset in production: Stripe itself.
   * Outside production it defaults to the Stripe simulator server that `npm start` runs (tools/simulate).
   */
  STRIPE_API_BASE: z
    .string()
    .refine((value) => /^https?:\/\/[^/\s]+\/?$/.test(value), 'must be an http(s) origin such as http://127.0.0.1:12111')
    .optional(),
  /** Failed logins before an operator is locked out, and for how long. */
  LOGIN_MAX_FAILURES: integer(1, 100, 5),
  LOGIN_LOCKOUT_SECONDS: integer(1, 24 * 3600, 15 * 60),
  /** Login attempts per IP per minute before 429. */
  LOGIN_RATE_PER_MINUTE: integer(1, 10_000, 20),
  /** Roles that must sign in with a TOTP second factor, comma separated; default `admin,finance` in production, none elsewhere. */
  MFA_REQUIRED_ROLES: z.string().max(200).regex(/^[a-z_,\s]*$/, 'must be role names separated by commas').optional(),
  /** Minimum length of a new operator password. */
  PASSWORD_MIN_LENGTH: integer(8, 128, 12),
  /** Origins allowed by CORS, comma separated. */
  CONSOLE_ORIGIN: z.string().default('http://localhost:5173,http://127.0.0.1:5173'),
  /** `pretty` for people at a terminal (npm start), `json` for everything else. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_POLL_MS: integer(10, 60_000, 200),
  OUTBOX_BATCH_SIZE: integer(1, 5_000, 200),
  /** Chargebacks (docs/chargebacks.md): the fee booked when a dispute is lost, minor units of the charge currency (Stripe US: $15.00). */
  /** Refunds (docs/refunds.md): above this many US cents (integer rates per currency) a second operator approves. */
  REFUND_APPROVAL_THRESHOLD_USD_MINOR: integer(0, 1_000_000_000_000, 5_000),
  /** Provider calls of one refund attempt while the provider is unavailable before the refund is `failed` (BullMQ backs off between them). */
  REFUND_PROVIDER_MAX_ATTEMPTS: integer(1, 10, 6),
  /** Adjustments above these amounts need a second operator (about 50 USD each at the demo's rates). */
  ADJUSTMENT_APPROVAL_THRESHOLD_COINS: integer(0, 1_000_000_000_000, 3_500),
  ADJUSTMENT_APPROVAL_THRESHOLD_DIAMONDS: integer(0, 1_000_000_000_000, 10_000),
  CHARGEBACK_FEE_MINOR: integer(0, 1_000_000, 1_500),
  /** Freeze the user when a dispute opens. */
  CHARGEBACK_AUTO_FREEZE: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** Diamonds earned from disputed coins: held from payouts until the dispute ends, clawed back at once, or ignored. */
  CHARGEBACK_DIAMONDS_POLICY: z.enum(['hold', 'claw_back', 'ignore']).default('hold'),
  /** Payouts (docs/payouts.md): smallest payout, in minor units of the creator's payout currency. */
  PAYOUT_MIN_AMOUNT_MINOR: integer(1, 1_000_000_000, 1_000),
  /** Above this USD value (minor units, the diamonds at the USD rate) two distinct finance operators approve. */
  PAYOUT_DUAL_APPROVAL_USD_MINOR: integer(0, 1_000_000_000_000, 100_000),
  /** Diamonds earned in the last N days are not paid out yet (a hold until they mature). */
  PAYOUT_RESERVE_WINDOW_DAYS: integer(0, 365, 7),
  /** A payout above this multiple of the creator's average paid payout is held as unusual. */
  PAYOUT_UNUSUAL_FACTOR: integer(2, 1_000, 5),
  /** Held when at least this share (percent) of the diamonds of the last 30 days came from flagged or young accounts. */
  PAYOUT_FLAGGED_SHARE_PERCENT: integer(1, 100, 50),
  /** A sender account younger than this many days counts as young. */
  PAYOUT_YOUNG_ACCOUNT_DAYS: integer(0, 365, 7),
  /** Approved payouts sent to the provider per batch. */
  PAYOUT_BATCH_SIZE: integer(1, 1_000, 50),
});

type Parsed = z.infer<typeof schema>;

export type Config = Omit<Parsed, SecretName> & Record<SecretName, string> & {
  corsOrigins: string[];
  /** Which secrets fell back to their demo value (printed by `npm start`). */
  demoSecrets: SecretName[];
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the whole configuration once; every bad or missing variable is named
 * in one error, not the first only.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const parsed = result.data;
  const production = parsed.NODE_ENV === 'production';
  const demoSecrets: SecretName[] = [];
  const secrets = {} as Record<SecretName, string>;
  for (const name of Object.keys(DEMO_SECRETS) as SecretName[]) {
    const value = parsed[name];
    if (production && (value === undefined || value === DEMO_SECRETS[name])) {
      problems.push(`${name}: ${value === undefined ? 'is required' : 'is the demo value, which is refused'} when NODE_ENV=production`);
    }
    if (value === undefined || value === DEMO_SECRETS[name]) demoSecrets.push(name);
    secrets[name] = value ?? DEMO_SECRETS[name];
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...parsed,
    ...secrets,
    STRIPE_API_BASE: parsed.STRIPE_API_BASE ?? (production ? undefined : DEFAULT_STRIPE_SIMULATOR_URL),
    corsOrigins: parsed.CONSOLE_ORIGIN.split(',').map((o) => o.trim()).filter(Boolean),
    demoSecrets,
  };
}
