import { Ledger, verifyLedger } from '@coinops/ledger';
import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { unique } from './refunds-fixture';

type Who = Parameters<TestApi['token']>[0];

/** Manual adjustments against `platform:adjustments`: posted at once up to the threshold, four-eyes above it. */
describe('adjustments', () => {
  let api: TestApi;
  let ledger: Ledger;
  beforeAll(async () => {
    api = await startApi();
    ledger = api.app.get(Ledger);
  });
  afterAll(() => api.close());
  afterEach(async () => {
    const report = await verifyLedger(api.dataSource);
    expect(report.violations).toEqual([]);
  });

  const command = async (who: Who, path: string, body: Record<string, unknown>) =>
    request(api.http).post(`/api${path}`).set('Authorization', `Bearer ${await api.token(who)}`).send(body);
  const balance = async (code: string) => (await ledger.balance(code)).posted;
  const adjust = (who: Who, body: Record<string, unknown>) =>
    command(who, '/adjustments', { target: 'user', direction: 'credit', reason_code: 'goodwill', note: 'sorry for the outage', ...body });

  it("credits a user's coins at once up to the threshold, against platform:adjustments:coins", async () => {
    const userId = unique('u');
    const before = await balance('platform:adjustments:coins');
    const response = await adjust('support', { target_id: userId, amount: '500' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ state: 'posted', needs_approval: false, asset: 'COIN', amount: '500', reason_code: 'goodwill' });
    expect(await balance(`user:${userId}:coins`)).toBe(500n);
    expect(await balance('platform:adjustments:coins')).toBe(before - 500n);
    const tx = await ledger.getTransaction(response.body.ledger_transaction_id);
    expect(tx).toMatchObject({ type: 'adjustment', reference: { type: 'adjustment', id: response.body.id }, metadata: { reason_code: 'goodwill' } });
    const audit = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity = 'adjustment' AND entity_id = $1 ORDER BY id`, [response.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['adjustment.requested', 'adjustment.approved', 'adjustment.posted']);
  });

  it('refuses a debit larger than the balance with a 409 and writes nothing', async () => {
    const userId = unique('u');
    await adjust('support', { target_id: userId, amount: '100' });
    const response = await adjust('support', { target_id: userId, amount: '101', direction: 'debit', reason_code: 'correction' });
    expect(response.status).toBe(409);
    expect(response.body.available).toBe('100');
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM adjustments WHERE target_id = $1`, [userId]);
    expect(n).toBe(1);
    expect(await balance(`user:${userId}:coins`)).toBe(100n);
  });

  it("waits above the threshold for a second operator, never its requester, then credits a creator's diamonds", async () => {
    const creatorId = unique('c');
    const asked = await command('support', '/adjustments', { target: 'creator', target_id: creatorId, direction: 'credit', amount: '10001', reason_code: 'bug_compensation', note: 'diamonds lost by the gift bug' });
    expect(asked.body).toMatchObject({ state: 'requested', needs_approval: true, asset: 'DIAMOND', ledger_transaction_id: null });
    expect(await balance(`creator:${creatorId}:diamonds`)).toBe(0n);

    const self = await command('support', `/adjustments/${asked.body.id}/approve`, { reason: 'I checked it myself' });
    expect(self.status).toBe(403);
    expect(self.body.requested_by).toBe(asked.body.requested_by);
    for (const who of ['ts', 'viewer'] as const) expect((await command(who, `/adjustments/${asked.body.id}/approve`, { reason: 'not allowed' })).status).toBe(403);

    const approved = await command('support2', `/adjustments/${asked.body.id}/approve`, { reason: 'matches the incident report' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'posted', decision_reason: 'matches the incident report' });
    expect(await balance(`creator:${creatorId}:diamonds`)).toBe(10_001n);
    const again = await command('finance', `/adjustments/${asked.body.id}/approve`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.state).toBe('posted');
  });

  it('posts once when two approvers race', async () => {
    const userId = unique('u');
    const asked = await adjust('support', { target_id: userId, amount: '5000', reason_code: 'correction' });
    const results = await Promise.all([
      command('finance', `/adjustments/${asked.body.id}/approve`, { reason: 'approve one' }),
      command('finance2', `/adjustments/${asked.body.id}/approve`, { reason: 'approve two' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await balance(`user:${userId}:coins`)).toBe(5_000n);
  });

  it('rejects a request without touching the ledger', async () => {
    const userId = unique('u');
    const asked = await adjust('admin', { target_id: userId, amount: '9000' });
    const rejected = await command('support', `/adjustments/${asked.body.id}/reject`, { reason: 'no incident on record' });
    expect(rejected.body).toMatchObject({ state: 'rejected', ledger_transaction_id: null });
    expect(await balance(`user:${userId}:coins`)).toBe(0n);
  });

  it('refuses ts and viewers, and bad input with a 400 naming the field', async () => {
    for (const who of ['ts', 'viewer', 'finance'] as const) expect((await adjust(who, { target_id: unique('u'), amount: '1' })).status).toBe(403);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ target_id: unique('u'), amount: '0' }, 'amount'],
      [{ target_id: unique('u'), amount: '1.5' }, 'amount'],
      [{ target_id: 'bad id!', amount: '1' }, 'target_id'],
      [{ target_id: unique('u'), amount: '1', reason_code: 'because' }, 'reason_code'],
      [{ target_id: unique('u'), amount: '1', target: 'platform' }, 'target'],
      [{ target_id: unique('u'), amount: '1', note: '' }, 'note'],
    ];
    for (const [body, field] of cases) {
      const response = await adjust('support', body);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('lists adjustments with filters and the simple-rest range', async () => {
    const userId = unique('u');
    await adjust('support', { target_id: userId, amount: '7' });
    await adjust('support', { target_id: userId, amount: '8', reason_code: 'correction' });
    const page = await request(api.http)
      .get('/api/adjustments')
      .query({ filter: JSON.stringify({ target_id: userId, reason_code: 'correction' }), range: '[0,9]' })
      .set('Authorization', `Bearer ${await api.token('finance')}`);
    expect(page.headers['content-range']).toBe('adjustments 0-0/1');
    expect(page.body[0]).toMatchObject({ amount: '8', reason_code: 'correction', requested_by_email: 'support@coinops.dev' });
  });
});
