import { randomBytes } from 'node:crypto';
import pg from 'pg';

const SERVER_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  name: string;
  url: string;
}

/** A name nobody else uses; the seed script creates the database, the teardown drops it. */
export function newTestDatabase(): TestDatabase {
  const name = `coinops_test_console_e2e_${randomBytes(6).toString('hex')}`;
  return { name, url: `${SERVER_URL}/${name}` };
}

export async function dropDatabase(database: TestDatabase): Promise<void> {
  if (!/^coinops_test_console_e2e_[0-9a-f]+$/.test(database.name)) {
    throw new Error(`refusing to drop ${database.name}: not a console e2e database`);
  }
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
