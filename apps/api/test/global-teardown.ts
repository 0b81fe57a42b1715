import { createDataSource } from '@coinops/db';
import { verifyLedger } from '@coinops/ledger';
import dbGlobalTeardown from '../../../libs/db/src/testing/global-teardown';

/**
 * After the whole API suite: every ledger invariant must still hold on the run's database (issue 3:
 * "reports clean after the whole suite"), then the database is dropped. A violation fails the run.
 */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL!;
  const dataSource = createDataSource({ url, entities: [], poolSize: 2 });
  let problem: string | null = null;
  try {
    await dataSource.initialize();
    const report = await verifyLedger(dataSource);
    if (!report.ok) problem = `the ledger is not clean after the API suite:\n${JSON.stringify(report.violations.slice(0, 20), null, 2)}`;
    else process.stdout.write(`ledger verified clean after the API suite (${JSON.stringify(report.counts)})\n`);
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await dbGlobalTeardown();
  }
  if (problem) throw new Error(problem);
}
