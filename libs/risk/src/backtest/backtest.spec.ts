import { InvalidExpression } from '../rules/expression';
import { DAY_MS, HOUR_MS, openRiskFixture, ordinaryUser, recharge, RiskFixture, uid } from '../testing/risk-fixture';

describe('backtests', () => {
  let fx: RiskFixture;
  // A range of its own, 25 days back, that no other spec file records decisions in.
  const start = Date.now() - 25 * DAY_MS;
  const range = { from: new Date(start), to: new Date(start + DAY_MS) };
  const large: string[] = [];

  beforeAll(async () => {
    fx = await openRiskFixture('backtest');
    await fx.engine.seedDefaultRules();
    // Ten recharges by ten users; four large ones, three of which turn out to be fraud, and one
    // small one rejected in review.
    for (let i = 0; i < 10; i++) {
      const event = recharge(uid('bt'), new Date(start + (i + 1) * HOUR_MS), { coins: i < 4 ? 40_000n : 700n });
      await fx.engine.evaluate(event, ordinaryUser(), { record: true });
      if (i < 4) large.push(event.id);
      if (i < 3) await fx.engine.recordOutcome({ type: 'recharge', id: event.id }, 'chargeback', { recordedBy: 'chargebacks' });
      if (i === 9) await fx.engine.recordOutcome({ type: 'recharge', id: event.id }, 'review_rejected', { recordedBy: 'op-1' });
    }
    // One buyer recharging three times an hour apart: the second and third saw earlier ones.
    const repeatBuyer = uid('bt-repeat');
    for (const hour of [12, 13, 14]) await fx.engine.evaluate(recharge(repeatBuyer, new Date(start + hour * HOUR_MS)), ordinaryUser(), { record: true });
  });
  afterAll(async () => {
    await fx.close();
  });

  it('reports hits, hit rate, precision and recall against the known outcomes', async () => {
    const result = await fx.engine.backtest({ expression: 'event.coins >= 10000', ...range });
    expect(result).toMatchObject({ evaluated: 13, hits: 4, positives: 4, truePositives: 3, errors: 0, truncated: false });
    expect(result.hitRate).toBeCloseTo(4 / 13);
    expect(result.precision).toBeCloseTo(0.75);
    expect(result.recall).toBeCloseTo(0.75);
    expect(result.sampleHits.map((s) => s.id)).toEqual(large);
  });

  it('replays the features as they were at each recharge, not as they are now', async () => {
    // Today all three of the buyer's recharges are inside every window; at the time, the first saw
    // only itself, so only the second and third hit.
    const result = await fx.engine.backtest({ expression: `user.count_24h >= 2 && user.count_24h < 10`, ...range });
    expect(result.hits).toBe(2);
    const stored = await Promise.all(result.sampleHits.map((subject) => fx.engine.getDecisionFeatures(subject)));
    expect(stored.map((features) => features?.user.count_24h)).toEqual(['2', '3']);
  });

  it('reports no precision when nothing hits and no recall when nothing is known to be fraud', async () => {
    expect(await fx.engine.backtest({ expression: 'event.coins > 100000000', ...range })).toMatchObject({ hits: 0, precision: null, recall: 0 });
    const empty = { from: new Date(start - 3 * DAY_MS), to: new Date(start - 2 * DAY_MS) };
    expect(await fx.engine.backtest({ expression: 'true', ...empty })).toMatchObject({ evaluated: 0, hitRate: 0, precision: null, recall: null });
  });

  it('stops at the requested number of evaluations and says so', async () => {
    expect(await fx.engine.backtest({ expression: 'true', ...range, maxEvaluations: 5 })).toMatchObject({ evaluated: 5, hits: 5, truncated: true });
  });

  it('refuses an invalid draft with its position', async () => {
    const error = await fx.engine.backtest({ expression: 'user.count_24h >= ', ...range }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidExpression);
    expect(error.position.column).toBe(19);
  });

  it('records an outcome once and feeds prior fraud into later features', async () => {
    const [first] = large;
    expect(await fx.engine.recordOutcome({ type: 'recharge', id: first }, 'chargeback')).toEqual({ recorded: false });
    const [{ user_id: user }] = await fx.db.query(`SELECT user_id FROM risk_events WHERE kind = 'recharge' AND ref = $1`, [first]);
    const later = await fx.engine.explainFeatures(recharge(user, new Date()), ordinaryUser());
    expect(later.user.chargebacks).toBe('1');
    expect(later.card.chargebacks).toBe('1');
  });
});
