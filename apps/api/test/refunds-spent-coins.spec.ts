import { startApi, type TestApi } from './harness';
import { RefundFixture, unique } from './refunds-fixture';

/** Only the recharge's unspent coins can be refunded, unless an approver overrides with a reason. */
describe('refunds: spent coins', () => {
  let api: TestApi;
  let fx: RefundFixture;
  beforeAll(async () => {
    api = await startApi();
    fx = new RefundFixture(api);
  });
  afterAll(async () => {
    fx.stop();
    await api.close();
  });
  afterEach(() => fx.expectLedgerClean());

  it('refuses refunding coins already gifted, naming the unspent coins and the rule', async () => {
    const charged = await fx.charge();
    await fx.sendGift(charged.userId, unique('c'), 1_000);
    const whole = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'wants it all back' });
    expect(whole.status).toBe(409);
    expect(whole.body).toMatchObject({ statusCode: 409, coins_required: '1400', unspent_coins: '400', spent_coins: '1000', rule: 'docs/refunds.md#which-coins-can-be-refunded' });
    expect(whole.body.message).toMatch(/oldest coins of the wallet first/);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(n).toBe(0);

    // The unspent part alone is fine: 571 cents are worth 399 coins.
    const part = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '571', reason: 'the unspent part' });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ state: 'processing', coins: '399', coins_unrecovered: '0' });
    expect(await fx.execute(part.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect(await fx.coins(charged.userId)).toEqual({ posted: 1n, available: 1n });
  });

  it('reserves the coins when the refund is asked: they cannot be gifted while the provider works', async () => {
    const charged = await fx.charge();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'refund before spending' });
    expect(asked.body.state).toBe('processing');
    await expect(fx.sendGift(charged.userId, unique('c'), 1)).rejects.toThrow(/gift answered 409/);
    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect(await fx.coins(charged.userId)).toEqual({ posted: 0n, available: 0n });
  });

  it('counts a later recharge as unspent: gifts take the oldest coins first', async () => {
    const older = await fx.charge();
    const newer = await fx.charge({ userId: older.userId, coins: 70n, amountMinor: 99n });
    await fx.sendGift(older.userId, unique('c'), 1_400);
    const refundable = await fx.read('support', `/refunds/refundable/${newer.rechargeId}`);
    expect(refundable.body).toMatchObject({ unspent_coins: '70', spent_coins: '0' });
    const asked = await fx.command('support', '/refunds', { recharge_id: newer.rechargeId, reason: 'the newer one' });
    expect(asked.body).toMatchObject({ state: 'processing', coins: '70' });
    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    const refusal = await fx.command('support', '/refunds', { recharge_id: older.rechargeId, amount: '100', reason: 'the older one' });
    expect(refusal.status).toBe(409);
    expect(refusal.body.unspent_coins).toBe('0');
  });

  it('refunds spent coins only with an approver\'s override reason, taking back what is left', async () => {
    const charged = await fx.charge();
    await fx.sendGift(charged.userId, unique('c'), 1_000);
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'fraudulent charge, card holder complained', override_spent_coins: true });
    expect(asked.status).toBe(201);
    // Below the threshold, but an override always goes to a second operator.
    expect(asked.body).toMatchObject({ state: 'requested', needs_approval: true, requires_override: true, coins: '400', coins_unrecovered: '1000' });

    const self = await fx.command('support', `/refunds/${asked.body.id}/approve`, { reason: 'my own request', override_reason: 'my own override' });
    expect(self.status).toBe(403);
    expect(self.body.requested_by).toBe(asked.body.requested_by);
    const noReason = await fx.command('finance', `/refunds/${asked.body.id}/approve`, { reason: 'approved' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([{ field: 'override_reason', message: expect.stringContaining('1000 coins') }]);
    const approved = await fx.command('finance', `/refunds/${asked.body.id}/approve`, { reason: 'approved', override_reason: 'stolen card: the issuer would charge it back anyway' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'processing', override_reason: 'stolen card: the issuer would charge it back anyway' });

    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect(await fx.coins(charged.userId)).toEqual({ posted: 0n, available: 0n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });
});
