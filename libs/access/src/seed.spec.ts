import { createDataSource } from '@coinops/db';
import { accessEntities } from './index';
import { seedDemoOperators } from './seed';

describe('demo seeding', () => {
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 2 });
  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  it('refuses to run when NODE_ENV=production', async () => {
    await expect(seedDemoOperators(dataSource, 'production')).rejects.toThrow(/refusing to seed/);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM operators`);
    expect(count).toBe(0);
  });

  it('seeds one operator per role once, and never again once operators exist', async () => {
    expect(await seedDemoOperators(dataSource, 'development')).toBe(7);
    expect(await seedDemoOperators(dataSource, 'development')).toBe(0);
    const roles = await dataSource.query(`SELECT role, count(*)::int AS count FROM operators GROUP BY role ORDER BY role`);
    expect(roles).toEqual([
      { role: 'admin', count: 1 },
      { role: 'finance', count: 2 },
      { role: 'support', count: 2 },
      { role: 'trust_safety', count: 1 },
      { role: 'viewer', count: 1 },
    ]);
  });
});
