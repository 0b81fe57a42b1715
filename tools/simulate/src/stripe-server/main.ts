#!/usr/bin/env node
// The Stripe simulator server (docs/simulator.md): `node -r @swc-node/register tools/simulate/src/stripe-server/main.ts [--port 12111] ...`
import { optionsFromEnvironment } from './options';
import { startStripeSim } from './server';

async function main(): Promise<void> {
  const options = optionsFromEnvironment(process.argv.slice(2), process.env);
  const sim = await startStripeSim(options);
  process.stdout.write(
    `stripe simulator listening on ${sim.url} (POST /v1/refunds, POST /v1/transfers, GET /v1/charges/:id, /sim/...); ` +
      `webhooks to ${options.webhookUrl}; failure share ${options.refundFailureShare}, seed ${options.seed}\n`,
  );
  const stop = () => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`stripe simulator failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
