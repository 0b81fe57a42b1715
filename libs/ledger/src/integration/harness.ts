import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '@coinops/db';
import { Ledger, LedgerOptions } from '../ledger';

/** A data source on the run's migrated test database (libs/db's jest globalSetup), and a ledger on it. */
export async function openLedger(options: LedgerOptions & { poolSize?: number } = {}): Promise<{ dataSource: DataSource; ledger: Ledger }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through jest with the libs/db globalSetup');
  const dataSource = createDataSource({ url, entities: [], poolSize: options.poolSize ?? 10, applicationName: 'coinops-ledger-test' });
  await dataSource.initialize();
  return { dataSource, ledger: new Ledger(dataSource, options) };
}

/** Ids no other test (or earlier run of this one) uses: tests share the run's database. */
export function uniqueId(label: string): string {
  return `${label}_${randomBytes(5).toString('hex')}`;
}
