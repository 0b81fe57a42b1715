import { accessEntities } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { creatorDiamonds, Ledger, userCoins, verifyLedger } from '@coinops/ledger';
import type { DataSource } from 'typeorm';
import { DEMO_ECONOMY, seedDemoEconomy } from './seed-demo-economy';

describe('the demo economy', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 4 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('seeds wallets, gifts, a held recharge and a debt through the real paths, and changes nothing when run again', async () => {
    await seedDemoEconomy(dataSource);
    await seedDemoEconomy(dataSource);
    const ledger = new Ledger(dataSource);
    const { ana, ben, chloe } = DEMO_ECONOMY.users;
    expect((await ledger.balance(userCoins(ana))).posted).toBe(1400n - 365n);
    expect(await ledger.balance(userCoins(ben))).toMatchObject({ posted: 300n, pendingCredits: 350n });
    expect((await ledger.balance(userCoins(chloe))).posted).toBe(-60n);
    // 100 → 50, 15 → 7, 60 → 30 diamonds at the default 1 diamond per 2 coins.
    expect((await ledger.balance(creatorDiamonds(DEMO_ECONOMY.creators.mia))).posted).toBe(87n);
    const [{ gifts }] = await dataSource.query(`SELECT count(*)::int AS gifts FROM gifts WHERE id LIKE 'demo_gift_%'`);
    expect(gifts).toBe(5);
    const [user] = await dataSource.query(`SELECT frozen_at IS NOT NULL AS frozen FROM users WHERE id = $1`, [chloe]);
    expect(user.frozen).toBe(true);
    expect((await verifyLedger(dataSource)).ok).toBe(true);
  });
});
