import { Client } from 'pg';
import { createTestDatabase, dropTestDatabase } from './test-database';
import { runMigrations } from '../data-source';

describe('migrations', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('db_migrations');
  });
  afterAll(async () => {
    await dropTestDatabase(url);
  });

  it('apply on an empty database and are idempotent when run again', async () => {
    expect(await runMigrations(url)).toEqual([]);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT to_regclass('public.audit_events') AS audit, to_regclass('public.outbox') AS outbox`);
      expect(rows[0]).toEqual({ audit: 'audit_events', outbox: 'outbox' });
    } finally {
      await client.end();
    }
  });
});
