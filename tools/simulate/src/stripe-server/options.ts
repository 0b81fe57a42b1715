import { DEFAULT_DELIVERY, type DeliveryOptions } from '@coinops/payments';

export interface Range {
  min: number;
  max: number;
}

/** Everything the Stripe simulator server can be told; `stripeSimOptions()` fills the defaults. */
export interface StripeSimOptions {
  host: string;
  /** 12111 by default (stripe-mock's port, so the worker's STRIPE_API_BASE default points here). */
  port: number;
  /** Where every event is POSTed, signed with `webhookSecret`. */
  webhookUrl: string;
  webhookSecret: string;
  /** When set, `/v1` calls must carry exactly this key; otherwise any `sk_...` key is accepted. */
  apiKey: string | null;
  seed: string;
  /** Each `/v1` call answers after a uniform draw from this range. */
  callLatencyMs: Range;
  /** Share of refund / transfer calls answered with a 500 (half before acting, half after: the retry replays). */
  refundFailureShare: number;
  transferFailureShare: number;
  /** Share of transfers whose bank payout bounces: `payout.failed` instead of `payout.paid`. */
  payoutBounceShare: number;
  /** A refund is confirmed (`charge.refunded`) and a transfer paid out (`payout.*`) this long after the call. */
  confirmDelayMs: Range;
  delivery: Omit<DeliveryOptions, 'url' | 'secret' | 'seed'>;
  /** Idempotency keys remembered (Stripe keeps them 24 h); the oldest are forgotten past it. */
  maxIdempotencyKeys: number;
}

export const DEMO_STRIPE_WEBHOOK_SECRET = 'whsec_coinops_demo_stripe_webhook_secret';

export function stripeSimOptions(given: Partial<StripeSimOptions> = {}): StripeSimOptions {
  const options: StripeSimOptions = {
    host: '127.0.0.1',
    port: 12111,
    webhookUrl: 'http://127.0.0.1:3000/api/webhooks/stripe',
    webhookSecret: DEMO_STRIPE_WEBHOOK_SECRET,
    apiKey: null,
    seed: 'stripe-sim',
    callLatencyMs: { min: 5, max: 50 },
    refundFailureShare: 0.05,
    transferFailureShare: 0.05,
    payoutBounceShare: 0.02,
    confirmDelayMs: { min: 500, max: 3_000 },
    // Stripe retries for days; a demo whose API restarts needs a few more attempts than the library default.
    delivery: { ...DEFAULT_DELIVERY, maxAttempts: 8, retryMaxMs: 30_000 },
    maxIdempotencyKeys: 100_000,
    ...given,
  };
  checkOptions(options);
  return options;
}

function checkOptions(options: StripeSimOptions): void {
  const problems: string[] = [];
  const share = (value: number, name: string) => {
    if (!(value >= 0 && value <= 1)) problems.push(`${name} must be between 0 and 1`);
  };
  const range = (value: Range, name: string) => {
    if (!(value.min >= 0 && value.max >= value.min && value.max <= 600_000)) problems.push(`${name} must be min-max milliseconds, 0 <= min <= max <= 600000`);
  };
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) problems.push('port must be 0-65535');
  if (!/^https?:\/\//.test(options.webhookUrl)) problems.push('webhookUrl must be http(s)://...');
  if (options.webhookSecret.length < 16) problems.push('webhookSecret must be at least 16 characters');
  share(options.refundFailureShare, 'refundFailureShare');
  share(options.transferFailureShare, 'transferFailureShare');
  share(options.payoutBounceShare, 'payoutBounceShare');
  range(options.callLatencyMs, 'callLatencyMs');
  range(options.confirmDelayMs, 'confirmDelayMs');
  if (problems.length) throw new Error(`stripe simulator: ${problems.join('; ')}`);
}

function parseRange(text: string, name: string): Range {
  const match = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new Error(`${name} must be <ms> or <min>-<max> ms, got ${text}`);
  const min = Number(match[1]);
  return { min, max: match[2] === undefined ? min : Number(match[2]) };
}

function parseShare(text: string, name: string): number {
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(value >= 0 && value <= 1)) throw new Error(`${name} must be a share between 0 and 1, got ${text}`);
  return value;
}

/**
 * Command-line flags win over environment variables: `--port 12111` / STRIPE_SIM_PORT, `--webhook-url` /
 * STRIPE_SIM_WEBHOOK_URL (default from PORT: the API's), STRIPE_WEBHOOK_SECRET, `--api-key` / STRIPE_API_KEY,
 * `--seed` / STRIPE_SIM_SEED, `--latency 5-50` / STRIPE_SIM_LATENCY_MS, `--failure-share 0.05` /
 * STRIPE_SIM_FAILURE_SHARE (refunds and transfers), `--bounce-share` / STRIPE_SIM_BOUNCE_SHARE,
 * `--confirm-delay 500-3000` / STRIPE_SIM_CONFIRM_DELAY_MS, `--webhook-latency 50-500` /
 * STRIPE_SIM_WEBHOOK_LATENCY_MS, `--duplicate-share 0.05` / STRIPE_SIM_DUPLICATE_SHARE.
 */
export function optionsFromEnvironment(argv: string[], env: NodeJS.ProcessEnv): StripeSimOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`unexpected argument ${argv[i]}`);
    flags.set(match[1], match[2] ?? argv[++i] ?? '');
  }
  const pick = (flag: string, variable: string) => flags.get(flag) ?? env[variable];
  const given: Partial<StripeSimOptions> = {};
  const port = pick('port', 'STRIPE_SIM_PORT');
  if (port !== undefined) given.port = Number(port);
  given.webhookUrl = pick('webhook-url', 'STRIPE_SIM_WEBHOOK_URL') ?? `http://127.0.0.1:${env.PORT || 3000}/api/webhooks/stripe`;
  given.webhookSecret = pick('webhook-secret', 'STRIPE_WEBHOOK_SECRET') ?? DEMO_STRIPE_WEBHOOK_SECRET;
  given.apiKey = pick('api-key', 'STRIPE_API_KEY') ?? null;
  const seed = pick('seed', 'STRIPE_SIM_SEED');
  if (seed) given.seed = seed;
  const latency = pick('latency', 'STRIPE_SIM_LATENCY_MS');
  if (latency) given.callLatencyMs = parseRange(latency, 'latency');
  const failure = pick('failure-share', 'STRIPE_SIM_FAILURE_SHARE');
  if (failure) given.refundFailureShare = given.transferFailureShare = parseShare(failure, 'failure-share');
  const bounce = pick('bounce-share', 'STRIPE_SIM_BOUNCE_SHARE');
  if (bounce) given.payoutBounceShare = parseShare(bounce, 'bounce-share');
  const confirm = pick('confirm-delay', 'STRIPE_SIM_CONFIRM_DELAY_MS');
  if (confirm) given.confirmDelayMs = parseRange(confirm, 'confirm-delay');
  const delivery = { ...stripeSimOptions().delivery };
  const webhookLatency = pick('webhook-latency', 'STRIPE_SIM_WEBHOOK_LATENCY_MS');
  if (webhookLatency) delivery.latencyMs = parseRange(webhookLatency, 'webhook-latency');
  const duplicates = pick('duplicate-share', 'STRIPE_SIM_DUPLICATE_SHARE');
  if (duplicates) delivery.duplicateShare = parseShare(duplicates, 'duplicate-share');
  given.delivery = delivery;
  return stripeSimOptions(given);
}
