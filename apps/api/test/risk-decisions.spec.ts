import { loadConfig } from '@coinops/config';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

/** `POST /api/risk/decisions`: the payments service's pre-charge decision, behind the risk service token. */

const run = `rd${Date.now().toString(36)}`;
const serviceToken = loadConfig().RISK_SERVICE_TOKEN;
const thisYear = new Date().getUTCFullYear();

/** An adult with an old account buying an ordinary package with a card from their own country. */
const ordinary = (label: string, overrides: Record<string, unknown> = {}) => ({
  recharge_id: `${run}-${label}`,
  user_id: `${run}-user-${label}`,
  method: 'card',
  amount: 499,
  currency: 'USD',
  coins: 350,
  card_fingerprint: `${run}-card-${label}`,
  card_brand: 'visa',
  bin_country: 'US',
  device_id: `${run}-device-${label}`,
  ip: '203.0.113.7',
  ip_country: 'US',
  user_country: 'US',
  user_created_at: '2023-05-01T10:00:00Z',
  birth_year: 1990,
  email: 'buyer@example.com',
  ...overrides,
});

describe('the pre-charge risk decision', () => {
  let api: TestApi;
  const decide = (body: unknown, token: string | null = serviceToken) => {
    const call = request(api.http).post('/api/risk/decisions');
    return (token ? call.set('Authorization', `Bearer ${token}`) : call).send(body as object);
  };

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('refuses a call without a token, with a wrong token, and with an operator token', async () => {
    const body = ordinary('auth');
    for (const token of [null, 'not-the-risk-service-token', `${serviceToken}x`, await api.token('admin'), await api.token('ts')]) {
      const response = await decide(body, token);
      expect({ token, status: response.status }).toEqual({ token, status: 401 });
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('allows an ordinary recharge by an adult with no reasons', async () => {
    const response = await decide(ordinary('plain'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ decision: 'allow', score: 0, reasons: [], allowed_by: null, rule_errors: [], evaluated_at: expect.any(String) });
  });

  it('takes the amount as a decimal string beyond 2^53 and the recharge id as optional', async () => {
    const { recharge_id: _unused, ...withoutId } = ordinary('big', { amount: '9007199254740993000' });
    const response = await decide(withoutId);
    expect(response.status).toBe(200);
    expect(response.body.decision).toBe('allow');
  });

  it('blocks a buyer under 18 and names the rule with the values that made it match', async () => {
    const response = await decide(ordinary('minor', { birth_year: thisYear - 15 }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ decision: 'block', score: 100 });
    const reason = response.body.reasons.find((r: { rule_key: string }) => r.rule_key === 'under_18');
    expect(reason).toMatchObject({
      rule_key: 'under_18',
      action: 'block',
      severity: 'critical',
      version: expect.any(Number),
      values: { 'user.has_birth_year': true, 'user.age_years': '15' },
    });
  });

  it('sends a buyer whose card and IP are both from another country to review', async () => {
    const response = await decide(ordinary('abroad', { bin_country: 'BR', ip_country: 'BR' }));
    expect(response.status).toBe(200);
    expect(response.body.decision).toBe('review');
    expect(response.body.reasons.map((r: { rule_key: string }) => r.rule_key)).toEqual(['country_mismatch']);
    expect(response.body.reasons[0].values).toEqual({ 'mismatch.bin_account': true, 'mismatch.ip_account': true });
  });

  it('fills the facts the payments service left out from the users table, including a freeze', async () => {
    const userId = `${run}-frozen`;
    await api.dataSource.query(
      `INSERT INTO users (id, country, birth_year, created_at, frozen_at, frozen_reason) VALUES ($1, 'US', 1985, now() - interval '400 days', now(), 'reported account takeover')`,
      [userId],
    );
    const { user_country: _c, user_created_at: _t, birth_year: _b, ...withoutFacts } = ordinary('frozen', { user_id: userId });
    const response = await decide(withoutFacts);
    expect(response.status).toBe(200);
    expect(response.body.decision).toBe('block');
    expect(response.body.reasons.map((r: { rule_key: string }) => r.rule_key)).toContain('frozen_account');
  });

  it('answers 400 naming each bad field, and records nothing', async () => {
    const response = await decide({ ...ordinary('bad'), amount: 4.99, coins: -1, method: 'cash', currency: 'usd', extra: 1, birth_year: 1700 });
    expect(response.status).toBe(400);
    const fields = response.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['amount', 'birth_year', 'coins', 'currency', 'extra', 'method']);

    const missing = await decide({ method: 'card' });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['amount', 'coins', 'currency', 'user_id']);

    const notObject = await decide([1, 2]);
    expect(notObject.status).toBe(400);

    const [{ count }] = await api.dataSource.query(`SELECT count(*)::int AS count FROM risk_events WHERE ref LIKE $1`, [`${run}%`]);
    expect(count).toBe(0);
  });
});
