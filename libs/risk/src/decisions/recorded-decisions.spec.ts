import { ValidationFailed } from '@coinops/contracts';
import { MINUTE_MS, openRiskFixture, ordinaryUser, recharge, RiskFixture, uid } from '../testing/risk-fixture';

describe('recorded decisions and alerts', () => {
  let fx: RiskFixture;
  const now = Date.now();

  beforeAll(async () => {
    fx = await openRiskFixture('decisions');
    await fx.engine.seedDefaultRules();
  });
  afterAll(async () => {
    await fx.close();
  });

  const count = async (table: string, where: string, params: unknown[]) => Number((await fx.db.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params))[0].n);

  it('stores the decision, its feature snapshot and one alert per matching rule, with the values', async () => {
    const user = uid('flagged');
    const event = recharge(user, new Date(now), { binCountry: 'NG', ipCountry: 'RU', coins: 25_000n });
    const decision = await fx.engine.evaluate(event, ordinaryUser({ createdAt: new Date(now - 3_600_000) }), { record: true });
    expect(decision).toMatchObject({ decision: 'review', score: 90, subject: { type: 'recharge', id: event.id }, userId: user });
    expect(decision.decisionId).toMatch(/^\d+$/);

    const alerts = await fx.db.query(`SELECT rule_key, rule_version, action, severity, score, "values" FROM risk_alerts WHERE decision_id = $1 ORDER BY rule_key`, [decision.decisionId]);
    expect(alerts).toEqual([
      { rule_key: 'country_mismatch', rule_version: 1, action: 'review', severity: 'medium', score: 40, values: { 'mismatch.bin_account': true, 'mismatch.ip_account': true } },
      {
        rule_key: 'large_first_recharge_new_account',
        rule_version: 1,
        action: 'review',
        severity: 'medium',
        score: 50,
        values: { 'user.is_first_recharge': true, 'user.account_age_hours': '1', 'event.coins': '25000' },
      },
    ]);
    const features = await fx.engine.getDecisionFeatures({ type: 'recharge', id: event.id });
    expect(features?.event).toMatchObject({ coins: '25000', bin_country: 'NG', amount_minor: '999' });
    expect(features?.user).toMatchObject({ count_1m: '1', is_first_recharge: true });
    expect(await count('risk_events', 'kind = $1 AND ref = $2', ['recharge', event.id])).toBe(1);
  });

  it('returns the first decision when the same recharge is evaluated again, adding nothing', async () => {
    const event = recharge(uid('twice'), new Date(now), { binCountry: 'NG', ipCountry: 'RU' });
    const first = await fx.engine.evaluate(event, ordinaryUser(), { record: true });
    // Even with different facts (now frozen), the stored decision stands.
    const second = await fx.engine.evaluate(event, ordinaryUser({ frozen: true }), { record: true });
    expect(second).toEqual(first);
    expect(await count('risk_alerts', 'subject_id = $1', [event.id])).toBe(1);
    expect(await count('risk_events', 'ref = $1', [event.id])).toBe(1);
  });

  it('records one decision when two workers evaluate the same recharge at once', async () => {
    const event = recharge(uid('race'), new Date(now), { binCountry: 'NG', ipCountry: 'RU' });
    const [a, b] = await Promise.all([
      fx.engine.evaluate(event, ordinaryUser(), { record: true }),
      fx.engine.evaluate(event, ordinaryUser(), { record: true }),
    ]);
    expect(a.decisionId).toBe(b.decisionId);
    expect(await count('risk_decisions', 'subject_id = $1', [event.id])).toBe(1);
    expect(await count('risk_alerts', 'subject_id = $1', [event.id])).toBe(1);
  });

  it('records nothing for a synchronous decision', async () => {
    const event = recharge(uid('sync'), new Date(now), { binCountry: 'NG', ipCountry: 'RU' });
    const decision = await fx.engine.evaluate(event, ordinaryUser(), { record: false });
    expect(decision).toMatchObject({ decision: 'review', decisionId: null });
    expect(await count('risk_decisions', 'subject_id = $1', [event.id])).toBe(0);
    expect(await count('risk_events', 'ref = $1', [event.id])).toBe(0);
  });

  it('commits the observation and decision with the caller, and counts nothing that rolled back', async () => {
    const user = uid('tx');
    const rolledBack = recharge(user, new Date(now - 2 * MINUTE_MS));
    await fx.db
      .transaction(async (manager) => {
        await fx.engine.evaluate(rolledBack, ordinaryUser(), { record: true, manager });
        throw new Error('the business write failed');
      })
      .catch(() => undefined);
    expect(await fx.engine.getDecision({ type: 'recharge', id: rolledBack.id })).toBeNull();

    const committed = recharge(user, new Date(now - MINUTE_MS));
    await fx.db.transaction((manager) => fx.engine.evaluate(committed, ordinaryUser(), { record: true, manager }));
    expect(await fx.engine.getDecision({ type: 'recharge', id: committed.id })).toMatchObject({ decision: 'allow' });
    const snapshot = await fx.engine.explainFeatures(recharge(user, new Date(now)), ordinaryUser());
    expect(snapshot.user.count_10m).toBe('2');
  });

  it('refuses an event with a float amount or a malformed field, naming each field', async () => {
    const bad = { ...recharge(uid('bad'), new Date(now)), amountMinor: 9.99 as unknown as bigint, currency: 'usd', binCountry: 'USA' };
    const error = await fx.engine.evaluate(bad, ordinaryUser(), { record: false }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.details.map((d: { field: string }) => d.field)).toEqual(['amount', 'currency', 'bin_country']);
  });
});
