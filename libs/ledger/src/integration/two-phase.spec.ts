import { DataSource } from 'typeorm';
import { IllegalTransition, ValidationFailed } from '@coinops/contracts';
import { creatorDiamonds, platformAccount, userCoins } from '../accounts/account-codes';
import { InsufficientFunds } from '../errors';
import { Ledger } from '../ledger';
import { openLedger, uniqueId } from './harness';

describe('two-phase transfers (holds)', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger()));
  afterAll(() => dataSource.destroy());

  const held = (userId: string, coins: bigint) =>
    ledger.holdRecharge({ rechargeId: uniqueId('r'), userId, coins, amountMinor: 500n, currency: 'USD', provider: 'stripe' });

  it('keeps held coins out of the available balance until the hold is posted', async () => {
    const userId = uniqueId('u');
    const hold = await held(userId, 100n);
    expect(hold.state).toBe('pending');
    expect(await ledger.balance(userCoins(userId))).toEqual({ posted: 0n, pendingDebits: 0n, pendingCredits: 100n, available: 0n });

    const posted = await ledger.postPending(hold.id);
    expect(posted).toMatchObject({ phase: 'post', pendingId: hold.id, state: 'posted' });
    expect(await ledger.balance(userCoins(userId))).toEqual({ posted: 100n, pendingDebits: 0n, pendingCredits: 0n, available: 100n });
    expect((await ledger.getTransaction(hold.id)).state).toBe('posted');
  });

  it('posts less than was held and releases the rest', async () => {
    const userId = uniqueId('u');
    const hold = await held(userId, 100n);
    await ledger.postPending(hold.id, {
      amounts: { [userCoins(userId).code]: 60n, 'platform:coins:issued': -60n, 'provider:stripe:clearing:usd': 300n, 'platform:revenue:deferred:usd': -300n },
    });
    expect(await ledger.balance(userCoins(userId))).toEqual({ posted: 60n, pendingDebits: 0n, pendingCredits: 0n, available: 60n });
  });

  it('refuses to post more than was held, or amounts that do not balance', async () => {
    const userId = uniqueId('u');
    const hold = await held(userId, 100n);
    await expect(ledger.postPending(hold.id, { amounts: { [userCoins(userId).code]: 101n, 'platform:coins:issued': -101n } })).rejects.toBeInstanceOf(ValidationFailed);
    await expect(ledger.postPending(hold.id, { amounts: { [userCoins(userId).code]: 50n } })).rejects.toBeInstanceOf(ValidationFailed);
    expect((await ledger.getTransaction(hold.id)).state).toBe('pending');
  });

  it('voids a hold, after which it can be neither posted nor voided again', async () => {
    const userId = uniqueId('u');
    const hold = await held(userId, 100n);
    const voided = await ledger.voidPending(hold.id, { reason: 'review rejected' });
    expect(voided).toMatchObject({ phase: 'void', state: 'voided' });
    expect(await ledger.balance(userCoins(userId))).toEqual({ posted: 0n, pendingDebits: 0n, pendingCredits: 0n, available: 0n });

    await expect(ledger.postPending(hold.id)).rejects.toMatchObject({ constructor: IllegalTransition, extra: { state: 'voided' } });
    await expect(ledger.voidPending(hold.id, { idempotencyKey: uniqueId('void-again') })).rejects.toBeInstanceOf(IllegalTransition);
    // The same void again, with its own key, is a replay: it returns the first result.
    expect(await ledger.voidPending(hold.id, { reason: 'review rejected' })).toEqual(voided);
  });

  it('posts a hold exactly once when post and void race', async () => {
    const userId = uniqueId('u');
    const hold = await held(userId, 100n);
    const outcomes = await Promise.allSettled([
      ledger.postPending(hold.id), ledger.voidPending(hold.id), ledger.postPending(hold.id, { idempotencyKey: uniqueId('p') }),
      ledger.voidPending(hold.id, { idempotencyKey: uniqueId('v') }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(IllegalTransition);
    const state = (await ledger.getTransaction(hold.id)).state;
    expect((await ledger.balance(userCoins(userId))).posted).toBe(state === 'posted' ? 100n : 0n);
  });

  it('reserves a debit: a payout hold makes the diamonds unavailable to a second one', async () => {
    const creatorId = uniqueId('c');
    const reserve = platformAccount('payouts:reserved', 'DIAMOND');
    const fund = { idempotencyKey: uniqueId('k'), type: 'adjustment' as const, postings: [
      { account: platformAccount('adjustments:diamonds', 'DIAMOND'), amount: -1000n }, { account: creatorDiamonds(creatorId), amount: 1000n },
    ] };
    await ledger.post(fund);
    const payout = (key: string, diamonds: bigint) => ledger.post({ idempotencyKey: key, type: 'payout', pending: true, postings: [
      { account: creatorDiamonds(creatorId), amount: -diamonds }, { account: reserve, amount: diamonds },
    ] });
    const first = await payout(uniqueId('p'), 800n);
    await expect(payout(uniqueId('p'), 300n)).rejects.toMatchObject({ constructor: InsufficientFunds, extra: { available: '200' } });
    expect(await ledger.balance(creatorDiamonds(creatorId))).toMatchObject({ posted: 1000n, pendingDebits: 800n, available: 200n });
    await ledger.voidPending(first.id, { reason: 'payout failed' });
    expect((await ledger.balance(creatorDiamonds(creatorId))).available).toBe(1000n);
  });
});
