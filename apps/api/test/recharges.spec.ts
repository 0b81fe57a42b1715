import { evaluateRecharge, recordRecharge } from '@coinops/payments';
import { Ledger } from '@coinops/ledger';
import { RiskEngine } from '@coinops/risk';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

describe('recharges, as trust and safety read them', () => {
  let api: TestApi;
  const stamp = Date.now().toString(36);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi();
    const risk = api.app.get(RiskEngine);
    const ledger = new Ledger(api.dataSource);
    await api.dataSource.query(`INSERT INTO users (id, country, birth_year, profile_received, created_at) VALUES ($1, 'US', 1990, true, now() - interval '90 days'), ($2, 'US', $3, true, now() - interval '90 days')`, [
      `adult_${stamp}`, `minor_${stamp}`, new Date().getUTCFullYear() - 16,
    ]);
    for (const [label, userId, coins] of [['ok', `adult_${stamp}`, 700n], ['blocked', `minor_${stamp}`, 1400n]] as const) {
      const { rechargeId } = await api.dataSource.transaction((m) =>
        recordRecharge(m, { provider: 'stripe', providerRef: `ch_${label}_${stamp}`, userId, method: 'card', coins, amountMinor: 999n, currency: 'USD', cardFingerprint: `fp_${label}_${stamp}`, occurredAt: new Date() }),
      );
      await api.dataSource.transaction((m) => evaluateRecharge(m, { risk, ledger }, rechargeId));
      ids[label] = rechargeId;
    }
  });
  afterAll(() => api.close());

  it('lists recharges filtered by decision and user, with amounts as decimal strings', async () => {
    const viewer = await api.token('viewer');
    const response = await request(api.http)
      .get('/api/recharges')
      .query({ filter: JSON.stringify({ decision: 'block', user_id: `minor_${stamp}` }) })
      .set('Authorization', `Bearer ${viewer}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-range']).toBe('recharges 0-0/1');
    expect(response.body[0]).toMatchObject({ id: ids.blocked, state: 'blocked_pending_refund', decision: 'block', coins: '1400', amount: '999', currency: 'USD' });
  });

  it('finds a recharge by its provider reference through q', async () => {
    const ts = await api.token('ts');
    const response = await request(api.http).get('/api/recharges').query({ filter: JSON.stringify({ q: `ch_ok_${stamp}` }) }).set('Authorization', `Bearer ${ts}`);
    expect(response.body.map((r: { id: string }) => r.id)).toEqual([ids.ok]);
  });

  it('shows a recharge with the rule that decided it and the values that made it match', async () => {
    const ts = await api.token('ts');
    const response = await request(api.http).get(`/api/recharges/${ids.blocked}`).set('Authorization', `Bearer ${ts}`);
    expect(response.status).toBe(200);
    expect(response.body.risk.decision).toBe('block');
    const underAge = response.body.risk.reasons.find((r: { rule_key: string }) => r.rule_key === 'under_18');
    expect(underAge).toBeDefined();
    expect(underAge.values).toMatchObject({ 'user.age_years': expect.any(String) });
  });

  it('refuses an unknown sort and a malformed id', async () => {
    const ts = await api.token('ts');
    expect((await request(api.http).get('/api/recharges').query({ sort: '["ip","ASC"]' }).set('Authorization', `Bearer ${ts}`)).status).toBe(400);
    expect((await request(api.http).get('/api/recharges/42').set('Authorization', `Bearer ${ts}`)).status).toBe(400);
  });
});
