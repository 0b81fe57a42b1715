import { generateReconciliation, liabilityNow } from '@coinops/reporting';
import { ChargebackFixture, unique } from './chargebacks.fixture';
import { startIsolatedApi, type TestApi } from './harness';

/**
 * The reconciliation and the liability figures over entries the real flows booked: charges through the
 * Stripe webhook and the recharge evaluation, a dispute through the chargeback handler. A database of
 * its own, so every figure is exact.
 */
describe('reconciliation and liabilities over the real flows', () => {
  let api: TestApi;
  let fx: ChargebackFixture;

  beforeAll(async () => {
    api = await startIsolatedApi('reconciliation_flows');
    fx = new ChargebackFixture(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('finds nothing to report when the ledger booked every charge and the dispute as the provider reported them', async () => {
    const disputed = await fx.charge({ coins: 1400n, amountMinor: 1999n });
    const won = await fx.charge({ coins: 350n, amountMinor: 499n });
    await fx.sendGift(disputed.userId, unique('creator'), 1400);
    expect(await fx.deliver(fx.sim.openDispute(disputed.chargeId))).toBe('done');
    // A dispute won: the clawback is reversed, and the provider gives the money back: nothing withheld on either side.
    const opened = fx.sim.openDispute(won.chargeId);
    expect(await fx.deliver(opened)).toBe('done');
    expect(await fx.deliver(fx.sim.closeDispute(fx.disputeIdOf(opened), 'won'))).toBe('done');

    const [{ day }] = await api.dataSource.query(`SELECT to_char(min(provider_created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM provider_events`);
    const report = await generateReconciliation(api.dataSource, 'stripe', day, 'test');
    expect(report.summary.charge).toMatchObject({ matched: 2, differences: 0, provider: { count: 2, amounts: { USD: '2498' } }, ledger: { count: 2, amounts: { USD: '2498' } } });
    expect(report.summary.dispute).toMatchObject({ matched: 2, differences: 0, provider: { count: 2, amounts: { USD: '1999' } }, ledger: { count: 1, amounts: { USD: '1999' } } });
    expect(report.differences).toBe(0);
  });

  it("counts a chargeback's debt apart from the coins the platform owes", async () => {
    // The disputed user had gifted all 1,400 coins: the clawback left 1,400 coins of debt; the other user holds 350.
    expect(await liabilityNow(api.dataSource)).toMatchObject({ coins_outstanding: '350', coins_debt: '1400', coins_held: '0' });
  });
});
