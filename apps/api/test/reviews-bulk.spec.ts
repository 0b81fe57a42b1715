import { userCoins, verifyLedger } from '@coinops/ledger';
import { startApi, type TestApi } from './harness';
import { ReviewFixture } from './reviews.fixture';

describe('bulk decisions: one result per item, each item its own transaction', () => {
  let api: TestApi;
  let fixture: ReviewFixture;
  beforeAll(async () => {
    api = await startApi();
    fixture = new ReviewFixture(api);
  });
  afterAll(() => api.close());

  it('approves what it can and says why it could not for the rest', async () => {
    const open = await fixture.heldRecharge();
    const escalated = await fixture.heldRecharge();
    const theirs = await fixture.heldRecharge();
    const done = await fixture.heldRecharge();
    const missing = '00000000-0000-4000-8000-0000000000aa';
    const second = await fixture.secondAnalyst();
    await fixture.command('ts', `/reviews/${escalated.reviewId}/escalate`, { reason: 'needs a senior look' });
    await fixture.command(second.token, `/reviews/${theirs.reviewId}/claim`);
    await fixture.command('ts', `/reviews/${done.reviewId}/claim`);
    await fixture.command('ts', `/reviews/${done.reviewId}/reject`, { reason: 'fraud' });

    const ids = [open.reviewId, escalated.reviewId, theirs.reviewId, done.reviewId, missing];
    const response = await fixture.command('ts', '/reviews/bulk-approve', { ids, reason: 'batch of known buyers' });
    expect(response.status).toBe(200);
    expect(response.body.map((r: { id: string; ok: boolean; status?: number; state?: string }) => [r.id, r.ok, r.status ?? 200, r.state])).toEqual([
      [open.reviewId, true, 200, 'approved'],
      [escalated.reviewId, true, 200, 'approved'],
      [theirs.reviewId, false, 409, 'in_review'],
      [done.reviewId, false, 409, 'rejected'],
      [missing, false, 404, undefined],
    ]);
    expect(response.body[2].message).toMatch(/claimed by/);
    expect(response.body[0].recharges).toEqual([expect.objectContaining({ recharge_id: open.rechargeId, state: 'credited' })]);

    expect((await fixture.ledger.balance(userCoins(open.userId))).available).toBe(20_000n);
    expect((await fixture.ledger.balance(userCoins(theirs.userId))).available).toBe(0n);
    const trail = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [escalated.reviewId]);
    expect(trail.map((r: { action: string }) => r.action)).toEqual(['review.opened', 'review.escalated', 'review.claimed', 'review.approved']);
    expect((await verifyLedger(api.dataSource)).ok).toBe(true);
  });

  it('rejects a selection with its blocks, item by item', async () => {
    const a = await fixture.heldRecharge();
    const b = await fixture.heldRecharge();
    const response = await fixture.command('ts', '/reviews/bulk-reject', { ids: [a.reviewId, b.reviewId], reason: 'same ring', block_card: true });
    expect(response.body.map((r: { ok: boolean; state: string }) => [r.ok, r.state])).toEqual([[true, 'rejected'], [true, 'rejected']]);
    const blocked = await api.dataSource.query(`SELECT value FROM list_entries WHERE list = 'block' AND kind = 'card' AND value = ANY($1::text[]) ORDER BY value`, [[a.card, b.card]]);
    expect(blocked.map((r: { value: string }) => r.value)).toEqual([a.card, b.card].sort());
    expect((await verifyLedger(api.dataSource)).ok).toBe(true);
  });

  it('refuses an empty selection, more than 100 ids, a malformed id and a missing reason with a 400', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await fixture.command('ts', '/reviews/bulk-approve', { ids: [], reason: 'nothing' })).status).toBe(400);
    expect((await fixture.command('ts', '/reviews/bulk-approve', { ids, reason: 'too many' })).status).toBe(400);
    expect((await fixture.command('ts', '/reviews/bulk-approve', { ids: ['nope'], reason: 'malformed' })).status).toBe(400);
    expect((await fixture.command('ts', '/reviews/bulk-reject', { ids: [ids[0]] })).status).toBe(400);
  });
});
