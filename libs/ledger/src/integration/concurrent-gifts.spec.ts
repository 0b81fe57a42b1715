import { DataSource } from 'typeorm';
import { creatorDiamonds, userCoins } from '../accounts/account-codes';
import { LedgerBatcher } from '../batcher';
import { buildGift } from '../domain/gifts';
import { InsufficientFunds } from '../errors';
import { Ledger } from '../ledger';
import { verifyLedger } from '../verify/verify-ledger';
import { openLedger, uniqueId } from './harness';

describe('concurrent gifts from one wallet', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger({ poolSize: 20 })));
  afterAll(() => dataSource.destroy());

  async function fundedWallet(coins: bigint): Promise<string> {
    const userId = uniqueId('u');
    await ledger.creditRecharge({ rechargeId: uniqueId('r'), userId, coins, amountMinor: 100n, currency: 'USD', provider: 'stripe' });
    return userId;
  }

  it('posts exactly 10 of 50 concurrent gifts from a wallet funded for 10, leaves 0, and never deadlocks', async () => {
    const senderId = await fundedWallet(100n);
    const creators = [uniqueId('c'), uniqueId('c'), uniqueId('c')];
    // Each gift also touches a creator and the sharded platform accounts, in varying combinations.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => ledger.postGift({ giftId: uniqueId(`g${i}`), senderId, creatorId: creators[i % 3], coins: 10n })),
    );
    const posted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(posted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const error of refused) expect(error).toBeInstanceOf(InsufficientFunds);
    expect(await ledger.balance(userCoins(senderId))).toEqual({ posted: 0n, pendingDebits: 0n, pendingCredits: 0n, available: 0n });
    const diamonds = await Promise.all(creators.map((c) => ledger.balance(creatorDiamonds(c))));
    expect(diamonds.reduce((sum, b) => sum + b.posted, 0n)).toBe(50n);
    expect(ledger.stats().retriedDeadlocks).toBe(0);
  });

  it('does the same through the batcher, where the 50 gifts share database transactions', async () => {
    const senderId = await fundedWallet(100n);
    const batcher = new LedgerBatcher(ledger, { maxBatchSize: 16, maxConcurrentBatches: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        batcher.post({ op: 'transfer', input: buildGift({ giftId: uniqueId(`b${i}`), senderId, creatorId: uniqueId('c'), coins: 10n }) })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect((await ledger.balance(userCoins(senderId))).posted).toBe(0n);
    expect(ledger.stats().retriedDeadlocks).toBe(0);
  });

  it('keeps every invariant after the races', async () => {
    const report = await verifyLedger(dataSource);
    expect(report.violations).toEqual([]);
  });
});
