import { Client } from 'pg';

/** The database name in a PostgreSQL URL. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-zA-Z0-9_]{1,63}$/.test(name)) {
    throw new Error(`database name "${name}" must be 1-63 letters, digits or underscores`);
  }
  return name;
}

/** The same server, database `postgres`: where CREATE/DROP DATABASE is run. */
export function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

async function withMaintenanceClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist yet. Returns true when it created it. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  return withMaintenanceClient(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withMaintenanceClient(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Answers whether PostgreSQL accepts a connection at `url` (its maintenance database). */
export async function pingPostgres(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
