/**
 * One payout execution run in a process of its own, so a test can SIGKILL it in the middle of a batch
 * (apps/worker/test/payouts/kill-mid-batch.spec.ts). The provider is the real Stripe adapter aimed at the
 * test's fake Stripe (STRIPE_API_BASE), which survives the kill and remembers idempotency keys.
 */
import 'reflect-metadata';
import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { Ledger } from '@coinops/ledger';
import { createStripeClient, DEFAULT_PAYOUT_SETTINGS, runPayoutExecution, StripeProvider } from '@coinops/payments';

async function main(): Promise<void> {
  const base = new URL(process.env.STRIPE_API_BASE!);
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 4, applicationName: 'payouts-kill-child' });
  await dataSource.initialize();
  const client = createStripeClient('sk_test_payouts_kill_child', { host: base.hostname, port: Number(base.port), protocol: 'http', maxNetworkRetries: 0 });
  const provider = new StripeProvider({ webhookSecret: 'whsec_payouts_kill_child_unused', client });
  const run = await runPayoutExecution(dataSource, { ledger: new Ledger(dataSource), provider, settings: DEFAULT_PAYOUT_SETTINGS }, {
    onSent: (payoutId) => process.stdout.write(`sent ${payoutId}\n`),
  });
  process.stdout.write(`done ${JSON.stringify({ batches: run.batches.length, accepted: run.accepted, failed: run.failed, retryLater: run.retryLater })}\n`);
  await dataSource.destroy();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
  process.exit(1);
});
