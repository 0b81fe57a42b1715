import { RiskEngine, type RechargeEvent } from '@coinops/risk';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

/**
 * Backtests and alerts over HTTP, on decisions recorded by the API's own engine (as the worker will
 * record them). The backtest window is in 2024, where no other spec records anything, so its
 * figures are exact.
 */

const run = `rb${Date.now().toString(36)}`;
const WINDOW_FROM = '2024-03-01T00:00:00.000Z';
const WINDOW_TO = '2024-03-02T00:00:00.000Z';

function recharge(i: number, occurredAt: Date, coins: number): RechargeEvent {
  return {
    kind: 'recharge',
    id: `${run}-r${i}`,
    userId: `${run}-u${i}`,
    method: 'card',
    amountMinor: BigInt(coins),
    currency: 'USD',
    coins: BigInt(coins),
    cardFingerprint: `${run}-c${i}`,
    binCountry: 'US',
    ipCountry: 'US',
    occurredAt,
  };
}

describe('backtests and alerts over HTTP', () => {
  let api: TestApi;
  let ts: string;
  let viewer: string;

  beforeAll(async () => {
    api = await startApi();
    [ts, viewer] = await Promise.all([api.token('ts'), api.token('viewer')]);
    const engine = api.app.get(RiskEngine);
    const adult = { country: 'US', createdAt: new Date('2020-01-01T00:00:00Z'), birthYear: 1990 };
    // Ten recharges of 500, 1,500 ... 9,500 coins; r1, r7, r8 and r9 turned out to be fraud.
    for (let i = 0; i < 10; i += 1) {
      await engine.evaluate(recharge(i, new Date(Date.parse(WINDOW_FROM) + i * 60_000), 500 + i * 1_000), adult, { record: true });
    }
    await engine.recordOutcome({ type: 'recharge', id: `${run}-r1` }, 'chargeback');
    await engine.recordOutcome({ type: 'recharge', id: `${run}-r7` }, 'chargeback');
    await engine.recordOutcome({ type: 'recharge', id: `${run}-r8` }, 'refund_fraud');
    await engine.recordOutcome({ type: 'recharge', id: `${run}-r9` }, 'review_rejected');
    await engine.recordOutcome({ type: 'recharge', id: `${run}-r2` }, 'review_approved');
    // One buyer under 18, outside the backtest window: a block decision with its alert.
    await engine.evaluate(recharge(99, new Date('2024-06-01T12:00:00Z'), 700), { ...adult, birthYear: 2009 }, { record: true });
  });
  afterAll(() => api.close());

  const backtest = (body: Record<string, unknown>, token = ts) => request(api.http).post('/api/rules/backtest').set('Authorization', `Bearer ${token}`).send(body);

  it('reports hits, hit rate, precision and recall of a draft against the known outcomes', async () => {
    const response = await backtest({ expression: 'event.coins >= 5000', from: WINDOW_FROM, to: WINDOW_TO });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      expression: 'event.coins >= 5000',
      event_kind: 'recharge',
      from: WINDOW_FROM,
      to: WINDOW_TO,
      evaluated: 10,
      hits: 5,
      hit_rate: 0.5,
      positives: 4,
      true_positives: 3,
      precision: 0.6,
      recall: 0.75,
      errors: 0,
      truncated: false,
      sample_hits: [5, 6, 7, 8, 9].map((i) => ({ type: 'recharge', id: `${run}-r${i}` })),
    });

    const none = await backtest({ expression: 'event.coins > 1000000', from: WINDOW_FROM, to: WINDOW_TO });
    expect(none.body).toMatchObject({ evaluated: 10, hits: 0, hit_rate: 0, precision: null, recall: 0 });
    const empty = await backtest({ expression: 'true', from: '2023-01-01T00:00:00Z', to: '2023-01-02T00:00:00Z' });
    expect(empty.body).toMatchObject({ evaluated: 0, hits: 0, hit_rate: 0, positives: 0, precision: null, recall: null });
  });

  it('refuses a broken draft with its position, a reversed range, and a viewer', async () => {
    const broken = await backtest({ expression: 'event.coins >= 5000 &&\n card.nope', from: WINDOW_FROM, to: WINDOW_TO });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ details: [{ field: 'expression', message: expect.stringMatching(/\(line 2, column \d+\)/) }], position: { line: 2 } });
    const reversed = await backtest({ expression: 'true', from: WINDOW_TO, to: WINDOW_FROM });
    expect(reversed.status).toBe(400);
    expect(reversed.body.details[0].field).toBe('from');
    const notDate = await backtest({ expression: 'true', from: 'yesterday', to: WINDOW_TO });
    expect(notDate.status).toBe(400);
    expect(notDate.body.details[0].field).toBe('from');
    expect((await backtest({ expression: 'true', from: WINDOW_FROM, to: WINDOW_TO }, viewer)).status).toBe(403);
  });

  it('lists alerts by rule, severity and subject, and shows one with its decision explained', async () => {
    const list = await request(api.http)
      .get('/api/alerts')
      .query({ filter: JSON.stringify({ rule: 'under_18', severity: 'critical', subject: `${run}-r99`, created_at_gte: new Date(Date.now() - 600_000).toISOString() }) })
      .set('Authorization', `Bearer ${viewer}`);
    expect(list.status).toBe(200);
    expect(list.headers['content-range']).toBe('alerts 0-0/1');
    expect(list.body).toEqual([
      expect.objectContaining({ rule_key: 'under_18', action: 'block', severity: 'critical', subject_type: 'recharge', subject_id: `${run}-r99`, user_id: `${run}-u99`, decision: 'block' }),
    ]);

    const alert = await request(api.http).get(`/api/alerts/${list.body[0].id}`).set('Authorization', `Bearer ${viewer}`);
    expect(alert.status).toBe(200);
    expect(alert.body.explanation).toMatchObject({
      decision: 'block',
      score: 100,
      subject: { type: 'recharge', id: `${run}-r99` },
      reasons: [expect.objectContaining({ rule_key: 'under_18', values: { 'user.has_birth_year': true, 'user.age_years': '15' } })],
    });
    expect(alert.body.explanation.features).toMatchObject({ user: { age_years: '15' }, event: { coins: '700' } });

    const byUser = await request(api.http).get('/api/alerts').query({ filter: JSON.stringify({ user_id: `${run}-u3` }) }).set('Authorization', `Bearer ${viewer}`);
    expect(byUser.body).toEqual([]);
    expect((await request(api.http).get('/api/alerts/99999999').set('Authorization', `Bearer ${viewer}`)).status).toBe(404);
  });
});
