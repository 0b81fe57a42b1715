import { DEFAULT_CHARGEBACK_SETTINGS } from '@coinops/payments';
import { ChargebackFixture } from './chargebacks.fixture';
import { startApi, type TestApi } from './harness';

/** Early fraud warnings, and the review items chargebacks and warnings open: decided without a ledger hold. */
describe('early fraud warnings and chargeback reviews', () => {
  let api: TestApi;
  let fx: ChargebackFixture;
  beforeAll(async () => {
    api = await startApi();
    fx = new ChargebackFixture(api);
  });
  afterAll(() => api.close());

  const outcomes = (rechargeId: string) =>
    api.dataSource.query(`SELECT outcome FROM risk_outcomes WHERE subject_type = 'recharge' AND subject_id = $1 ORDER BY outcome`, [rechargeId]).then((rows: Array<{ outcome: string }>) => rows.map((r) => r.outcome));

  it('raises an alert and opens an early_fraud_warning review once per warning, moving nothing in the ledger', async () => {
    const charged = await fx.charge();
    const warning = fx.sim.earlyFraudWarning(charged.chargeId);
    expect(await fx.deliver(warning)).toBe('done');
    expect(await fx.post(warning)).toMatchObject({ outcome: 'duplicate' });
    // The same warning in another event (a resend) is stored once too.
    expect(await fx.deliver({ ...warning, id: `${warning.id}_resent` })).toBe('done');

    const alerts = await api.dataSource.query(`SELECT source, rule_key, severity, subject_type, user_id, decision_id, "values" FROM risk_alerts WHERE subject_id = $1`, [charged.rechargeId]);
    expect(alerts).toEqual([{ source: 'early_fraud_warning', rule_key: 'early_fraud_warning', severity: 'high', subject_type: 'recharge', user_id: charged.userId, decision_id: null, values: expect.objectContaining({ charge_id: charged.chargeId, fraud_type: 'made_with_stolen_card' }) }]);
    const warnings = await api.dataSource.query(`SELECT review_id FROM early_fraud_warnings WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(warnings).toHaveLength(1);
    const [item] = await api.dataSource.query(`SELECT kind, state, user_id FROM review_items WHERE id = $1`, [warnings[0].review_id]);
    expect(item).toEqual({ kind: 'early_fraud_warning', state: 'open', user_id: charged.userId });
    expect(await fx.coins(charged.userId)).toBe(1400n);

    // The alerts list shows it beside the rules' alerts.
    const listed = await fx.read('ts', '/alerts', { filter: JSON.stringify({ subject: charged.rechargeId }) });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ rule_key: 'early_fraud_warning', source: 'early_fraud_warning', decision_id: null })]);

    // Approve = cleared: the recharge stays credited, review_approved is the known outcome.
    expect((await fx.command('ts', `/reviews/${warnings[0].review_id}/claim`)).status).toBe(200);
    const approved = await fx.command('ts', `/reviews/${warnings[0].review_id}/approve`, { reason: 'cardholder confirmed the purchase' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', recharges: [{ recharge_id: charged.rechargeId, state: 'credited', ledger_transaction_id: null }] });
    expect(await outcomes(charged.rechargeId)).toEqual(['review_approved']);
    expect(await fx.coins(charged.userId)).toBe(1400n);
    await fx.expectLedgerClean();
  });

  it('rejects a chargeback review as confirmed fraud: blocks the card, records review_rejected, the clawback stays', async () => {
    const charged = await fx.charge();
    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened);
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    const [card] = await api.dataSource.query(`SELECT card_fingerprint FROM recharges WHERE id = $1`, [charged.rechargeId]);

    expect((await fx.command('ts', `/reviews/${chargeback.review_id}/claim`)).status).toBe(200);
    const rejected = await fx.command('ts', `/reviews/${chargeback.review_id}/reject`, { reason: 'stolen card confirmed', block_card: true, freeze_user: true });
    expect(rejected.status).toBe(200);
    // Already frozen by the chargeback itself (CHARGEBACK_AUTO_FREEZE).
    expect(rejected.body).toMatchObject({ state: 'rejected', user_frozen: false, blocked: [{ kind: 'card', value: card.card_fingerprint, already: false }] });
    expect(await outcomes(charged.rechargeId)).toEqual(['chargeback', 'review_rejected']);
    expect(await fx.coins(charged.userId)).toBe(0n);
    const [recharge] = await api.dataSource.query(`SELECT state FROM recharges WHERE id = $1`, [charged.rechargeId]);
    expect(recharge.state).toBe('charged_back');
    await fx.expectLedgerClean();
  });

  it('only flags the user when auto-freeze is off: the review opens, the account stays usable until someone decides', async () => {
    const settings = { ...DEFAULT_CHARGEBACK_SETTINGS, autoFreeze: false };
    const charged = await fx.charge();
    const opened = fx.sim.openDispute(charged.chargeId);
    await fx.deliver(opened, settings);
    const chargeback = await fx.chargeback(fx.disputeIdOf(opened));
    const [user] = await api.dataSource.query(`SELECT frozen_at FROM users WHERE id = $1`, [charged.userId]);
    expect(user?.frozen_at ?? null).toBeNull();
    expect(chargeback.review_id).not.toBeNull();

    expect((await fx.command('ts', `/reviews/${chargeback.review_id}/claim`)).status).toBe(200);
    const rejected = await fx.command('ts', `/reviews/${chargeback.review_id}/reject`, { reason: 'friendly fraud pattern', freeze_user: true });
    expect(rejected.status).toBe(200);
    expect(rejected.body.user_frozen).toBe(true);
    await fx.expectLedgerClean();
  });

  it('joins a second chargeback of the same user to the active chargeback review', async () => {
    const first = await fx.charge();
    const second = await fx.charge({ userId: first.userId });
    const a = fx.sim.openDispute(first.chargeId);
    const b = fx.sim.openDispute(second.chargeId);
    await fx.deliver(a);
    await fx.deliver(b);
    const [cbA, cbB] = [await fx.chargeback(fx.disputeIdOf(a)), await fx.chargeback(fx.disputeIdOf(b))];
    expect(cbB.review_id).toBe(cbA.review_id);
    expect(await fx.coins(first.userId)).toBe(0n);
    await fx.expectLedgerClean();
  });
});
