import { DataSource } from 'typeorm';
import { IdempotencyConflict } from '@coinops/contracts';
import { platformAccount, userCoins } from '../accounts/account-codes';
import { Ledger } from '../ledger';
import { openLedger, uniqueId } from './harness';

describe('idempotency of ledger transactions', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger()));
  afterAll(() => dataSource.destroy());

  const recharge = (rechargeId: string, userId: string, coins: bigint) =>
    ({ rechargeId, userId, coins, amountMinor: 199n, currency: 'USD', provider: 'stripe' });

  it('returns the first result when the same key comes again with the same body', async () => {
    const userId = uniqueId('u');
    const first = await ledger.creditRecharge(recharge(uniqueId('r'), userId, 100n));
    const again = await ledger.creditRecharge(recharge(first.reference!.id, userId, 100n));
    expect(again).toEqual(first);
    expect((await ledger.balance(userCoins(userId))).posted).toBe(100n);
  });

  it('refuses the same key with another body as an IdempotencyConflict, changing nothing', async () => {
    const userId = uniqueId('u');
    const rechargeId = uniqueId('r');
    await ledger.creditRecharge(recharge(rechargeId, userId, 100n));
    await expect(ledger.creditRecharge(recharge(rechargeId, userId, 101n))).rejects.toBeInstanceOf(IdempotencyConflict);
    await expect(ledger.holdRecharge(recharge(rechargeId, userId, 100n))).rejects.toBeInstanceOf(IdempotencyConflict);
    expect((await ledger.balance(userCoins(userId))).posted).toBe(100n);
  });

  it('answers a replayed refusal for insufficient funds the same way, even after the wallet is funded', async () => {
    const senderId = uniqueId('u');
    const gift = { giftId: uniqueId('g'), senderId, creatorId: uniqueId('c'), coins: 10n };
    const refusal = await ledger.postGift(gift).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ name: 'InsufficientFunds', extra: { available: '0', requested: '10' } });
    await ledger.creditRecharge(recharge(uniqueId('r'), senderId, 50n));
    await expect(ledger.postGift(gift)).rejects.toMatchObject({ name: 'InsufficientFunds', extra: { available: '0' } });
    expect((await ledger.balance(userCoins(senderId))).posted).toBe(50n);
  });

  it('posts a key once when concurrent requests race with it', async () => {
    const userId = uniqueId('u');
    const entry = recharge(uniqueId('r'), userId, 7n);
    const results = await Promise.all(Array.from({ length: 8 }, () => ledger.creditRecharge(entry)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await ledger.balance(userCoins(userId))).posted).toBe(7n);
  });

  it('treats a key repeated inside one batch as a replay of its first occurrence', async () => {
    const userId = uniqueId('u');
    const input = { idempotencyKey: uniqueId('k'), type: 'adjustment' as const, postings: [
      { account: userCoins(userId), amount: 5n },
      { account: platformAccount('adjustments:coins', 'COIN'), amount: -5n },
    ] };
    const [first, second] = await ledger.postBatch([{ op: 'transfer', input }, { op: 'transfer', input }]);
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(second).toMatchObject({ ok: true, replayed: true });
    expect((await ledger.balance(userCoins(userId))).posted).toBe(5n);
  });
});
