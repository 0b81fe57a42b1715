import { DataSource } from 'typeorm';
import { IllegalTransition } from '@coinops/contracts';
import { creatorDiamonds, platformAccount, userCoins } from '../accounts/account-codes';
import { InsufficientFunds } from '../errors';
import { Ledger } from '../ledger';
import { openLedger, uniqueId } from './harness';

describe('reversal', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger()));
  afterAll(() => dataSource.destroy());

  const fund = (userId: string, coins: bigint) =>
    ledger.creditRecharge({ rechargeId: uniqueId('r'), userId, coins, amountMinor: 100n, currency: 'EUR', provider: 'stripe' });

  it('negates every posting of the original in a new transaction that names it', async () => {
    const [senderId, creatorId] = [uniqueId('u'), uniqueId('c')];
    await fund(senderId, 100n);
    const gift = await ledger.postGift({ giftId: uniqueId('g'), senderId, creatorId, coins: 40n });
    const reversal = await ledger.reverse(gift.id, 'gift sent by mistake');
    expect(reversal).toMatchObject({ type: 'reversal', reversesId: gift.id, reason: 'gift sent by mistake', reference: gift.reference });
    expect(reversal.postings.map((p) => [p.accountCode, p.amount])).toEqual(gift.postings.map((p) => [p.accountCode, -p.amount]));
    expect((await ledger.balance(userCoins(senderId))).posted).toBe(100n);
    expect((await ledger.balance(creatorDiamonds(creatorId))).posted).toBe(0n);
    // The original is still there, unchanged.
    expect(await ledger.getTransaction(gift.id)).toEqual(gift);
  });

  it('reverses a transaction once: the same call replays, another key is an illegal transition', async () => {
    const userId = uniqueId('u');
    const recharge = await fund(userId, 10n);
    const reversal = await ledger.reverse(recharge.id, 'refund');
    expect(await ledger.reverse(recharge.id, 'refund')).toEqual(reversal);
    await expect(ledger.reverse(recharge.id, 'refund', { idempotencyKey: uniqueId('k') })).rejects.toMatchObject({
      constructor: IllegalTransition, extra: { state: 'reversed' },
    });
  });

  it('refuses to reverse coins that were already spent', async () => {
    const userId = uniqueId('u');
    const recharge = await fund(userId, 10n);
    await ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 4n });
    await expect(ledger.reverse(recharge.id, 'refund')).rejects.toMatchObject({ constructor: InsufficientFunds, extra: { available: '6' } });
  });

  it('refuses to reverse a hold that is still pending (void it instead)', async () => {
    const hold = await ledger.holdRecharge({ rechargeId: uniqueId('r'), userId: uniqueId('u'), coins: 5n, amountMinor: 0n, currency: 'USD', provider: 'stripe' });
    await expect(ledger.reverse(hold.id, 'no')).rejects.toMatchObject({ constructor: IllegalTransition, extra: { state: 'pending' } });
  });

  it('lets a chargeback claw back spent coins, leaving a visible debt that later credits pay down', async () => {
    const userId = uniqueId('u');
    await fund(userId, 10n);
    await ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 8n });
    const clawback = await ledger.post({ idempotencyKey: uniqueId('cb'), type: 'chargeback', postings: [
      { account: userCoins(userId), amount: -10n }, { account: platformAccount('chargeback:coins', 'COIN'), amount: 10n },
    ] });
    expect(clawback.postings[0].runningBalance).toBe(-8n);
    await fund(userId, 5n);
    expect((await ledger.balance(userCoins(userId))).posted).toBe(-3n);
    await expect(ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId: uniqueId('c'), coins: 1n })).rejects.toBeInstanceOf(InsufficientFunds);
  });
});
