import { SimulatedStripe, SimulatorProvider } from '@coinops/payments';

/** The test secret the simulated Stripe signs with (tests that post its events to an API use the same one). */
export const TEST_WEBHOOK_SECRET = 'whsec_coinops_worker_test_secret';

/**
 * An in-process provider for worker tests: the simulator keeps the charges, answers refunds and payouts
 * with its latency and failure shares (zero latency and no failures unless asked), and keeps the events it
 * would deliver for `stripe.takeEmitted()`.
 */
export function simulatedProvider(options: { seed?: string; refundFailureShare?: number; payoutFailureShare?: number; payoutBounceShare?: number } = {}) {
  const seed = options.seed ?? 'worker-test';
  const stripe = new SimulatedStripe({ secret: TEST_WEBHOOK_SECRET, seed });
  const provider = new SimulatorProvider(stripe, {
    webhookSecret: TEST_WEBHOOK_SECRET,
    seed,
    callLatencyMs: { min: 0, max: 0 },
    refundFailureShare: options.refundFailureShare ?? 0,
    payoutFailureShare: options.payoutFailureShare ?? 0,
    payoutBounceShare: options.payoutBounceShare ?? 0,
  });
  return { stripe, provider };
}
