import { DataSource } from 'typeorm';
import { ValidationFailed } from '@coinops/contracts';
import { creatorDiamonds, platformCoinsRounding, platformCoinsSpent, platformDiamondsIssued, userCoins } from '../accounts/account-codes';
import { buildGift } from '../domain/gifts';
import { InsufficientFunds } from '../errors';
import { Ledger } from '../ledger';
import { openLedger, uniqueId } from './harness';

describe('batches, caller transactions and history', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger()));
  afterAll(() => dataSource.destroy());

  const fund = (userId: string, coins: bigint) =>
    ledger.creditRecharge({ rechargeId: uniqueId('r'), userId, coins, amountMinor: 100n, currency: 'USD', provider: 'stripe' });
  const gift = (senderId: string, coins: bigint, creatorId = uniqueId('c')) =>
    ({ op: 'transfer' as const, input: buildGift({ giftId: uniqueId('g'), senderId, creatorId, coins }) });

  it('gives each command of a batch its own result: a refused gift does not fail the others', async () => {
    const [rich, poor] = [uniqueId('u'), uniqueId('u')];
    await fund(rich, 100n);
    await fund(poor, 5n);
    const results = await ledger.postBatch([gift(rich, 30n), gift(poor, 6n), gift(rich, 70n), gift(rich, 1n), gift(poor, 5n)]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.name))).toEqual(['ok', 'InsufficientFunds', 'ok', 'InsufficientFunds', 'ok']);
    expect(results[3]).toMatchObject({ ok: false, error: { extra: { available: '0', requested: '1' } } });
    expect((await ledger.balance(userCoins(rich))).posted).toBe(0n);
    expect((await ledger.balance(userCoins(poor))).posted).toBe(0n);
  });

  it('refuses a malformed command alone and posts the rest', async () => {
    const userId = uniqueId('u');
    await fund(userId, 10n);
    const unbalanced = { op: 'transfer' as const, input: { idempotencyKey: uniqueId('k'), type: 'adjustment' as const, postings: [
      { account: userCoins(userId), amount: 5n }, { account: platformCoinsSpent(), amount: 4n },
    ] } };
    const results = await ledger.postBatch([unbalanced, gift(userId, 10n)]);
    expect(results[0]).toMatchObject({ ok: false, error: expect.any(ValidationFailed) });
    expect(results[1]).toMatchObject({ ok: true });
  });

  it('commits with the caller’s transaction, and rolls back with it', async () => {
    const userId = uniqueId('u');
    await fund(userId, 10n);
    await dataSource.transaction(async (manager) => {
      await ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 4n }, { manager });
    });
    expect((await ledger.balance(userCoins(userId))).posted).toBe(6n);

    const giftId = uniqueId('g');
    await expect(dataSource.transaction(async (manager) => {
      await ledger.postGift({ giftId, senderId: userId, creatorId: uniqueId('c'), coins: 6n }, { manager });
      throw new Error('the business row failed');
    })).rejects.toThrow('the business row failed');
    expect((await ledger.balance(userCoins(userId))).posted).toBe(6n);
    expect(await ledger.findTransaction(`gift:${giftId}`)).toBeNull();
  });

  it('leaves the caller’s transaction usable after a refused command', async () => {
    const userId = uniqueId('u');
    await dataSource.transaction(async (manager) => {
      await expect(ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 1n }, { manager })).rejects.toBeInstanceOf(InsufficientFunds);
      await expect(manager.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    });
  });

  it('splits a gift at 1 diamond per 2 coins, the odd coin to the rounding account', async () => {
    const [senderId, creatorId] = [uniqueId('u'), uniqueId('c')];
    await fund(senderId, 7n);
    const posted = await ledger.postGift({ giftId: uniqueId('g'), senderId, creatorId, coins: 7n });
    const byAccount = Object.fromEntries(posted.postings.map((p) => [p.accountCode.replace(/#\d+$/, ''), p.amount]));
    expect(byAccount).toEqual({
      [userCoins(senderId).code]: -7n,
      [platformCoinsSpent().code]: 6n,
      [platformCoinsRounding().code]: 1n,
      [platformDiamondsIssued().code]: -3n,
      [creatorDiamonds(creatorId).code]: 3n,
    });
  });

  it('answers an account’s balance at any past moment from the running balances', async () => {
    const userId = uniqueId('u');
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await fund(userId, 100n);
    // PostgreSQL stamps microseconds, a Date milliseconds: a moment taken in the same millisecond as the
    // posting would read as before it. Step past it.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const afterRecharge = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const spent = await ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 30n });
    expect(spent.postings[0].runningBalance).toBe(70n);
    expect(await ledger.balanceAt(userCoins(userId), before)).toBe(0n);
    expect(await ledger.balanceAt(userCoins(userId), afterRecharge)).toBe(100n);
    expect(await ledger.balanceAt(userCoins(userId), new Date())).toBe(70n);
  });

  it('sums the shards of a hot platform account on read', async () => {
    const { posted } = await ledger.balance(platformCoinsSpent());
    const { rows } = await (dataSource.driver as unknown as { master: import('pg').Pool }).master.query(
      `SELECT coalesce(sum(posted), 0) AS total, count(*) AS shards FROM ledger_accounts WHERE code LIKE 'platform:coins:spent#%'`,
    );
    expect(posted).toBe(BigInt(rows[0].total));
    expect(Number(rows[0].shards)).toBeGreaterThan(1);
  });
});
