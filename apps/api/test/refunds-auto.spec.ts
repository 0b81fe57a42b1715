import { systemActor } from '@coinops/access';
import { sweepBlockedRecharges } from '@coinops/payments';
import { startApi, type TestApi } from './harness';
import { RefundFixture, unique } from './refunds-fixture';

/** Recharges the risk engine blocks get their cash back through the refund flow, with nothing to reverse on the ledger. */
describe('refunds: automatic refunds of blocked recharges', () => {
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

  it('starts an approved automatic refund in the transaction of the block decision and confirms it without a ledger entry', async () => {
    const fingerprint = unique('fp');
    await fx.risk.addListEntry({ list: 'block', kind: 'card', value: fingerprint, reason: 'stolen card', author: 'test' });
    const charged = await fx.charge({ coins: 4_900n, amountMinor: 7_000n, fingerprint });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('blocked_pending_refund');
    const [refund] = await api.dataSource.query(`SELECT * FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    // Above the threshold, yet approved at once: the system asks, and no coin was ever credited.
    expect(refund).toMatchObject({ kind: 'auto', state: 'processing', requested_by: null, coins: '0', amount_minor: '7000', hold_transaction_id: null, needs_approval: false });
    expect(refund.reason).toMatch(/blocked by the risk engine: block_list_hit/);

    expect(await fx.execute(refund.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect(await fx.refund(refund.id)).toMatchObject({ state: 'succeeded', ledger_transaction_id: null });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
    expect(await fx.postedRefundEntries(charged.rechargeId)).toBe(0);
  });

  it('sweeps blocked recharges without a refund (a rejected review, older data) once', async () => {
    const charged = await fx.charge({ coins: 20_000n, amountMinor: 19_999n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('held');
    const [{ review_id }] = await api.dataSource.query(`SELECT review_id FROM review_item_recharges WHERE recharge_id = $1`, [charged.rechargeId]);
    await fx.command('ts', `/reviews/${review_id}/claim`);
    const rejected = await fx.command('ts', `/reviews/${review_id}/reject`, { reason: 'card testing ring' });
    expect(rejected.status).toBe(200);
    expect(await fx.rechargeState(charged.rechargeId)).toBe('blocked_pending_refund');

    const first = await sweepBlockedRecharges(api.dataSource);
    expect(first.requested).toBeGreaterThanOrEqual(1);
    await sweepBlockedRecharges(api.dataSource);
    const refunds = await api.dataSource.query(`SELECT id, kind, state, reason FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(refunds).toEqual([expect.objectContaining({ kind: 'auto', state: 'processing', reason: 'rejected in review: the cash goes back' })]);
    const [audit] = await api.dataSource.query(`SELECT actor_email FROM audit_events WHERE entity = 'refund' AND entity_id = $1 AND action = 'refund.requested'`, [refunds[0].id]);
    expect(audit.actor_email).toBe(systemActor('worker:refunds.sweep-blocked').email);

    expect(await fx.execute(refunds[0].id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });

  it('lets any operator who may approve give up a failed automatic refund, and the sweep does not ask again', async () => {
    const fingerprint = unique('fp');
    await fx.risk.addListEntry({ list: 'block', kind: 'card', value: fingerprint, reason: 'stolen card', author: 'test' });
    const charged = await fx.charge({ fingerprint });
    const [refund] = await api.dataSource.query(`SELECT id FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    fx.sim.refund(charged.chargeId, 1999n, { reason: 'refunded by hand at the provider' });
    const [outside] = fx.sim.takeEmitted();
    expect(await fx.execute(refund.id)).toBe('failed');
    const given = await fx.command('support', `/refunds/${refund.id}/reject`, { reason: 'refunded at the provider by hand' });
    expect(given.body.state).toBe('rejected');
    await sweepBlockedRecharges(api.dataSource);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(n).toBe(1);
    expect(await fx.deliver(outside)).toBe('done');
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });
});
