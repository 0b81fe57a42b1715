import { ChargebackFixture } from './chargebacks.fixture';
import { startApi, type TestApi } from './harness';

/** Dispute webhooks as Stripe delivers them: twice, late, out of order (docs/chargebacks.md, "Ordering"). */
describe('dispute webhooks delivered twice and out of order', () => {
  let api: TestApi;
  let fx: ChargebackFixture;
  beforeAll(async () => {
    api = await startApi();
    fx = new ChargebackFixture(api);
  });
  afterAll(() => api.close());

  const ledgerEntries = (chargebackId: string) =>
    api.dataSource.query(`SELECT type, idempotency_key FROM ledger_transactions WHERE idempotency_key LIKE $1 ORDER BY id`, [`chargeback:${chargebackId}%`]);

  it('acts once on a dispute webhook delivered twice, and once on two events that say the same', async () => {
    const charged = await fx.charge();
    const opened = fx.sim.openDispute(charged.chargeId);
    expect(await fx.deliver(opened)).toBe('done');
    expect(await fx.post(opened)).toMatchObject({ outcome: 'duplicate' });
    expect(await fx.process(opened)).toBe('already_processed');
    // A distinct event with the same status, a second later: the state stays, nothing is clawed back twice.
    expect(await fx.deliver(fx.sim.updateDispute(fx.disputeIdOf(opened), 'needs_response'))).toBe('done');
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    expect(chargeback.state).toBe('needs_response');
    expect(await ledgerEntries(chargeback.id)).toEqual([{ type: 'chargeback', idempotency_key: `chargeback:${chargeback.id}` }]);
    expect(await fx.coins(charged.userId)).toBe(0n);
    const audits = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity = 'chargeback' AND entity_id = $1 ORDER BY id`, [chargeback.id]);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(['chargeback.recorded', 'chargeback.clawed_back', 'chargeback.needs_response']);
    await fx.expectLedgerClean();
  });

  it('never moves a chargeback backwards: a won dispute stays won when its older events arrive afterwards', async () => {
    const charged = await fx.charge();
    const created = fx.sim.openDispute(charged.chargeId);
    const updated = fx.sim.updateDispute(fx.disputeIdOf(created), 'under_review');
    const closed = fx.sim.closeDispute(fx.disputeIdOf(created), 'won');

    // The closing event arrives first: a dispute first seen as won never claws anything back.
    expect(await fx.deliver(closed)).toBe('done');
    expect(await fx.deliver(updated)).toBe('done');
    expect(await fx.deliver(created)).toBe('done');
    const chargeback = await fx.chargeback(fx.disputeIdOf(created));
    expect(chargeback).toMatchObject({ state: 'won', provider_status: 'won', clawback_transaction_id: null });
    expect(await ledgerEntries(chargeback.id)).toEqual([]);
    expect(await fx.coins(charged.userId)).toBe(1400n);
    // It counts in the month its first event says, whatever the arrival order.
    expect(chargeback.disputed_at).toEqual(new Date((created.created as number) * 1000));
    await fx.expectLedgerClean();
  });

  it('keeps a lost dispute lost, with one clawback and one fee, when an older under_review event comes late', async () => {
    const charged = await fx.charge();
    const created = fx.sim.openDispute(charged.chargeId);
    const updated = fx.sim.updateDispute(fx.disputeIdOf(created), 'under_review');
    const closed = fx.sim.closeDispute(fx.disputeIdOf(created), 'lost');
    await fx.deliver(created);
    await fx.deliver(closed);
    await fx.deliver(updated);
    const chargeback = await fx.chargeback(fx.disputeIdOf(created));
    expect(chargeback.state).toBe('lost');
    expect(await ledgerEntries(chargeback.id)).toEqual([
      { type: 'chargeback', idempotency_key: `chargeback:${chargeback.id}` },
      { type: 'chargeback', idempotency_key: `chargeback:${chargeback.id}:fee` },
    ]);
    await fx.expectLedgerClean();
  });

  it('orders two events of the same second by how far the dispute has gone', async () => {
    const charged = await fx.charge();
    const created = fx.sim.openDispute(charged.chargeId);
    const closed = { ...fx.variant(created, 'lost', 'charge.dispute.closed'), created: created.created };
    const underReview = { ...fx.variant(created, 'under_review', 'charge.dispute.updated'), created: created.created };
    await fx.deliver(closed);
    await fx.deliver(underReview);
    await fx.deliver(created);
    expect((await fx.chargeback(fx.disputeIdOf(created))).state).toBe('lost');
    await fx.expectLedgerClean();
  });

  it('waits while the disputed recharge has not been evaluated, then claws back once it is', async () => {
    const charged = await fx.charge({ evaluate: false });
    const opened = fx.sim.openDispute(charged.chargeId);
    expect(await fx.deliver(opened)).toBe('wait');
    expect(await fx.chargeback(fx.disputeIdOf(opened))).toBeUndefined();
    await fx.evaluate(charged.rechargeId);
    expect(await fx.process(opened)).toBe('done');
    expect((await fx.chargeback(fx.disputeIdOf(opened))).coins_clawed_back).toBe('1400');
    await fx.expectLedgerClean();
  });

  it('records an inquiry without clawing back, and claws back when the issuer turns it into a dispute', async () => {
    const charged = await fx.charge();
    const template = fx.sim.openDispute(charged.chargeId);
    const inquiry = { ...fx.variant(template, 'warning_needs_response'), created: (template.created as number) - 10 };
    expect(await fx.deliver(inquiry)).toBe('done');
    const recorded = await fx.chargeback(fx.disputeIdOf(template));
    expect(recorded).toMatchObject({ state: 'inquiry', clawback_transaction_id: null, review_id: null });
    expect(await fx.coins(charged.userId)).toBe(1400n);

    expect(await fx.deliver(fx.sim.updateDispute(fx.disputeIdOf(template), 'needs_response'))).toBe('done');
    const disputed = await fx.chargeback(fx.disputeIdOf(template));
    expect(disputed.state).toBe('needs_response');
    expect(disputed.clawback_transaction_id).not.toBeNull();
    expect(await fx.coins(charged.userId)).toBe(0n);
    await fx.expectLedgerClean();
  });
});
