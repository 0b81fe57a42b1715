import { DAY_MS, MINUTE_MS, openRiskFixture, ordinaryUser, recharge, RiskFixture, ruleKeys, uid } from '../testing/risk-fixture';
import type { RechargeEvent, RiskDecision, SubjectFacts } from '../types';

describe('batched recorded decisions (evaluateBatch)', () => {
  let fx: RiskFixture;
  const now = Date.now();

  beforeAll(async () => {
    fx = await openRiskFixture('batch-decisions');
    await fx.engine.seedDefaultRules();
  });
  afterAll(async () => {
    await fx.close();
  });

  const count = async (table: string, where: string, params: unknown[]) => Number((await fx.db.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params))[0].n);
  const comparable = (d: RiskDecision) => ({ decision: d.decision, score: d.score, rules: ruleKeys(d), values: d.reasons.map((r) => r.values), allowedBy: d.allowedBy });

  /** One of each outcome, each with its own user, card, device and IP (so neither path sees the other's events). */
  function scenarios(label: string): Array<{ event: RechargeEvent; subject: SubjectFacts }> {
    const at = new Date(now - MINUTE_MS);
    return [
      { event: recharge(uid(`${label}-ok`), at), subject: ordinaryUser() },
      { event: recharge(uid(`${label}-minor`), at), subject: ordinaryUser({ birthYear: new Date().getUTCFullYear() - 15 }) },
      { event: recharge(uid(`${label}-new`), at, { coins: 35_000n }), subject: ordinaryUser({ createdAt: new Date(now - 3_600_000) }) },
      { event: recharge(uid(`${label}-abroad`), at, { binCountry: 'NG', ipCountry: 'RU' }), subject: ordinaryUser() },
      { event: recharge(uid(`${label}-frozen`), at), subject: ordinaryUser({ frozen: true, createdAt: new Date(now - 400 * DAY_MS) }) },
    ];
  }

  it('decides each event as evaluate() does, with the same rules and values, and stores the same rows', async () => {
    const single = scenarios('one');
    const batched = scenarios('many');
    const one = [];
    for (const { event, subject } of single) one.push(await fx.engine.evaluate(event, subject, { record: true }));
    const many = await fx.db.transaction((manager) => fx.engine.evaluateBatch(batched, { manager }));

    expect(many.map(comparable)).toEqual(one.map(comparable));
    expect(many.map((d) => d.subject.id)).toEqual(batched.map((b) => b.event.id));
    for (const [i, decision] of many.entries()) {
      expect(decision.decisionId).toMatch(/^\d+$/);
      expect(await count('risk_alerts', 'decision_id = $1', [decision.decisionId])).toBe(one[i].reasons.length);
      expect(await count('risk_events', 'kind = $1 AND ref = $2', ['recharge', batched[i].event.id])).toBe(1);
      const [singleFeatures, batchFeatures] = await Promise.all([
        fx.engine.getDecisionFeatures({ type: 'recharge', id: single[i].event.id }),
        fx.engine.getDecisionFeatures({ type: 'recharge', id: batched[i].event.id }),
      ]);
      expect(batchFeatures?.user).toEqual(singleFeatures?.user);
    }
  });

  it('evaluates a subject given twice once, and returns the stored decision for one decided before', async () => {
    const [earlier, fresh] = scenarios('again');
    const first = await fx.engine.evaluate(earlier.event, earlier.subject, { record: true });
    const answers = await fx.engine.evaluateBatch([earlier, fresh, fresh]);
    expect(answers[0]).toEqual(first);
    expect(answers[1]).toEqual(answers[2]);
    expect(await count('risk_decisions', 'subject_id = $1', [fresh.event.id])).toBe(1);
    expect(await count('risk_events', 'ref = $1', [fresh.event.id])).toBe(1);
  });

  it('mirrors the events into the features only after the caller commits', async () => {
    const user = uid('batch-tx');
    const rolledBack = { event: recharge(user, new Date(now - 2 * MINUTE_MS)), subject: ordinaryUser() };
    await fx.db
      .transaction(async (manager) => {
        await fx.engine.evaluateBatch([rolledBack], { manager });
        throw new Error('the business write failed');
      })
      .catch(() => undefined);
    expect(await fx.engine.getDecision({ type: 'recharge', id: rolledBack.event.id })).toBeNull();
    expect((await fx.engine.explainFeatures(recharge(user, new Date(now)), ordinaryUser())).user.count_10m).toBe('1');

    await fx.db.transaction((manager) => fx.engine.evaluateBatch([{ event: recharge(user, new Date(now - MINUTE_MS)), subject: ordinaryUser() }], { manager }));
    expect((await fx.engine.explainFeatures(recharge(user, new Date(now)), ordinaryUser())).user.count_10m).toBe('2');
  });

  it('refuses a batch holding an invalid event, storing nothing', async () => {
    const good = scenarios('refused')[0];
    const bad = { event: { ...recharge(uid('bad'), new Date(now)), currency: 'usd' }, subject: ordinaryUser() };
    await expect(fx.engine.evaluateBatch([good, bad])).rejects.toMatchObject({ details: [{ field: 'currency' }] });
    expect(await count('risk_events', 'ref = $1', [good.event.id])).toBe(0);
  });
});
