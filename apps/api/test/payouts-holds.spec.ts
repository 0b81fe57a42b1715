import { systemActor } from '@coinops/access';
import { PayoutService, recordRecharge } from '@coinops/payments';
import { openRechargeReview } from '@coinops/reviews';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { PayoutFixture, unique } from './payouts.fixture';

/**
 * Each automatic hold of a payout (docs/payouts.md, "Holds"): placed at request with a named reason and
 * a detail, released by itself when its cause clears (the schedule's re-evaluation), or by finance with a
 * reason. The ledger is verified after every scenario.
 */
describe('payout holds', () => {
  let api: TestApi;
  let fx: PayoutFixture;
  let payouts: PayoutService;
  beforeAll(async () => {
    api = await startApi();
    fx = new PayoutFixture(api);
    payouts = api.app.get(PayoutService);
  });
  afterEach(() => fx.expectLedgerClean());
  afterAll(() => api.close());

  const state = async (id: string) => (await api.dataSource.query(`SELECT state FROM payouts WHERE id = $1`, [id]))[0].state;

  it('reserves the diamonds and waits for finance when nothing holds it: cash at the configured rate, the remainder to its named account', async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 5_001n);
    const { response, payout } = await fx.request(creatorId, 4_001);
    expect(response.status).toBe(200);
    // 1 diamond pays half a cent: 4,001 diamonds are 2,000 cents for 4,000 diamonds, 1 diamond of rounding.
    expect(payout).toMatchObject({ state: 'pending_approval', diamonds: '4001', diamonds_for_cash: '4000', rounding_diamonds: '1', amount_minor: '2000', currency: 'USD', approvals_required: 1, method: 'default' });
    expect(await fx.activeHolds(payout!.id)).toEqual([]);
    expect(await fx.diamonds(creatorId)).toEqual({ posted: 5_001n, pending: 4_001n, available: 1_000n });
    const legs = await api.dataSource.query(
      `SELECT a.code, p.kind, p.amount::text FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.transaction_id = $1 ORDER BY a.code`,
      [payout!.reservation_transaction_id],
    );
    expect(legs).toEqual([
      { code: `creator:${creatorId}:diamonds`, kind: 'hold', amount: '-4001' },
      { code: 'platform:payouts:diamonds', kind: 'hold', amount: '4000' },
      { code: 'platform:payouts:rounding:usd', kind: 'hold', amount: '1' },
    ]);
    const audit = await api.dataSource.query(`SELECT action, actor_email FROM audit_events WHERE entity = 'payout' AND entity_id = $1 ORDER BY id`, [payout!.id]);
    expect(audit).toEqual([{ action: 'payout.requested', actor_email: 'system:platform-events' }, { action: 'payout.cleared', actor_email: 'system:platform-events' }]);
  });

  it('refuses a request below the minimum (400 naming diamonds) or above the available diamonds (409 with available), storing nothing', async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 3_000n);
    const small = await fx.request(creatorId, 1_999); // 999 cents < 1,000
    expect(small.response.status).toBe(400);
    expect(small.response.body.details).toEqual([{ field: 'data.diamonds', message: expect.stringMatching(/below the minimum payout of 10.00 USD/) }]);
    const big = await fx.request(creatorId, 3_001);
    expect(big.response.status).toBe(409);
    expect(big.response.body).toMatchObject({ available: '3000', requested: '3001' });
    expect([small.payout, big.payout]).toEqual([undefined, undefined]);
    expect(await fx.diamonds(creatorId)).toMatchObject({ pending: 0n, available: 3_000n });
  });

  it('holds for KYC not verified and for a missing tax form, and releases both by itself once the creator is verified with a form', async () => {
    const { creatorId, userId } = await fx.creator({ kyc: 'pending', taxForm: null });
    await fx.earn(creatorId, 4_000n);
    const { payout } = await fx.request(creatorId, 4_000);
    expect(payout!.state).toBe('on_hold');
    const holds = await api.dataSource.query(`SELECT reason, detail, released_at FROM payout_holds WHERE payout_id = $1 ORDER BY reason`, [payout!.id]);
    expect(holds).toEqual([
      { reason: 'kyc_unverified', detail: 'KYC status is pending', released_at: null },
      { reason: 'tax_form_missing', detail: 'no tax form on file', released_at: null },
    ]);

    // Nothing changed yet: the schedule's run keeps both.
    await payouts.reevaluate(creatorId);
    expect(await fx.activeHolds(payout!.id)).toEqual(['kyc_unverified', 'tax_form_missing']);

    const kyc = await fx.send('creator.kyc_updated', { creator_id: creatorId, user_id: userId, country: 'US', payout_currency: 'USD', kyc_status: 'verified', tax_form: 'W-8BEN' });
    expect(kyc.status).toBe(200);
    expect(await payouts.reevaluate(creatorId)).toMatchObject({ changed: 1 });
    expect(await state(payout!.id)).toBe('pending_approval');
    const released = await api.dataSource.query(`SELECT reason, release_kind, release_reason, released_by FROM payout_holds WHERE payout_id = $1 ORDER BY reason`, [payout!.id]);
    expect(released).toEqual([
      { reason: 'kyc_unverified', release_kind: 'automatic', release_reason: 'the cause cleared', released_by: null },
      { reason: 'tax_form_missing', release_kind: 'automatic', release_reason: 'the cause cleared', released_by: null },
    ]);
  });

  it("holds while the creator's account is frozen or has an open review, and puts a payout waiting for approval back on hold when that appears", async () => {
    const { creatorId, userId } = await fx.creator();
    await fx.earn(creatorId, 8_000n);
    const { payout } = await fx.request(creatorId, 4_000);
    expect(payout!.state).toBe('pending_approval');

    await api.dataSource.query(`UPDATE users SET frozen_at = now(), frozen_reason = 'reported account takeover' WHERE id = $1`, [userId]);
    await api.dataSource.transaction((m) =>
      openRechargeReview(m, systemActor('test'), { userId, rechargeId: randomUUID(), holdTransactionId: '1', decisionId: null, severity: 'high', ruleKeys: ['test'], reason: 'test' }),
    );
    await payouts.reevaluate(creatorId);
    expect(await state(payout!.id)).toBe('on_hold');
    const holds = await api.dataSource.query(`SELECT reason, detail FROM payout_holds WHERE payout_id = $1 AND released_at IS NULL ORDER BY reason`, [payout!.id]);
    expect(holds).toEqual([
      { reason: 'creator_frozen', detail: expect.stringContaining('reported account takeover') },
      { reason: 'open_review', detail: expect.stringContaining('1 open review item') },
    ]);
    // A new request while frozen is held at once.
    const second = await fx.request(creatorId, 2_000);
    expect(second.payout!.state).toBe('on_hold');
  });

  it('holds diamonds earned inside the reserve window until they mature; finance can release it with a reason, and it is not placed again', async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 3_000n, { daysAgo: 30 });
    await fx.earn(creatorId, 3_000n, { daysAgo: 2 });
    const matured = await fx.request(creatorId, 3_000);
    expect(matured.payout!.state).toBe('pending_approval');
    // The other 3,000 were earned 2 days ago: inside the 7-day window.
    const { payout } = await fx.request(creatorId, 2_000);
    expect(payout!.state).toBe('on_hold');
    const [hold] = await api.dataSource.query(`SELECT id::text, reason, detail FROM payout_holds WHERE payout_id = $1`, [payout!.id]);
    expect(hold).toMatchObject({ reason: 'reserve_window', detail: '3000 diamonds were earned in the last 7 days; 0 of the 2000 requested have matured' });

    const noReason = await fx.post(`/${payout!.id}/holds/${hold.id}/release`, {});
    expect(noReason.status).toBe(400);
    expect((await fx.post(`/${payout!.id}/holds/${hold.id}/release`, { reason: 'creator well known' }, 'support')).status).toBe(403);
    const released = await fx.post(`/${payout!.id}/holds/${hold.id}/release`, { reason: 'long-standing creator, gifts checked' });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ state: 'pending_approval', hold_reasons: [] });
    expect(released.body.holds).toEqual([
      expect.objectContaining({ reason: 'reserve_window', release_kind: 'manual', released_by_email: 'finance@coinops.dev', release_reason: 'long-standing creator, gifts checked', released_at: expect.any(String) }),
    ]);
    await payouts.reevaluate(creatorId);
    expect(await state(payout!.id)).toBe('pending_approval');
    expect((await fx.post(`/${payout!.id}/holds/${hold.id}/release`, { reason: 'again' })).status).toBe(409);
  });

  it("re-evaluates a creator's other payouts when a rejection gives diamonds back: a reserve-window hold clears at once", async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 3_000n, { daysAgo: 30 });
    await fx.earn(creatorId, 3_000n, { daysAgo: 1 });
    const first = await fx.request(creatorId, 3_000);
    const { payout } = await fx.request(creatorId, 2_000);
    expect(await fx.activeHolds(payout!.id)).toEqual(['reserve_window']);
    expect((await fx.post(`/${first.payout!.id}/reject`, { reason: 'duplicate request' })).status).toBe(200);
    expect(await state(payout!.id)).toBe('pending_approval');
    const [hold] = await api.dataSource.query(`SELECT release_kind, release_reason FROM payout_holds WHERE payout_id = $1`, [payout!.id]);
    expect(hold).toEqual({ release_kind: 'automatic', release_reason: 'the cause cleared' });
  });

  it('holds when the diamonds at risk from open chargebacks would not stay covered, and releases itself when the chargeback is won', async () => {
    const { creatorId } = await fx.creator();
    const senderId = await fx.earn(creatorId, 6_000n);
    const chargebackId = await api.dataSource.transaction(async (m) => {
      const recharge = await recordRecharge(m, { provider: 'stripe', providerRef: unique('ch'), userId: senderId, method: 'card', coins: 12_000n, amountMinor: 12_000n, currency: 'USD', occurredAt: new Date() });
      const [chargeback] = await m.query(
        `INSERT INTO chargebacks (recharge_id, user_id, provider, dispute_id, charge_id, state, provider_status, amount_minor, currency, provider_updated_at, status_rank, disputed_at)
         VALUES ($1, $2, 'stripe', $3, $4, 'needs_response', 'needs_response', 12000, 'USD', now(), 2, now()) RETURNING id`,
        [recharge.rechargeId, senderId, unique('dp'), unique('ch')],
      );
      await m.query(`INSERT INTO creator_diamonds_at_risk (creator_id, chargeback_id, gift_id, coins, diamonds, policy) VALUES ($1, $2, $3, 5000, 2500, 'hold')`, [creatorId, chargeback.id, unique('g')]);
      return chargeback.id as string;
    });
    // 2,500 at risk: a payout of 3,000 leaves 3,000, enough; a second of 2,000 would leave 1,000, not enough.
    expect((await fx.request(creatorId, 3_000)).payout!.state).toBe('pending_approval');
    const { payout } = await fx.request(creatorId, 2_000);
    expect(payout!.state).toBe('on_hold');
    expect(await api.dataSource.query(`SELECT reason, detail FROM payout_holds WHERE payout_id = $1`, [payout!.id])).toEqual([
      { reason: 'chargeback_exposure', detail: '2500 diamonds are at risk from open chargebacks; 1000 would remain after this payout' },
    ]);
    await api.dataSource.query(`UPDATE creator_diamonds_at_risk SET resolution = 'released', released_at = now() WHERE chargeback_id = $1`, [chargebackId]);
    await payouts.reevaluate(creatorId);
    expect(await state(payout!.id)).toBe('pending_approval');
  });

  it('holds when most of the recent diamonds came from flagged or young accounts, and shows the share on the creator page', async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 2_000n, { senderAgeDays: 400 });
    await fx.earn(creatorId, 3_000n, { senderAgeDays: 400, daysAgo: 10 });
    const frozen = await fx.earn(creatorId, 1_500n, { senderAgeDays: 400 });
    await api.dataSource.query(`UPDATE users SET frozen_at = now(), frozen_reason = 'stolen cards' WHERE id = $1`, [frozen]);
    const young = await fx.earn(creatorId, 1_500n, { senderAgeDays: 0, daysAgo: 10 });
    // 3,000 of 8,000 diamonds (37 %) from flagged or young accounts: below the 50 % default.
    expect((await fx.request(creatorId, 2_000)).payout!.state).toBe('pending_approval');
    await fx.earn(creatorId, 3_000n, { senderAgeDays: 1, daysAgo: 10 });
    const { payout } = await fx.request(creatorId, 2_000);
    expect(payout!.state).toBe('on_hold');
    expect(await api.dataSource.query(`SELECT reason, detail FROM payout_holds WHERE payout_id = $1`, [payout!.id])).toEqual([
      { reason: 'flagged_gift_sources', detail: '54% of the 11000 diamonds of the last 30 days came from flagged or young accounts' },
    ]);

    const sources = await fx.as('viewer').then((auth) => request(api.http).get(`/api/creators/${creatorId}/gift-sources`).set('Authorization', auth));
    expect(sources.status).toBe(200);
    expect(sources.body).toMatchObject({ total_diamonds: '11000', flagged_diamonds: '6000', flagged_share_percent: 54 });
    expect(sources.body.top_payers[0]).toMatchObject({ diamonds: '3000', flagged: expect.any(Boolean) });
    expect(sources.body.top_payers.find((p: { sender_id: string }) => p.sender_id === frozen)).toMatchObject({ flagged: true, frozen: true });
    expect(sources.body.top_payers.find((p: { sender_id: string }) => p.sender_id === young)).toMatchObject({ flagged: true, frozen: false, account_age_days: 0 });
  });
});
