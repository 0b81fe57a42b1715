import { accessEntities, seedDemoOperators } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import dbGlobalSetup from '../../../libs/db/src/testing/global-setup';

/** A migrated database of its own for this run, with the demo operators every spec signs in as. */
export default async function globalSetup(globalConfig: never, projectConfig: never): Promise<void> {
  await dbGlobalSetup(globalConfig, projectConfig);
  // The per-IP sign-in throttle counts in Redis across processes, so every spec file of the run signs in
  // against one budget from 127.0.0.1: lift it for the suite; auth-throttle.spec.ts tests it with its own.
  process.env.LOGIN_RATE_PER_MINUTE ??= '10000';
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 1 });
  await dataSource.initialize();
  try {
    await seedDemoOperators(dataSource, 'test');
  } finally {
    await dataSource.destroy();
  }
}
