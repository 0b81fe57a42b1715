import { Client, type ClientConfig } from 'pg';
import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { migrations } from './migrations';

export interface DataSourceSettings {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: MixedList<Function | string | EntitySchema<any>>;
  /** Connections in the pool; api and worker size it to their concurrency. */
  poolSize?: number;
  applicationName?: string;
}

/**
 * A pooled connection that PostgreSQL ends while it is checked out (a restart, a failover, an
 * administrator's terminate) emits 'error'; pg-pool listens only while a connection is idle, so without
 * this listener Node treats it as unhandled and the process exits (found by the fault suite restarting
 * PostgreSQL under the worker). The caller's next query on it fails instead, as a query error that jobs
 * and requests already handle; the pool then drops the connection.
 */
export class ResilientClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** The one way every process builds its PostgreSQL connection: migrations only, never `synchronize`. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Query errors reach the caller as exceptions and are logged once, by the layer that handles them.
    logging: false,
    // bigint stays a string from the driver; money code turns it into a bigint, never a number.
    bigNumberStrings: true,
    supportBigNumbers: true,
    extra: {
      Client: ResilientClient,
      max: settings.poolSize ?? 10,
      application_name: settings.applicationName ?? 'coinops',
      // A statement that waits this long is a bug (a lock held across I/O), not load.
      statement_timeout: 30_000,
      idleTimeoutMillis: 30_000,
    },
  } as DataSourceOptions;
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

/** Applies pending migrations with a data source that needs no entities. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource({ url, entities: [], poolSize: 1, applicationName: 'coinops-migrate' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
