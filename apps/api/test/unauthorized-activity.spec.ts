import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger } from '@coinops/ledger';
import { recordRecharge } from '@coinops/payments';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

describe('reported unauthorized activity: freeze, review, confirm or dismiss, recover', () => {
  let api: TestApi;
  let ledger: Ledger;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    api = await startApi();
    ledger = api.app.get(Ledger);
    for (const who of ['support', 'ts', 'viewer', 'admin'] as const) tokens[who] = await api.token(who);
  });
  afterAll(() => api.close());

  function event(type: string, data: Record<string, unknown>) {
    const body = JSON.stringify({ id: unique('evt'), type, occurred_at: new Date().toISOString(), data });
    return request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
  }
  const as = (who: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[who]}` });

  /** A user the platform told us about, with one credited recharge of 1,400 coins (19.99 USD) from device `device`. */
  async function victim() {
    const userId = unique('u');
    const device = unique('dev');
    expect((await event('user.created', { user_id: userId, country: 'US', email: `${userId}@example.com`, birth_year: 1990, device_id: device })).status).toBe(200);
    const { rechargeId } = await api.dataSource.transaction(async (m) => {
      const recorded = await recordRecharge(m, {
        provider: 'stripe', providerRef: unique('ch'), userId, method: 'card', coins: 1400n, amountMinor: 1999n, currency: 'USD',
        cardFingerprint: unique('fp'), cardBrand: 'visa', binCountry: 'US', deviceId: device, occurredAt: new Date(), sourceEventId: unique('evt'),
      });
      const credit = await ledger.creditRecharge({ rechargeId: recorded.rechargeId, userId, coins: 1400n, amountMinor: 1999n, currency: 'USD', provider: 'stripe' }, { manager: m });
      await m.query(`UPDATE recharges SET state = 'credited', decision = 'allow', ledger_transaction_id = $2, evaluated_at = now() WHERE id = $1`, [recorded.rechargeId, credit.id]);
      return recorded;
    });
    return { userId, device, rechargeId };
  }

  async function giftFrom(userId: string, coins: number) {
    const giftId = unique('g');
    const response = await event('gift.sent', { gift_id: giftId, sender_id: userId, creator_id: unique('c'), coins });
    return { response, giftId };
  }

  it('freezes gifting at once and opens a review item of its own kind with the reported recharges', async () => {
    const { userId, rechargeId } = await victim();
    const { giftId } = await giftFrom(userId, 300);
    expect((await event('account.security_changed', { user_id: userId, change: 'device', device_id: unique('intruder') })).status).toBe(200);

    const reported = await request(api.http)
      .post(`/api/users/${userId}/unauthorized-activity`)
      .set(as('support'))
      .send({ description: 'User says last night\'s gift was not them', recharge_ids: [rechargeId], gift_ids: [giftId] });
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ user_id: userId, state: 'open', froze_user: true, recharge_ids: [rechargeId], gift_ids: [giftId] });

    const [user] = await api.dataSource.query(`SELECT frozen_at FROM users WHERE id = $1`, [userId]);
    expect(user.frozen_at).not.toBeNull();
    const blocked = await giftFrom(userId, 10);
    expect(blocked.response.status).toBe(409);

    const [item] = await api.dataSource.query(`SELECT kind, state, severity FROM review_items WHERE id = $1`, [reported.body.review_id]);
    expect(item).toEqual({ kind: 'unauthorized_activity', state: 'open', severity: 'critical' });
    const listed = await api.dataSource.query(`SELECT recharge_id FROM review_item_recharges WHERE review_id = $1`, [reported.body.review_id]);
    expect(listed).toEqual([{ recharge_id: rechargeId }]);

    const detail = await request(api.http).get(`/api/unauthorized-activity/${reported.body.id}`).set(as('viewer'));
    expect(detail.status).toBe(200);
    expect(detail.body.security_changes).toEqual([expect.objectContaining({ change: 'device' })]);
    expect(detail.body.evidence.recharges.rows.map((r: { id: string }) => r.id)).toContain(rechargeId);

    const audit = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity_id = $1 OR entity_id = $2 ORDER BY id`, [reported.body.id, userId]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['user.frozen', 'unauthorized_activity.reported']));
  });

  it('refuses a second open report for the same user, a recharge of someone else, and the viewer', async () => {
    const { userId } = await victim();
    const other = await victim();
    const foreign = await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'not mine', recharge_ids: [other.rechargeId] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.details).toEqual([{ field: 'recharge_ids[0]', message: expect.stringContaining(userId) }]);
    expect((await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('viewer')).send({ description: 'not mine' })).status).toBe(403);

    expect((await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'first report' })).status).toBe(201);
    const second = await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'second report' });
    expect(second.status).toBe(409);
    expect(second.body.state).toBe('open');
    // nothing of the refused requests was written
    const reports = await api.dataSource.query(`SELECT count(*)::int AS n FROM unauthorized_activity_reports WHERE user_id = $1`, [userId]);
    expect(reports[0].n).toBe(1);
  });

  it('on a confirmed takeover refunds the unspent coins through the refund flow, blocks the intruder, records the outcome; recovery unfreezes', async () => {
    const { userId, rechargeId } = await victim();
    const { giftId } = await giftFrom(userId, 300);
    const intruderDevice = unique('intruder');
    const reported = await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'account taken over', recharge_ids: [rechargeId], gift_ids: [giftId] });
    expect(reported.status).toBe(201);

    expect((await request(api.http).post(`/api/unauthorized-activity/${reported.body.id}/confirm`).set(as('support')).send({ reason: 'support cannot decide' })).status).toBe(403);
    const confirmed = await request(api.http)
      .post(`/api/unauthorized-activity/${reported.body.id}/confirm`)
      .set(as('ts'))
      .send({ reason: 'new device, password changed, drained by gifting', block_devices: [intruderDevice] });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('confirmed');

    // 1,100 of the 1,400 coins are unspent: the refund returns their share of the 19.99 USD, and no more
    const [refund] = await api.dataSource.query(`SELECT coins::text, amount_minor::text, state, kind FROM refunds WHERE recharge_id = $1`, [rechargeId]);
    expect(refund.kind).toBe('manual');
    expect(BigInt(refund.coins)).toBeLessThanOrEqual(1100n);
    expect(BigInt(refund.coins)).toBeGreaterThanOrEqual(1099n);
    expect(BigInt(refund.amount_minor)).toBeLessThan(1999n);
    expect(confirmed.body.actions.refunds).toEqual([expect.objectContaining({ recharge_id: rechargeId, unspent_coins: '1100' })]);

    const [entry] = await api.dataSource.query(`SELECT list, kind, value FROM list_entries WHERE value = $1`, [intruderDevice]);
    expect(entry).toEqual({ list: 'block', kind: 'device', value: intruderDevice });
    const outcomes = await api.dataSource.query(`SELECT subject_type, outcome FROM risk_outcomes WHERE subject_id = ANY($1::text[]) ORDER BY subject_type`, [[rechargeId, giftId]]);
    expect(outcomes).toEqual([
      { subject_type: 'gift', outcome: 'account_takeover' },
      { subject_type: 'recharge', outcome: 'account_takeover' },
    ]);
    const [item] = await api.dataSource.query(`SELECT state FROM review_items WHERE id = $1`, [reported.body.review_id]);
    expect(item.state).toBe('approved');

    const again = await request(api.http).post(`/api/unauthorized-activity/${reported.body.id}/dismiss`).set(as('ts')).send({ reason: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(again.body.state).toBe('confirmed');

    const recovered = await request(api.http).post(`/api/unauthorized-activity/${reported.body.id}/recover`).set(as('ts')).send({ reason: 'password reset, intruder device blocked' });
    expect(recovered.status).toBe(200);
    expect(recovered.body.state).toBe('recovered');
    const [user] = await api.dataSource.query(`SELECT frozen_at FROM users WHERE id = $1`, [userId]);
    expect(user.frozen_at).toBeNull();
  });

  it('closes an unconfirmed report: the review item rejected, the outcome refuted, the user unfrozen', async () => {
    const { userId, rechargeId } = await victim();
    const reported = await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'did not recognise a charge', recharge_ids: [rechargeId] });
    const dismissed = await request(api.http).post(`/api/unauthorized-activity/${reported.body.id}/dismiss`).set(as('ts')).send({ reason: 'the user remembered buying it' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.state).toBe('not_confirmed');
    const [item] = await api.dataSource.query(`SELECT state FROM review_items WHERE id = $1`, [reported.body.review_id]);
    expect(item.state).toBe('rejected');
    const [outcome] = await api.dataSource.query(`SELECT outcome FROM risk_outcomes WHERE subject_id = $1`, [rechargeId]);
    expect(outcome.outcome).toBe('account_takeover_refuted');
    const [user] = await api.dataSource.query(`SELECT frozen_at FROM users WHERE id = $1`, [userId]);
    expect(user.frozen_at).toBeNull();
    expect((await request(api.http).post(`/api/unauthorized-activity/${reported.body.id}/recover`).set(as('ts')).send({ reason: 'nothing to recover' })).status).toBe(409);
  });

  it("refuses to decide the report's review item through the review queue, which would skip the refunds and blocks", async () => {
    const { userId } = await victim();
    const reported = await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'not me' });
    expect((await request(api.http).post(`/api/reviews/${reported.body.review_id}/claim`).set(as('ts')).send({})).status).toBe(200);
    const approve = await request(api.http).post(`/api/reviews/${reported.body.review_id}/approve`).set(as('ts')).send({ reason: 'looks fine' });
    expect(approve.status).toBe(409);
    expect(approve.body.message).toMatch(/unauthorized-activity/);
    // the holder decides it on the report
    const dismissed = await request(api.http).post(`/api/unauthorized-activity/${reported.body.id}/dismiss`).set(as('ts')).send({ reason: 'user found the purchase' });
    expect(dismissed.status).toBe(200);
  });

  it('lists reports with filters, for every role', async () => {
    const { userId } = await victim();
    await request(api.http).post(`/api/users/${userId}/unauthorized-activity`).set(as('support')).send({ description: 'list me' });
    const page = await request(api.http).get('/api/unauthorized-activity').query({ filter: JSON.stringify({ user_id: userId, state: 'open' }) }).set(as('viewer'));
    expect(page.status).toBe(200);
    expect(page.headers['content-range']).toMatch(/^unauthorized-activity 0-0\/1$/);
    expect(page.body[0]).toMatchObject({ user_id: userId, state: 'open' });
    expect((await request(api.http).get('/api/unauthorized-activity').query({ sort: JSON.stringify(['description', 'ASC']) }).set(as('viewer'))).status).toBe(400);
  });
});
