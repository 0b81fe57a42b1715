import type { Pool, PoolClient } from 'pg';
import { createDataSource } from './data-source';
import { createTestDatabase, dropTestDatabase } from './testing/test-database';

describe('a pooled connection PostgreSQL ends while it is in use', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('db_terminate');
  });
  afterAll(() => dropTestDatabase(url));

  it('fails that connection\'s next query as an error, and neither crashes the process nor spoils the pool', async () => {
    const dataSource = createDataSource({ url, entities: [], poolSize: 2, applicationName: 'coinops-terminate-test' });
    await dataSource.initialize();
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    try {
      const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
      // what a PostgreSQL restart does to every connection: terminated between two queries of the holder
      await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(client.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release(true);
    }
    expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    await dataSource.destroy();
  });
});
