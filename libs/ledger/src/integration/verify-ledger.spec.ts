import { DataSource, EntityManager } from 'typeorm';
import { platformAccount, userCoins } from '../accounts/account-codes';
import { Ledger } from '../ledger';
import { verifyLedger } from '../verify/verify-ledger';
import { openLedger, uniqueId } from './harness';

describe('verifyLedger', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  let userId: string;
  beforeAll(async () => {
    ({ dataSource, ledger } = await openLedger());
    userId = uniqueId('u');
    await ledger.creditRecharge({ rechargeId: uniqueId('r'), userId, coins: 50n, amountMinor: 499n, currency: 'USD', provider: 'stripe' });
    await ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 15n });
  });
  afterAll(() => dataSource.destroy());

  it('reports a healthy ledger as ok, with every invariant checked', async () => {
    const report = await verifyLedger(dataSource);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(Object.keys(report.invariants).sort()).toEqual([
      'asset_sums_to_zero', 'balance_equals_postings', 'no_overdraft', 'pending_resolved_once', 'reversal_mirrors_original', 'running_balance', 'transaction_balanced',
    ]);
    expect(report.counts.postings).toBeGreaterThan(0);
  });

  it('detects a balance corrupted by plain SQL with the guard trigger switched off', async () => {
    // Corrupt inside a transaction that is rolled back, so tests running beside this one never see it.
    await rolledBack(dataSource, async (manager) => {
      // What a superuser can do: run as a replica, which skips triggers, and edit the row.
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`UPDATE ledger_accounts SET posted = posted + 1000 WHERE code = $1`, [userCoins(userId).code]);
      await manager.query(`SET LOCAL session_replication_role = origin`);
      const report = await verifyLedger(manager);
      expect(report.ok).toBe(false);
      expect(report.violations).toEqual(expect.arrayContaining([
        expect.objectContaining({ invariant: 'asset_sums_to_zero', subject: 'COIN' }),
        expect.objectContaining({ invariant: 'balance_equals_postings', subject: userCoins(userId).code }),
      ]));
    });
    expect((await verifyLedger(dataSource)).ok).toBe(true);
  });

  it('detects a posting whose running balance was rewritten', async () => {
    await rolledBack(dataSource, async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(
        `UPDATE ledger_postings SET running_balance = running_balance + 1
         WHERE id = (SELECT max(p.id) FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = $1)`,
        [userCoins(userId).code],
      );
      const report = await verifyLedger(manager);
      expect(report.violations).toEqual([expect.objectContaining({ invariant: 'running_balance', subject: userCoins(userId).code })]);
    });
  });

  it('lists a chargeback debt without calling it a violation', async () => {
    const debtor = uniqueId('u');
    await ledger.post({ idempotencyKey: uniqueId('cb'), type: 'chargeback', postings: [
      { account: userCoins(debtor), amount: -30n }, { account: platformAccount('chargeback:coins', 'COIN'), amount: 30n },
    ] });
    const report = await verifyLedger(dataSource);
    expect(report.ok).toBe(true);
    expect(report.debts).toContainEqual({ code: userCoins(debtor).code, asset: 'COIN', posted: -30n });
  });
});

/** Runs `work` in a transaction that is always rolled back: other tests share this database. */
async function rolledBack(dataSource: DataSource, work: (manager: EntityManager) => Promise<void>): Promise<void> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.startTransaction();
  try {
    await work(queryRunner.manager);
  } finally {
    await queryRunner.rollbackTransaction();
    await queryRunner.release();
  }
}
