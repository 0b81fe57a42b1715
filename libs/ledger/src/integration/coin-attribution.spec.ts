import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { platformAccount, userCoins } from '../accounts/account-codes';
import { rechargeCoinUsage } from '../domain/coin-attribution';
import { buildRechargeCredit, buildRechargeHold, rechargeKey } from '../domain/recharges';
import type { Ledger } from '../ledger';
import { openLedger, uniqueId } from './harness';

describe('which coins of a recharge are unspent, and which gifts spent them', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger()));
  afterAll(() => dataSource.destroy());

  /** A recharge row (the attribution reads its user and coins) and its ledger credit or hold. */
  const recharge = async (userId: string, coins: bigint, options: { hold?: boolean } = {}) => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO recharges (id, provider, provider_ref, user_id, method, coins, amount_minor, currency, occurred_at, state)
       VALUES ($1, 'stripe', $2, $3, 'card', $4, $5, 'USD', now(), $6)`,
      [id, `ch_${id.replace(/-/g, '')}`, userId, coins.toString(), (coins * 2n).toString(), options.hold ? 'held' : 'credited'],
    );
    const entry = { rechargeId: id, userId, coins, amountMinor: coins * 2n, currency: 'USD', provider: 'stripe' };
    await ledger.post(options.hold ? buildRechargeHold(entry) : buildRechargeCredit(entry));
    return id;
  };
  const gift = (userId: string, creatorId: string, coins: bigint) => ledger.postGift({ giftId: uniqueId('g'), senderId: userId, creatorId, coins });
  const refundCoins = (userId: string, rechargeId: string, coins: bigint) =>
    ledger.post({
      idempotencyKey: uniqueId('refund'),
      type: 'refund',
      metadata: { recharge_id: rechargeId },
      postings: [
        { account: userCoins(userId), amount: -coins },
        { account: platformAccount('coins:issued', 'COIN', { sharded: true }), amount: coins },
      ],
    });

  it('spends the oldest recharge first and names the gifts and diamonds that spent it', async () => {
    const user = uniqueId('u');
    const first = await recharge(user, 100n);
    const second = await recharge(user, 100n);
    const g1 = await gift(user, 'creator_a', 60n);
    const g2 = await gift(user, 'creator_b', 70n);

    const older = await rechargeCoinUsage(dataSource.manager, first);
    expect(older).toMatchObject({ state: 'posted', coins: 100n, spentCoins: 100n, unspentCoins: 0n, refundedCoins: 0n });
    expect(older.gifts.map((g) => [g.gift_id, g.creator_id, g.coins])).toEqual([
      [g1.reference!.id, 'creator_a', 60n],
      [g2.reference!.id, 'creator_b', 40n],
    ]);
    const newer = await rechargeCoinUsage(dataSource.manager, second);
    expect(newer).toMatchObject({ spentCoins: 30n, unspentCoins: 70n });
    expect(newer.gifts).toEqual([{ gift_id: g2.reference!.id, creator_id: 'creator_b', coins: 30n, diamonds: expect.any(BigInt) }]);
    // the diamonds of a partly attributed gift are its share, rounded down
    const whole = g2.postings.find((p) => p.accountCode.startsWith('creator:'))!.amount;
    expect(newer.gifts[0].diamonds).toBe((whole * 30n) / 70n);
  });

  it("lets a refund take its own recharge's coins, not the oldest ones", async () => {
    const user = uniqueId('u');
    const first = await recharge(user, 100n);
    const second = await recharge(user, 50n);
    await refundCoins(user, second, 50n);
    await gift(user, 'creator_c', 30n);
    expect(await rechargeCoinUsage(dataSource.manager, second)).toMatchObject({ refundedCoins: 50n, spentCoins: 0n, unspentCoins: 0n });
    expect(await rechargeCoinUsage(dataSource.manager, first)).toMatchObject({ refundedCoins: 0n, spentCoins: 30n, unspentCoins: 70n });
  });

  it('counts a held recharge as unspendable until posted, and a voided one as never credited', async () => {
    const user = uniqueId('u');
    const held = await recharge(user, 40n, { hold: true });
    expect(await rechargeCoinUsage(dataSource.manager, held)).toMatchObject({ state: 'held', unspentCoins: 40n, spentCoins: 0n });
    const pending = await ledger.findTransaction(rechargeKey(held));
    await ledger.postPending(pending!.id);
    await gift(user, 'creator_d', 15n);
    expect(await rechargeCoinUsage(dataSource.manager, held)).toMatchObject({ state: 'posted', spentCoins: 15n, unspentCoins: 25n });

    const voided = await recharge(user, 10n, { hold: true });
    await ledger.voidPending((await ledger.findTransaction(rechargeKey(voided)))!.id);
    expect(await rechargeCoinUsage(dataSource.manager, voided)).toMatchObject({ state: 'none', unspentCoins: 0n });
  });

  /** A refund of a recharge's coins reserved by a hold (as the refund flow does), to post or void later. */
  const refundHold = (userId: string, rechargeId: string, coins: bigint) =>
    ledger.post({
      idempotencyKey: uniqueId('refund-hold'),
      type: 'refund',
      pending: true,
      reference: { type: 'recharge', id: rechargeId },
      postings: [
        { account: userCoins(userId), amount: -coins },
        { account: platformAccount('coins:issued', 'COIN', { sharded: true }), amount: coins },
      ],
    });

  it('counts coins a refund holds as taken from their recharge: a gift meanwhile spends the next recharge, and a void gives them back', async () => {
    const user = uniqueId('u');
    const first = await recharge(user, 100n);
    const second = await recharge(user, 100n);
    const hold = await refundHold(user, first, 100n);
    await gift(user, 'creator_e', 50n);
    expect(await rechargeCoinUsage(dataSource.manager, first)).toMatchObject({ refundedCoins: 100n, spentCoins: 0n, unspentCoins: 0n });
    expect(await rechargeCoinUsage(dataSource.manager, second)).toMatchObject({ spentCoins: 50n, unspentCoins: 50n });
    // posting the hold takes nothing more
    await ledger.postPending(hold.id);
    expect(await rechargeCoinUsage(dataSource.manager, first)).toMatchObject({ refundedCoins: 100n, unspentCoins: 0n });
    expect(await rechargeCoinUsage(dataSource.manager, second)).toMatchObject({ unspentCoins: 50n });

    const third = await recharge(user, 40n);
    const voided = await refundHold(user, third, 40n);
    expect(await rechargeCoinUsage(dataSource.manager, third)).toMatchObject({ unspentCoins: 0n });
    await ledger.voidPending(voided.id);
    expect(await rechargeCoinUsage(dataSource.manager, third)).toMatchObject({ refundedCoins: 0n, unspentCoins: 40n });
  });
});
