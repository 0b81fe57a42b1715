import 'reflect-metadata';
import { accessEntities, DEMO_OPERATORS, seedDemoOperators } from '@coinops/access';
import { ConfigError, loadConfig } from '@coinops/config';
import { createDataSource, ensureDatabase, runMigrations } from '@coinops/db';
import { seedDemoEconomy } from '@coinops/economy';

/**
 * Prepares a database for coinops: creates it if missing, applies migrations, and seeds the demo
 * economy when it is empty (never in production). Used by `npm start` and the browser tests.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const created = await ensureDatabase(config.DATABASE_URL);
  const applied = await runMigrations(config.DATABASE_URL);
  const report: Record<string, unknown> = { database_created: created, migrations_applied: applied };
  if (config.NODE_ENV !== 'production' && !process.argv.includes('--no-seed')) {
    const dataSource = createDataSource({ url: config.DATABASE_URL, entities: accessEntities, poolSize: 2, applicationName: 'coinops-seed' });
    await dataSource.initialize();
    try {
      const seeded = await seedDemoOperators(dataSource, config.NODE_ENV);
      report.operators_seeded = seeded ? DEMO_OPERATORS.map((o) => o.email) : [];
      // The fixed demo people the browser tests read; the simulated economy comes later, through the API.
      if (!process.argv.includes('--no-demo-economy')) report.economy_seeded = await seedDemoEconomy(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `seed failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
