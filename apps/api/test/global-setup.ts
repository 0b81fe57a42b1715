import { accessEntities, seedDemoOperators } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import dbGlobalSetup from '../../../libs/db/src/testing/global-setup';

/** A migrated database of its own for this run, with the demo operators every spec signs in as. */
export default async function globalSetup(globalConfig: never, projectConfig: never): Promise<void> {
  await dbGlobalSetup(globalConfig, projectConfig);
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 1 });
  await dataSource.initialize();
  try {
    await seedDemoOperators(dataSource, 'test');
  } finally {
    await dataSource.destroy();
  }
}
