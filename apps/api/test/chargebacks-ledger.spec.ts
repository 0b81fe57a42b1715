import { chargebackLosses, DEFAULT_CHARGEBACK_SETTINGS } from '@coinops/payments';
import { providerClearing } from '@coinops/ledger';
import { ChargebackFixture, unique } from './chargebacks.fixture';
import { startApi, type TestApi } from './harness';

/** What a dispute does to the ledger, from opened to won or lost (DESIGN §3, §5; docs/chargebacks.md). */
describe('chargebacks in the ledger', () => {
  let api: TestApi;
  let fx: ChargebackFixture;
  beforeAll(async () => {
    api = await startApi();
    fx = new ChargebackFixture(api);
  });
  afterAll(() => api.close());

  const cash = async () => ({
    clearing: (await fx.ledger.balance(providerClearing('stripe', 'USD'))).posted,
    losses: (await fx.ledger.balance(chargebackLosses('USD'))).posted,
  });

  it('claws the coins back at once when a dispute opens, flags the user and opens a chargeback review; winning reverses the clawback', async () => {
    const charged = await fx.charge({ coins: 1400n, amountMinor: 1999n });
    expect(await fx.coins(charged.userId)).toBe(1400n);
    const before = await cash();

    const opened = fx.sim.openDispute(charged.chargeId);
    expect(await fx.deliver(opened)).toBe('done');
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    expect(chargeback).toMatchObject({ state: 'opened', provider_status: 'needs_response', amount_minor: '1999', coins_clawed_back: '1400', recharge_id: charged.rechargeId });
    expect(chargeback.evidence_due_by).toBeInstanceOf(Date);
    expect(await fx.coins(charged.userId)).toBe(0n);
    const during = await cash();
    expect(during.clearing - before.clearing).toBe(-1999n);
    expect(during.losses - before.losses).toBe(1999n);

    const [recharge] = await api.dataSource.query(`SELECT state FROM recharges WHERE id = $1`, [charged.rechargeId]);
    expect(recharge.state).toBe('charged_back');
    const [user] = await api.dataSource.query(`SELECT frozen_at, frozen_reason FROM users WHERE id = $1`, [charged.userId]);
    expect(user.frozen_at).not.toBeNull();
    expect(user.frozen_reason).toContain(fx.disputeIdOf(opened));
    const [review] = await api.dataSource.query(`SELECT kind, state FROM review_items WHERE id = $1`, [chargeback.review_id]);
    expect(review).toEqual({ kind: 'chargeback', state: 'open' });
    const outcomes = await api.dataSource.query(`SELECT outcome FROM risk_outcomes WHERE subject_type = 'recharge' AND subject_id = $1`, [charged.rechargeId]);
    expect(outcomes).toEqual([{ outcome: 'chargeback' }]);

    expect(await fx.deliver(fx.sim.updateDispute(fx.disputeIdOf(opened), 'under_review'))).toBe('done');
    expect((await fx.chargeback(fx.disputeIdOf(opened))).state).toBe('under_review');
    expect(await fx.deliver(fx.sim.closeDispute(fx.disputeIdOf(opened), 'won'))).toBe('done');

    const won = await fx.chargeback(fx.disputeIdOf(opened));
    expect(won).toMatchObject({ state: 'won', fee_minor: '0', fee_transaction_id: null });
    expect(won.reversal_transaction_id).not.toBeNull();
    expect(won.closed_at).not.toBeNull();
    expect(await fx.coins(charged.userId)).toBe(1400n);
    expect(await cash()).toEqual(before);
    const [reversal] = await api.dataSource.query(`SELECT type, reverses_id::text FROM ledger_transactions WHERE id = $1`, [won.reversal_transaction_id]);
    expect(reversal).toEqual({ type: 'chargeback_reversal', reverses_id: won.clawback_transaction_id });
    const [after] = await api.dataSource.query(`SELECT state FROM recharges WHERE id = $1`, [charged.rechargeId]);
    expect(after.state).toBe('credited');
    await fx.expectLedgerClean();
  });

  it('books the disputed amount and the dispute fee to losses when the dispute is lost, and the clawback stays', async () => {
    const charged = await fx.charge({ coins: 700n, amountMinor: 999n });
    const before = await cash();
    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened);
    expect(await fx.deliver(fx.sim.closeDispute(fx.disputeIdOf(opened), 'lost'))).toBe('done');

    const lost = await fx.chargeback(fx.disputeIdOf(opened));
    expect(lost).toMatchObject({ state: 'lost', fee_minor: DEFAULT_CHARGEBACK_SETTINGS.feeMinor.toString(), reversal_transaction_id: null });
    const after = await cash();
    expect(after.losses - before.losses).toBe(999n + 1500n);
    expect(after.clearing - before.clearing).toBe(-(999n + 1500n));
    expect(await fx.coins(charged.userId)).toBe(0n);
    const [fee] = await api.dataSource.query(`SELECT type, idempotency_key FROM ledger_transactions WHERE id = $1`, [lost.fee_transaction_id]);
    expect(fee).toEqual({ type: 'chargeback', idempotency_key: `chargeback:${lost.id}:fee` });
    await fx.expectLedgerClean();
  });

  it('leaves a debt when the coins were gifted, and holds the diamonds those coins earned until the dispute ends (won: released)', async () => {
    const [creatorA, creatorB] = [unique('c'), unique('c')];
    const charged = await fx.charge({ coins: 1400n, amountMinor: 1999n });
    const giftA = await fx.sendGift(charged.userId, creatorA, 1000);
    const giftB = await fx.sendGift(charged.userId, creatorB, 300);
    expect(await fx.coins(charged.userId)).toBe(100n);

    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened);
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    expect(chargeback.coins_clawed_back).toBe('1400');
    expect(await fx.coins(charged.userId)).toBe(-1300n);

    const atRisk = await api.dataSource.query(`SELECT creator_id, gift_id, coins::text, diamonds::text, policy, released_at FROM creator_diamonds_at_risk WHERE chargeback_id = $1 ORDER BY id`, [chargeback.id]);
    expect(atRisk).toEqual([
      { creator_id: creatorA, gift_id: giftA.id, coins: '1000', diamonds: giftA.diamonds, policy: 'hold', released_at: null },
      { creator_id: creatorB, gift_id: giftB.id, coins: '300', diamonds: giftB.diamonds, policy: 'hold', released_at: null },
    ]);
    // The debt is shown wherever the user is: the users list and the chargeback itself.
    const users = await fx.read('support', '/users', { filter: JSON.stringify({ id: charged.userId }) });
    expect(users.body[0]).toMatchObject({ balance_coins: '-1300', debt_coins: '1300' });
    const shown = await fx.read('finance', `/chargebacks/${chargeback.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ state: 'opened', user_balance_coins: '-1300', diamonds_at_risk: String(BigInt(giftA.diamonds) + BigInt(giftB.diamonds)) });
    await fx.expectLedgerClean();

    await fx.deliver(fx.sim.closeDispute(fx.disputeIdOf(opened), 'won'));
    expect(await fx.coins(charged.userId)).toBe(100n);
    const released = await api.dataSource.query(`SELECT resolution FROM creator_diamonds_at_risk WHERE chargeback_id = $1 AND released_at IS NOT NULL`, [chargeback.id]);
    expect(released).toEqual([{ resolution: 'released' }, { resolution: 'released' }]);
    await fx.expectLedgerClean();
  });

  it('writes the held diamonds off when a dispute over gifted coins is lost: the creator keeps them and the loss stays with the platform', async () => {
    const creator = unique('c');
    const charged = await fx.charge({ coins: 1400n, amountMinor: 1999n });
    const gift = await fx.sendGift(charged.userId, creator, 1400);
    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened);
    await fx.deliver(fx.sim.closeDispute(fx.disputeIdOf(opened), 'lost'));
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    const rows = await api.dataSource.query(`SELECT resolution, diamonds::text FROM creator_diamonds_at_risk WHERE chargeback_id = $1`, [chargeback.id]);
    expect(rows).toEqual([{ resolution: 'written_off', diamonds: gift.diamonds }]);
    expect((await fx.ledger.balance(`creator:${creator}:diamonds`)).posted).toBe(BigInt(gift.diamonds));
    expect(await fx.coins(charged.userId)).toBe(-1400n);
    await fx.expectLedgerClean();
  });

  it('claws the diamonds back from the creator at once under the claw_back policy, and gives them back when the dispute is won', async () => {
    const creator = unique('c');
    const settings = { ...DEFAULT_CHARGEBACK_SETTINGS, diamondsPolicy: 'claw_back' as const };
    const charged = await fx.charge({ coins: 1400n, amountMinor: 1999n });
    const gift = await fx.sendGift(charged.userId, creator, 1400);
    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened, settings);
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    expect((await fx.ledger.balance(`creator:${creator}:diamonds`)).posted).toBe(0n);
    const [row] = await api.dataSource.query(`SELECT resolution, policy FROM creator_diamonds_at_risk WHERE chargeback_id = $1`, [chargeback.id]);
    expect(row).toEqual({ resolution: 'clawed_back', policy: 'claw_back' });
    await fx.expectLedgerClean();

    await fx.deliver(fx.sim.closeDispute(fx.disputeIdOf(opened), 'won'), settings);
    expect((await fx.ledger.balance(`creator:${creator}:diamonds`)).posted).toBe(BigInt(gift.diamonds));
    await fx.expectLedgerClean();
  });

  it('voids the hold of a recharge still in review instead of clawing back, and books only the cash', async () => {
    // 20,000 coins on a new account: held by the default rule large_first_recharge_new_account.
    const charged = await fx.charge({ coins: 20_000n, amountMinor: 19_999n });
    const [held] = await api.dataSource.query(`SELECT state, ledger_transaction_id FROM recharges WHERE id = $1`, [charged.rechargeId]);
    expect(held.state).toBe('held');
    const before = await cash();
    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened);
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    expect(chargeback).toMatchObject({ state: 'opened', coins_clawed_back: '0' });
    expect(chargeback.hold_void_transaction_id).not.toBeNull();
    const [voided] = await api.dataSource.query(`SELECT phase, pending_id::text FROM ledger_transactions WHERE id = $1`, [chargeback.hold_void_transaction_id]);
    expect(voided).toEqual({ phase: 'void', pending_id: held.ledger_transaction_id });
    expect((await fx.ledger.balance(`user:${charged.userId}:coins`)).pendingCredits).toBe(0n);
    expect((await cash()).losses - before.losses).toBe(19_999n);
    const [recharge] = await api.dataSource.query(`SELECT state FROM recharges WHERE id = $1`, [charged.rechargeId]);
    expect(recharge.state).toBe('charged_back');
    const [link] = await api.dataSource.query(`SELECT outcome FROM review_item_recharges WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(link.outcome).toBe('rejected');
    await fx.expectLedgerClean();
  });
});
