import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { PayoutFixture, unique } from './payouts.fixture';

/**
 * Finance's approval queue (docs/payouts.md, "Approval"): approve or reject with a reason; bulk approve;
 * above the threshold (1,000 USD by default) two distinct finance operators; racing approvals never
 * double-approve; the totals of a selection by currency and method. Ledger verified after each scenario.
 */
describe('payout approval', () => {
  let api: TestApi;
  let fx: PayoutFixture;
  beforeAll(async () => {
    api = await startApi();
    fx = new PayoutFixture(api);
  });
  afterEach(() => fx.expectLedgerClean());
  afterAll(() => api.close());

  /** A creator with `earned` matured diamonds and a payout of `diamonds` waiting for approval. */
  async function pending(diamonds: bigint, earned = diamonds, options: { currency?: string; method?: string } = {}) {
    const { creatorId } = await fx.creator({ currency: options.currency });
    await fx.earn(creatorId, earned);
    const { payout } = await fx.request(creatorId, diamonds, { method: options.method });
    expect(payout!.state).toBe('pending_approval');
    return { creatorId, id: payout!.id as string };
  }
  const approvalsOf = async (id: string) => (await api.dataSource.query(`SELECT operator_email FROM payout_approvals WHERE payout_id = $1 ORDER BY id`, [id])).map((r: { operator_email: string }) => r.operator_email);

  it('approves below the threshold with one finance approval and a reason; viewers and support cannot approve', async () => {
    const { id } = await pending(4_000n);
    expect((await fx.post(`/${id}/approve`, { reason: 'ok' }, 'viewer')).status).toBe(403);
    expect((await fx.post(`/${id}/approve`, { reason: 'ok' }, 'support')).status).toBe(403);
    const noReason = await fx.post(`/${id}/approve`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    const approved = await fx.post(`/${id}/approve`, { reason: 'earnings look organic' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', approvals_required: 1, approvals: 1, decision_reason: 'earnings look organic', approved_at: expect.any(String) });
    const [audit] = await api.dataSource.query(`SELECT actor_email, before, after, reason FROM audit_events WHERE entity_id = $1 AND action = 'payout.approved'`, [id]);
    expect(audit).toMatchObject({ actor_email: 'finance@coinops.dev', before: { state: 'pending_approval' }, after: { state: 'approved' }, reason: 'earnings look organic' });
  });

  it('needs two distinct finance operators above 1,000 USD: the first approval is recorded, the same operator again is refused, the second approves', async () => {
    // 200,002 diamonds pay 1,000.01 USD: above the default PAYOUT_DUAL_APPROVAL_USD_MINOR of 100,000.
    const { id } = await pending(200_002n);
    const first = await fx.post(`/${id}/approve`, { reason: 'first look: fine' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'pending_approval', approvals_required: 2, approvals: 1, usd_equivalent: '100001' });
    const again = await fx.post(`/${id}/approve`, { reason: 'me again' });
    expect(again.status).toBe(403);
    expect(again.body.message).toMatch(/already approved by this operator/);
    const second = await fx.post(`/${id}/approve`, { reason: 'second look: fine' }, 'finance2');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ state: 'approved', approvals: 2 });
    expect(await approvalsOf(id)).toEqual(['finance@coinops.dev', 'finance2@coinops.dev']);
    expect((await fx.post(`/${id}/approve`, { reason: 'third' }, 'admin')).body).toMatchObject({ statusCode: 409, state: 'approved' });
  });

  it("never lets the operator who requested a payout for a creator approve it", async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 5_000n);
    expect((await fx.post('', { creator_id: creatorId, diamonds: '4000', reason: 'creator asked by phone' }, 'viewer')).status).toBe(403);
    const requested = await fx.post('', { creator_id: creatorId, diamonds: '4000', reason: 'creator asked by phone' }, 'admin');
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ state: 'pending_approval', requested_via: 'console', request_reason: 'creator asked by phone', requested_by: expect.any(String) });
    const own = await fx.post(`/${requested.body.id}/approve`, { reason: 'looks fine' }, 'admin');
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ requested_by: requested.body.requested_by });
    expect((await fx.post(`/${requested.body.id}/approve`, { reason: 'looks fine' })).body).toMatchObject({ state: 'approved' });

    const bySupport = await fx.post('', { creator_id: creatorId, diamonds: '999999', reason: 'too much' }, 'support');
    expect(bySupport.status).toBe(409);
    expect(bySupport.body).toMatchObject({ available: '1000' });
    const bad = await fx.post('', { creator_id: creatorId, diamonds: '12.5', reason: 'x' }, 'support');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['diamonds', 'reason']);
  });

  it('lets racing approvals approve once: concurrent first approvals of a small payout, and three at once above the threshold', async () => {
    const small = await pending(4_000n);
    const racing = await Promise.all([fx.post(`/${small.id}/approve`, { reason: 'race a' }), fx.post(`/${small.id}/approve`, { reason: 'race b' }, 'finance2')]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await approvalsOf(small.id)).toHaveLength(1);

    const big = await pending(300_000n);
    const three = await Promise.all([
      fx.post(`/${big.id}/approve`, { reason: 'race 1' }),
      fx.post(`/${big.id}/approve`, { reason: 'race 2' }),
      fx.post(`/${big.id}/approve`, { reason: 'race 3' }, 'finance2'),
    ]);
    expect(three.map((r) => r.status).sort()).toEqual([200, 200, 403]);
    expect((await fx.get(big.id)).body).toMatchObject({ state: 'approved', approvals: 2 });
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'payout.approved'`, [big.id]);
    expect(n).toBe(1);
  });

  it('bulk-approves a selection with one result per payout; a held one and a second approval by the same operator fail alone', async () => {
    const a = await pending(4_000n);
    const b = await pending(6_000n);
    const big = await pending(250_000n);
    const { creatorId } = await fx.creator({ kyc: 'pending' });
    await fx.earn(creatorId, 4_000n);
    const held = (await fx.request(creatorId, 4_000)).payout!.id;

    const first = await fx.post('/bulk-approve', { ids: [a.id, b.id, big.id, held], reason: 'weekly run' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      { id: a.id, ok: true, state: 'approved' },
      { id: b.id, ok: true, state: 'approved' },
      { id: big.id, ok: true, state: 'pending_approval' },
      { id: held, ok: false, error: expect.objectContaining({ statusCode: 409, state: 'on_hold' }) },
    ]);
    const second = await fx.post('/bulk-approve', { ids: [big.id], reason: 'weekly run' });
    expect(second.body).toEqual([{ id: big.id, ok: false, error: expect.objectContaining({ statusCode: 403 }) }]);
    expect((await fx.post('/bulk-approve', { ids: [big.id], reason: 'second pair of eyes' }, 'finance2')).body).toEqual([{ id: big.id, ok: true, state: 'approved' }]);
    expect((await fx.post('/bulk-approve', { ids: ['nope'], reason: 'x x' })).status).toBe(400);
  });

  it('rejects with a reason: the reservation is voided and the diamonds are available again', async () => {
    const { id, creatorId } = await pending(4_000n, 5_000n);
    expect(await fx.diamonds(creatorId)).toMatchObject({ available: 1_000n, pending: 4_000n });
    expect((await fx.post(`/${id}/reject`, {})).status).toBe(400);
    const rejected = await fx.post(`/${id}/reject`, { reason: 'gifts from a known fraud ring' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', decision_reason: 'gifts from a known fraud ring', resolution_transaction_id: expect.any(String) });
    expect(await fx.diamonds(creatorId)).toEqual({ posted: 5_000n, available: 5_000n, pending: 0n });
    const [voided] = await api.dataSource.query(`SELECT phase, pending_id FROM ledger_transactions WHERE id = $1`, [rejected.body.resolution_transaction_id]);
    expect(voided).toEqual({ phase: 'void', pending_id: rejected.body.reservation_transaction_id });
  });

  it('is canceled by the creator before approval (payout.canceled voids the reservation), and not after (409 naming the state)', async () => {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 9_000n);
    const first = await fx.request(creatorId, 4_000);
    const cancel = await fx.send('payout.canceled', { payout_id: first.payoutId, creator_id: creatorId });
    expect(cancel.status).toBe(200);
    expect((await fx.get(first.payout!.id)).body).toMatchObject({ state: 'canceled' });
    expect(await fx.diamonds(creatorId)).toMatchObject({ available: 9_000n, pending: 0n });

    const second = await fx.request(creatorId, 4_000);
    await fx.post(`/${second.payout!.id}/approve`, { reason: 'fine' });
    const late = await fx.send('payout.canceled', { payout_id: second.payoutId, creator_id: creatorId });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ state: 'approved' });
    expect(await fx.diamonds(creatorId)).toMatchObject({ available: 5_000n, pending: 4_000n });
    // The same platform payout id twice is one payout.
    expect((await fx.request(creatorId, 4_000, { payoutId: second.payoutId })).response.status).toBe(200);
    expect((await fx.request(creatorId, 4_001, { payoutId: second.payoutId })).response.status).toBe(409);
  });

  it('shows the totals of the current selection by currency and method, and lists the queue with hold reasons', async () => {
    const usd = await pending(4_000n, 4_000n, { method: 'bank_transfer' });
    const usd2 = await pending(6_000n, 6_000n, { method: 'bank_transfer' });
    const eur = await pending(5_000n, 5_000n, { currency: 'EUR', method: 'sepa' });
    const { creatorId: heldCreator } = await fx.creator({ taxForm: null });
    await fx.earn(heldCreator, 4_000n);
    const held = (await fx.request(heldCreator, 4_000)).payout!.id;
    const creators = [usd.creatorId, usd2.creatorId, eur.creatorId, heldCreator];
    const auth = await fx.as('viewer');

    const totals = await request(api.http).get('/api/payouts/totals').query({ filter: JSON.stringify({ creator_id: creators, state: 'pending_approval' }) }).set('Authorization', auth);
    expect(totals.status).toBe(200);
    expect(totals.body).toEqual([
      { currency: 'EUR', method: 'sepa', count: 1, amount: '2500', diamonds: '5000' },
      { currency: 'USD', method: 'bank_transfer', count: 2, amount: '5000', diamonds: '10000' },
    ]);

    const list = await request(api.http).get('/api/payouts').query({ filter: JSON.stringify({ creator_id: creators, hold_reason: 'tax_form_missing' }) }).set('Authorization', auth);
    expect(list.status).toBe(200);
    expect(list.headers['content-range']).toBe('payouts 0-0/1');
    expect(list.body).toEqual([expect.objectContaining({ id: held, state: 'on_hold', hold_reasons: ['tax_form_missing'] })]);
    const search = await request(api.http).get('/api/payouts').query({ filter: JSON.stringify({ q: eur.creatorId }) }).set('Authorization', auth);
    expect(search.body.map((p: { id: string }) => p.id)).toEqual([eur.id]);
    expect((await request(api.http).get('/api/payouts').query({ sort: '["secret","ASC"]' }).set('Authorization', auth)).status).toBe(400);
    expect((await request(api.http).get(`/api/payouts/${unique('x')}`).set('Authorization', auth)).status).toBe(400);
  });
});
