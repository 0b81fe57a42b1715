import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { ReviewFixture, unique, type HeldRecharge } from './reviews.fixture';

describe('the review queue: filters, SLA order, counts, the decision explanation and the SLA policy', () => {
  let api: TestApi;
  let fixture: ReviewFixture;
  let medium: HeldRecharge;
  let high: HeldRecharge;
  let tsId: string;

  beforeAll(async () => {
    api = await startApi();
    fixture = new ReviewFixture(api);
    tsId = (await fixture.read('ts', '/auth/me')).body.id;
    const frenchUser = unique('u');
    await api.dataSource.query(`INSERT INTO users (id, country, profile_received) VALUES ($1, 'FR', true)`, [frenchUser]);
    medium = await fixture.heldRecharge({ userId: frenchUser, binCountry: 'FR' });
    high = await fixture.anotherHeld(unique('u'), { method: 'apple_pay', coins: 5_000n, amountMinor: 4_999n, binCountry: 'DE' });
    await fixture.command('ts', `/reviews/${high.reviewId}/claim`);
  });
  afterAll(() => api.close());

  const mine = () => [medium.userId, high.userId];
  const ids = async (filter: Record<string, unknown>, sort?: [string, 'ASC' | 'DESC']) => {
    const response = await fixture.read('viewer', '/reviews', { filter: JSON.stringify({ user_id: mine(), ...filter }), ...(sort ? { sort: JSON.stringify(sort) } : {}) });
    expect(response.status).toBe(200);
    return response.body.map((r: { id: string }) => r.id);
  };

  it('lists items soonest SLA first, with the totals of their recharges and the Content-Range header', async () => {
    const response = await fixture.read('viewer', '/reviews', { filter: JSON.stringify({ user_id: mine() }) });
    expect(response.headers['content-range']).toBe('reviews 0-1/2');
    // high (4 h) was opened after medium (24 h) and is due first.
    expect(response.body.map((r: { id: string }) => r.id)).toEqual([high.reviewId, medium.reviewId]);
    expect(response.body[1]).toMatchObject({
      user_id: medium.userId, state: 'open', severity: 'medium', rule_keys: ['large_first_recharge_new_account'], recharge_count: 1,
      coins: '20000', amount: '19999', currency: 'USD', methods: ['card'], bin_countries: ['FR'], user_country: 'FR', user_frozen: false, overdue: false,
    });
    expect(await ids({}, ['sla_due_at', 'DESC'])).toEqual([medium.reviewId, high.reviewId]);
  });

  it.each([
    ['severity', { severity: 'high' }, 'high'],
    ['rule', { rule: 'large_first_recharge_new_account' }, 'medium'],
    ['method', { method: 'apple_pay' }, 'high'],
    ['user country', { country: 'FR' }, 'medium'],
    ['card country', { bin_country: 'DE' }, 'high'],
    ['amount range', { amount_gte: '10000', amount_lte: '20000' }, 'medium'],
    ['coins range', { coins_lte: '6000' }, 'high'],
    ['assignee', { assigned_to: '<ts>' }, 'high'],
    ['unassigned', { unassigned: true }, 'medium'],
    ['state', { state: ['open', 'escalated'] }, 'medium'],
  ] as const)('filters by %s', async (_label, filter, expected) => {
    const resolved = Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v === '<ts>' ? tsId : v]));
    expect(await ids(resolved)).toEqual([expected === 'high' ? high.reviewId : medium.reviewId]);
  });

  it('filters overdue items, which the list marks as such', async () => {
    const late = await fixture.heldRecharge();
    await api.dataSource.query(`UPDATE review_items SET sla_due_at = now() - interval '5 minutes' WHERE id = $1`, [late.reviewId]);
    const response = await fixture.read('viewer', '/reviews', { filter: JSON.stringify({ user_id: [late.userId, medium.userId], overdue: true }) });
    expect(response.body.map((r: { id: string; overdue: boolean }) => [r.id, r.overdue])).toEqual([[late.reviewId, true]]);
  });

  it('refuses a filter or a sort it does not know with a 400 naming it', async () => {
    const badFilter = await fixture.read('viewer', '/reviews', { filter: JSON.stringify({ colour: 'red' }) });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.details[0].field).toBe('filter.colour');
    expect((await fixture.read('viewer', '/reviews', { sort: JSON.stringify(['user_id', 'ASC']) })).status).toBe(400);
    expect((await fixture.read('viewer', '/reviews', { filter: JSON.stringify({ severity: 'urgent' }) })).status).toBe(400);
  });

  it("counts items per state and the caller's own", async () => {
    const second = await fixture.secondAnalyst();
    const { reviewId } = await fixture.heldRecharge();
    await fixture.command(second.token, `/reviews/${reviewId}/claim`);
    const counts = await request(api.http).get('/api/reviews/counts').set('Authorization', `Bearer ${second.token}`);
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ mine: 1 });
    expect(counts.body.in_review).toBeGreaterThanOrEqual(2);
    expect(counts.body.open).toBeGreaterThanOrEqual(1);
  });

  it('shows an item with the rule that held each recharge and the feature values that made it match', async () => {
    const response = await fixture.read('viewer', `/reviews/${medium.reviewId}`);
    expect(response.status).toBe(200);
    const [recharge] = response.body.recharges;
    expect(recharge).toMatchObject({ id: medium.rechargeId, state: 'held', coins: '20000', card_fingerprint: medium.card, outcome: null, risk: { decision: 'review' } });
    const rule = recharge.risk.reasons.find((r: { rule_key: string }) => r.rule_key === 'large_first_recharge_new_account');
    expect(rule).toMatchObject({ action: 'review', severity: 'medium', values: { 'user.is_first_recharge': true, 'event.coins': '20000' } });
    expect(Number(rule.values['user.account_age_hours'])).toBeLessThan(24);
  });

  it('lets an admin change the SLA of new items, audited; others may only read it', async () => {
    const before = await fixture.read('viewer', '/review-sla');
    expect(before.body).toEqual({ sla_minutes: { critical: 60, high: 240, medium: 1440, low: 4320 } });
    const change = { sla_minutes: { medium: 30 }, reason: 'weekend staffing' };
    const put = async (who: 'ts' | 'admin', body: object) => request(api.http).put('/api/review-sla').set('Authorization', `Bearer ${await api.token(who)}`).send(body);
    expect((await put('ts', change)).status).toBe(403);
    expect((await put('admin', { sla_minutes: { medium: 2 }, reason: 'too short' })).status).toBe(400);
    try {
      const changed = await put('admin', change);
      expect(changed.status).toBe(200);
      expect(changed.body.sla_minutes.medium).toBe(30);
      const { reviewId } = await fixture.heldRecharge();
      const [item] = await api.dataSource.query(`SELECT extract(epoch FROM sla_due_at - created_at)::int AS seconds FROM review_items WHERE id = $1`, [reviewId]);
      expect(item.seconds).toBe(30 * 60);
      const [audit] = await api.dataSource.query(`SELECT actor_email, before, after, reason FROM audit_events WHERE action = 'review_sla.updated' ORDER BY id DESC LIMIT 1`);
      expect(audit).toMatchObject({ actor_email: 'admin@coinops.dev', before: { medium: 1440 }, after: { medium: 30 }, reason: 'weekend staffing' });
    } finally {
      await put('admin', { sla_minutes: { medium: 1440 }, reason: 'back to normal' });
    }
  });
});
