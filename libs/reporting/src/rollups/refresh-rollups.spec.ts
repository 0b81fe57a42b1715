import { createDataSource } from '@coinops/db';
import { randomBytes } from 'node:crypto';
import { refreshRollups } from './refresh-rollups';

describe('the rollup job', () => {
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: [], poolSize: 4 });
  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  const currency = `Q${randomBytes(2).toString('hex').replace(/[^a-f]/g, 'A').slice(0, 2).toUpperCase()}`;
  const insert = (hoursAgo: number, decision: string | null) =>
    dataSource.query(
      `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, state, decision, occurred_at, created_at)
       VALUES ('stripe', $1, 'rollup_user', 'card', 70, 99, $2, $3, $4, now() - make_interval(hours => $5), now() - make_interval(hours => $5))`,
      [`ch_${randomBytes(6).toString('hex')}`, currency, decision ? 'credited' : 'received', decision, hoursAgo],
    );
  const rows = () =>
    dataSource.query(`SELECT hour, method, decision, recharges::int, amount_minor::int FROM rollup_recharges_hourly WHERE currency = $1 ORDER BY hour, decision`, [currency]);

  it('leaves the same rollups when run again (each run replaces the window it recomputes)', async () => {
    await insert(30, 'allow');
    await insert(1, 'allow');
    await insert(1, null);
    await refreshRollups(dataSource);
    const first = await rows();
    await refreshRollups(dataSource);
    await refreshRollups(dataSource);
    expect(await rows()).toEqual(first);
    expect(first.map((r: { decision: string; recharges: number }) => [r.decision, r.recharges])).toEqual([['allow', 1], ['allow', 1], ['pending', 1]]);
  });

  it('counts what arrives after a run without recounting what came before', async () => {
    await insert(0, 'allow');
    await refreshRollups(dataSource);
    const total = (await rows()).reduce((sum: number, r: { recharges: number }) => sum + r.recharges, 0);
    expect(total).toBe(4);
    // The daily rows the charts read are the same recharges, whole days of them.
    const [daily] = await dataSource.query(`SELECT sum(recharges)::int AS recharges, sum(amount_minor)::int AS amount FROM rollup_recharges_daily WHERE currency = $1`, [currency]);
    expect(daily).toEqual({ recharges: 4, amount: 4 * 99 });
  });

  it('does nothing while another run holds the lock, so concurrent runs never double-write', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT pg_advisory_xact_lock(7210431001)`);
      expect(await refreshRollups(dataSource)).toMatchObject({ ran: false });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await refreshRollups(dataSource)).toMatchObject({ ran: true });
  });
});
