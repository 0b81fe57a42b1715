import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger } from '@coinops/ledger';
import { refreshRollups } from '@coinops/reporting';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startIsolatedApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

/** Recharges as the intake stores them (a database of its own: the figures below are exact). */
async function recharge(api: TestApi, values: { method: string; amount: number; coins: number; currency?: string; decision?: string | null; hoursAgo?: number }) {
  const decision = values.decision === undefined ? 'allow' : values.decision;
  const state = { allow: 'credited', review: 'held', block: 'blocked_pending_refund' }[decision ?? ''] ?? 'received';
  const [row] = await api.dataSource.query(
    `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, state, decision, occurred_at, created_at)
     VALUES ('stripe', $1, 'dash_user', $2, $3, $4, $5, $6, $7, now() - make_interval(hours => $8), now() - make_interval(hours => $8)) RETURNING id`,
    [unique('ch'), values.method, values.coins, values.amount, values.currency ?? 'USD', state, decision, values.hoursAgo ?? 0],
  );
  return row.id as string;
}

async function gift(api: TestApi, senderId: string, creatorId: string, coins: number) {
  const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: unique('g'), sender_id: senderId, creator_id: creatorId, coins } });
  const response = await request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
  expect(response.status).toBe(200);
}

describe('the dashboard', () => {
  let api: TestApi;
  const get = async (path: string, who: Parameters<TestApi['token']>[0] = 'viewer') =>
    request(api.http).get(path).set('Authorization', `Bearer ${await api.token(who)}`);

  beforeAll(async () => {
    api = await startIsolatedApi('dashboard');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('draws recharge volume and value by method from the rollups, which count a recharge only once the job ran', async () => {
    await recharge(api, { method: 'card', amount: 499, coins: 350 });
    await recharge(api, { method: 'card', amount: 1999, coins: 1400 });
    await recharge(api, { method: 'paypal', amount: 99, coins: 70, currency: 'EUR' });

    const before = await get('/api/dashboard/recharges?days=7');
    expect(before.status).toBe(200);
    expect(before.body.buckets).toEqual([]);

    await refreshRollups(api.dataSource);
    const after = await get('/api/dashboard/recharges?days=7');
    expect(after.body).toMatchObject({ bucket: 'day', days: 7 });
    const byMethod = Object.fromEntries(after.body.buckets.map((b: { method: string; currency: string }) => [`${b.method}/${b.currency}`, b]));
    expect(byMethod['card/USD']).toMatchObject({ recharges: '2', coins: '1750', amount: '2498' });
    expect(byMethod['paypal/EUR']).toMatchObject({ recharges: '1', coins: '70', amount: '99' });
    expect(after.body.as_of).toEqual(expect.any(String));
  });

  it('draws decisions per hour over two days, and recounts a recharge decided after it was counted as pending', async () => {
    const id = await recharge(api, { method: 'apple_pay', amount: 499, coins: 350, decision: null, hoursAgo: 5 });
    await recharge(api, { method: 'card', amount: 499, coins: 350, decision: 'block', hoursAgo: 5 });
    await refreshRollups(api.dataSource);
    const pending = await get('/api/dashboard/decisions?days=2');
    expect(pending.body.bucket).toBe('hour');
    const count = (body: { buckets: Array<{ decision: string; recharges: string }> }, decision: string) =>
      body.buckets.filter((b) => b.decision === decision).reduce((sum, b) => sum + Number(b.recharges), 0);
    expect(count(pending.body, 'pending')).toBe(1);
    expect(count(pending.body, 'block')).toBe(1);

    // Decided late (a worker outage): the next run recounts its hour, though it is past the settle window.
    await api.dataSource.query(`UPDATE recharges SET decision = 'review', state = 'held', evaluated_at = now() WHERE id = $1`, [id]);
    await refreshRollups(api.dataSource);
    await refreshRollups(api.dataSource);
    const decided = await get('/api/dashboard/decisions?days=2');
    expect(count(decided.body, 'pending')).toBe(0);
    expect(count(decided.body, 'review')).toBe(1);
    expect(count(decided.body, 'allow')).toBe(3);
  });

  it('counts the review queue now and per day, with the items past their SLA', async () => {
    await api.dataSource.query(
      `INSERT INTO review_items (kind, user_id, state, severity, opened_reason, sla_due_at) VALUES
         ('recharge', 'dash_q1', 'open', 'high', 'test', now() - interval '2 hours'),
         ('recharge', 'dash_q2', 'open', 'low', 'test', now() + interval '2 days'),
         ('recharge', 'dash_q3', 'escalated', 'high', 'test', now() - interval '1 hour')`,
    );
    await refreshRollups(api.dataSource);
    const response = await get('/api/dashboard/reviews?days=7', 'support');
    expect(response.status).toBe(200);
    expect(response.body.now).toEqual({ depth: '3', open: '2', in_review: '0', escalated: '1', overdue: '2' });
    const today = response.body.daily.find((d: { day: string }) => d.day === new Date().toISOString().slice(0, 10));
    expect(today).toMatchObject({ opened: '3', decided: '0', sla_breached: '2', depth_at_end: '3' });
  });

  it('reads coins outstanding and diamonds owed from the ledger, shards summed', async () => {
    const ledger = api.app.get(Ledger);
    await ledger.creditRecharge({ rechargeId: unique('r'), userId: 'dash_payer', coins: 350n, amountMinor: 499n, currency: 'USD', provider: 'stripe' });
    await gift(api, 'dash_payer', 'dash_creator', 100);
    await refreshRollups(api.dataSource);
    const response = await get('/api/dashboard/liability?days=7', 'finance');
    // 350 coins issued, 100 spent on a gift worth 50 diamonds (1 diamond per 2 coins).
    expect(response.body.now).toEqual({ coins_outstanding: '250', coins_held: '0', coins_debt: '0', diamonds_owed: '50', diamonds_reserved: '0', diamonds_debt: '0' });
    expect(response.body.daily.at(-1)).toMatchObject({ coins_outstanding: '250', diamonds_owed: '50' });
  });

  it('ranks creators by coins gifted from flagged accounts only', async () => {
    const ledger = api.app.get(Ledger);
    for (const user of ['dash_flagged', 'dash_clean']) {
      await ledger.creditRecharge({ rechargeId: unique('r'), userId: user, coins: 1000n, amountMinor: 999n, currency: 'USD', provider: 'stripe' });
    }
    await gift(api, 'dash_flagged', 'dash_creator_a', 300);
    await gift(api, 'dash_flagged', 'dash_creator_b', 40);
    await gift(api, 'dash_clean', 'dash_creator_c', 900);
    await api.dataSource.query(`UPDATE users SET frozen_at = now(), frozen_reason = 'test: reported takeover' WHERE id = 'dash_flagged'`);
    await refreshRollups(api.dataSource);
    const response = await get('/api/dashboard/flagged-creators');
    expect(response.body.window_days).toBe(30);
    expect(response.body.creators).toEqual([
      { rank: 1, creator_id: 'dash_creator_a', coins: '300', gifts: '1', flagged_senders: '1' },
      { rank: 2, creator_id: 'dash_creator_b', coins: '40', gifts: '1', flagged_senders: '1' },
    ]);
  });

  it('says there are no payouts yet, then counts them by state', async () => {
    const empty = await get('/api/dashboard/payouts');
    expect(empty.body).toMatchObject({ available: true, has_data: false, states: [] });
    for (const [state, diamonds] of [['pending_approval', 2000], ['pending_approval', 600], ['on_hold', 400]] as const) {
      await api.dataSource.query(
        `INSERT INTO payouts (payout_id, creator_id, state, diamonds, diamonds_for_cash, rounding_diamonds, amount_minor, currency, usd_equivalent_minor,
                              approvals_required, method, requested_via, reservation_transaction_id)
         VALUES ($1, 'dash_creator', $2, $3::bigint, $3::bigint, 0, $3::bigint / 2, 'USD', $3::bigint / 2, 1, 'bank_transfer', 'platform', '1')`,
        [unique('po'), state, diamonds],
      );
    }
    await refreshRollups(api.dataSource);
    const response = await get('/api/dashboard/payouts', 'finance');
    expect(response.body.has_data).toBe(true);
    expect(response.body.states).toEqual([
      { state: 'on_hold', currency: 'USD', payouts: '1', diamonds: '400', amount: '200' },
      { state: 'pending_approval', currency: 'USD', payouts: '2', diamonds: '2600', amount: '1300' },
    ]);
  });

  it('measures the chargeback ratio by month against each programme, with its own count, brand and denominator', async () => {
    const empty = await get('/api/dashboard/chargeback-ratio?months=3');
    expect(empty.body).toMatchObject({ available: true, has_data: false });
    const now = new Date();
    const month = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 10);
    // Last month: 10,000 visa sales; this month: 5,000 visa and 8,000 mastercard sales, 200 visa disputes and 120 mastercard ones.
    await api.dataSource.query(
      `INSERT INTO chargeback_ratio_months (month, provider, method, card_brand, transactions, disputes, fraud_warnings) VALUES
         ($1, 'stripe', 'card', 'visa', 10000, 0, 0), ($1, 'stripe', 'card', 'mastercard', 6000, 0, 0),
         ($2, 'stripe', 'card', 'visa', 5000, 200, 10), ($2, 'stripe', 'card', 'mastercard', 8000, 120, 0)`,
      [month(1), month(0)],
    );
    const response = await get('/api/dashboard/chargeback-ratio?months=3', 'ts');
    expect(response.body.has_data).toBe(true);
    expect(response.body.thresholds.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['visa_vamp_excessive', 'mastercard_ecm', 'visa_vdmp_standard']));
    const current = response.body.monthly.at(-1);
    expect(current).toMatchObject({ month: month(0).slice(0, 7), transactions: '13000', disputes: '320', fraud_warnings: '10', ratio_ppm: '24615' });
    // Visa VDMP: 200 disputes / 5,000 = 4 %, past 0.9 % with at least 100: crossed.
    expect(current.by_threshold.visa_vdmp_standard).toEqual({ count: '200', transactions: '5000', ratio_ppm: '40000', crossed: true });
    // Visa VAMP counts fraud warnings too, but needs 1,500 of them: not crossed.
    expect(current.by_threshold.visa_vamp_excessive).toEqual({ count: '210', transactions: '5000', ratio_ppm: '42000', crossed: false });
    // Mastercard divides by the previous month's sales: 120 / 6,000 = 2 %, past ECM's 1.5 % with 100+.
    expect(current.by_threshold.mastercard_ecm).toEqual({ count: '120', transactions: '6000', ratio_ppm: '20000', crossed: true });
    expect(current.by_threshold.mastercard_hecm.crossed).toBe(false);
  });

  it('answers every role, refuses an anonymous caller, and names a bad window', async () => {
    for (const who of ['admin', 'ts', 'finance', 'support', 'viewer'] as const) {
      expect((await get('/api/dashboard/reviews', who)).status).toBe(200);
    }
    expect((await request(api.http).get('/api/dashboard/recharges')).status).toBe(401);
    for (const days of ['0', '367', 'abc', '1.5']) {
      const response = await get(`/api/dashboard/recharges?days=${days}`);
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'days', message: 'must be a whole number from 1 to 366' }]);
    }
    expect((await get('/api/dashboard/chargeback-ratio?months=99')).body.details[0].field).toBe('months');
  });

  it('lets finance and admins bring the rollups up to date now, and no one else', async () => {
    const refresh = async (who: Parameters<TestApi['token']>[0]) => request(api.http).post('/api/dashboard/refresh').set('Authorization', `Bearer ${await api.token(who)}`);
    for (const who of ['viewer', 'support', 'ts'] as const) expect((await refresh(who)).status).toBe(403);
    await recharge(api, { method: 'play_store', amount: 299, coins: 140 });
    const response = await refresh('finance');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ran: true });
    const buckets = (await get('/api/dashboard/recharges?days=1')).body.buckets;
    expect(buckets.filter((b: { method: string }) => b.method === 'play_store')).toEqual([expect.objectContaining({ recharges: '1', amount: '299' })]);
  });
});
