import { runChargebackRatioMonitor } from '@coinops/payments';
import { randomBytes } from 'node:crypto';
import { ChargebackFixture } from './chargebacks.fixture';
import { startApi, type TestApi } from './harness';

/** The chargeback-ratio monitor: monthly rollup per provider × method × card brand, thresholds as data, one alert per level. */
describe('the chargeback-ratio monitor', () => {
  let api: TestApi;
  let fx: ChargebackFixture;
  // A card brand of this run only: other spec files' recharges never count in its keys.
  // (Card brands are letters only.)
  const letters = () => [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  const brand = `tb${letters()}`;
  const lateBrand = `tm${letters()}`;
  beforeAll(async () => {
    api = await startApi();
    fx = new ChargebackFixture(api);
    await api.dataSource.query(
      `INSERT INTO chargeback_ratio_thresholds (id, programme, level, card_brand, min_count, ratio_bps, counts_fraud_warnings, denominator, source) VALUES
         ($1 || '_disputes', 'test', 'warning', $1, 2, 1000, false, 'same_month', 'test line: 2 disputes and 10 %'),
         ($1 || '_with_warnings', 'test', 'excessive', $1, 3, 2500, true, 'same_month', 'test line: 3 disputes or warnings and 25 %'),
         ($1 || '_unreachable', 'test', 'high_excessive', $1, 100, 100, false, 'same_month', 'test line: never reached'),
         ($2 || '_previous', 'test', 'warning', $2, 2, 1000, false, 'previous_month', 'test line over the previous month')`,
      [brand, lateBrand],
    );
  });
  afterAll(async () => {
    await api.dataSource.query(`DELETE FROM chargeback_ratio_thresholds WHERE card_brand IN ($1, $2)`, [brand, lateBrand]);
    await api.close();
  });

  const month = new Date().toISOString().slice(0, 7);

  it('seeds the card schemes\u2019 programmes as the default thresholds', async () => {
    const response = await fx.read('finance', '/chargeback-ratio');
    expect(response.status).toBe(200);
    const byId = Object.fromEntries(response.body.thresholds.map((t: { id: string }) => [t.id, t]));
    expect(byId.visa_vamp_excessive).toMatchObject({ card_brand: 'visa', min_count: 1500, ratio_bps: 150, counts_fraud_warnings: true, denominator: 'same_month' });
    expect(byId.visa_vdmp_early_warning).toMatchObject({ min_count: 75, ratio_bps: 65 });
    expect(byId.visa_vdmp_standard).toMatchObject({ min_count: 100, ratio_bps: 90 });
    expect(byId.mastercard_cmm).toMatchObject({ card_brand: 'mastercard', min_count: 100, ratio_bps: 100, denominator: 'previous_month' });
    expect(byId.mastercard_ecm).toMatchObject({ min_count: 100, ratio_bps: 150 });
    expect(byId.mastercard_hecm).toMatchObject({ min_count: 300, ratio_bps: 300 });
  });

  it('counts transactions, disputes and fraud warnings per key and month, and alerts once per crossed level', async () => {
    const charges = [];
    for (let n = 0; n < 10; n++) charges.push(await fx.charge({ brand }));
    for (const charged of charges.slice(0, 2)) await fx.deliver(fx.sim.openDispute(charged.chargeId));
    await fx.deliver(fx.sim.earlyFraudWarning(charges[2].chargeId));
    // An inquiry is not a dispute: it does not count.
    const template = fx.sim.openDispute(charges[3].chargeId);
    await fx.deliver(fx.variant(template, 'warning_needs_response'));

    const run = await runChargebackRatioMonitor(api.dataSource);
    const ours = run.crossings.filter((c) => c.card_brand === brand).sort((a, b) => a.threshold_id.localeCompare(b.threshold_id));
    expect(ours).toEqual([
      expect.objectContaining({ threshold_id: `${brand}_disputes`, level: 'warning', month, counted: '2', transactions: '10', ratio_percent: '20.000', alerted: true }),
      expect.objectContaining({ threshold_id: `${brand}_with_warnings`, level: 'excessive', counted: '3', ratio_percent: '30.000', alerted: true }),
    ]);
    const again = await runChargebackRatioMonitor(api.dataSource);
    expect(again.crossings.filter((c) => c.card_brand === brand).map((c) => c.alerted)).toEqual([false, false]);
    const alerts = await api.dataSource.query(`SELECT rule_key, severity, user_id FROM risk_alerts WHERE source = 'chargeback_ratio' AND subject_id LIKE $1 ORDER BY rule_key`, [`%:${brand}`]);
    expect(alerts).toEqual([
      { rule_key: `${brand}_disputes`, severity: 'medium', user_id: null },
      { rule_key: `${brand}_with_warnings`, severity: 'high', user_id: null },
    ]);

    const series = await fx.read('finance', '/chargeback-ratio', { card_brand: brand });
    expect(series.body.points).toEqual([
      expect.objectContaining({ month, provider: 'stripe', method: 'card', card_brand: brand, transactions: '10', disputes: '2', fraud_warnings: '1', dispute_ratio_percent: '20.000', vamp_ratio_percent: '30.000' }),
    ]);
    await fx.expectLedgerClean();
  });

  it('divides by the previous month\u2019s transactions where the programme says so', async () => {
    const charges = [];
    for (let n = 0; n < 10; n++) charges.push(await fx.charge({ brand: lateBrand }));
    await api.dataSource.query(`UPDATE recharges SET created_at = created_at - interval '1 month' WHERE id = ANY($1::uuid[])`, [charges.map((c) => c.rechargeId)]);
    for (const charged of charges.slice(0, 2)) await fx.deliver(fx.sim.openDispute(charged.chargeId));
    const run = await runChargebackRatioMonitor(api.dataSource);
    expect(run.crossings.filter((c) => c.card_brand === lateBrand)).toEqual([
      expect.objectContaining({ threshold_id: `${lateBrand}_previous`, counted: '2', transactions: '10', ratio_percent: '20.000', alerted: true }),
    ]);
  });

  it('lets finance recompute the ratios now, and nobody outside finance and admin', async () => {
    expect((await fx.command('viewer', '/chargeback-ratio/refresh')).status).toBe(403);
    expect((await fx.command('support', '/chargeback-ratio/refresh')).status).toBe(403);
    const response = await fx.command('finance', '/chargeback-ratio/refresh');
    expect(response.status).toBe(200);
    expect(response.body.months).toHaveLength(2);
    // Every crossing already alerted on the earlier runs: none alerts twice.
    expect(response.body.crossings.filter((c: { card_brand: string; alerted: boolean }) => c.card_brand === brand && c.alerted)).toEqual([]);
  });

  it('refuses a malformed month or range with 400 naming the field', async () => {
    for (const [query, field] of [[{ from: '2026-13' }, 'from'], [{ to: 'last' }, 'to'], [{ from: '2020-01', to: '2026-01' }, 'from'], [{ method: 'cash' }, 'method']] as const) {
      const response = await fx.read('finance', '/chargeback-ratio', query);
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('lists chargebacks the react-admin way, with a sort whitelist', async () => {
    const list = await fx.read('viewer', '/chargebacks', { filter: JSON.stringify({ card_brand: brand }), sort: JSON.stringify(['evidence_due_by', 'ASC']), range: '[0,9]' });
    expect(list.status).toBe(200);
    expect(list.headers['content-range']).toMatch(/^chargebacks 0-\d+\/\d+$/);
    expect(list.body.length).toBeGreaterThanOrEqual(2);
    expect(list.body[0]).toMatchObject({ card_brand: brand, method: 'card', evidence_due_in_days: expect.any(Number) });
    const bad = await fx.read('viewer', '/chargebacks', { sort: JSON.stringify(['user_balance_coins', 'ASC']) });
    expect(bad.status).toBe(400);
  });
});
