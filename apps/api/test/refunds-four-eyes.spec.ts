import { startApi, type TestApi } from './harness';
import { RefundFixture } from './refunds-fixture';

/** Above the threshold a second operator approves a refund: never its requester, never a role that may not, once. */
describe('refunds: four-eyes above the threshold', () => {
  let api: TestApi;
  let fx: RefundFixture;
  beforeAll(async () => {
    api = await startApi();
    fx = new RefundFixture(api);
  });
  afterAll(async () => {
    fx.stop();
    await api.close();
  });
  afterEach(() => fx.expectLedgerClean());

  // 70 USD: above the default 50 USD threshold.
  const large = () => fx.charge({ coins: 4_900n, amountMinor: 7_000n });

  it('waits for a second operator, refuses the requester with FourEyesRequired, and lets another support operator approve', async () => {
    const charged = await large();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'duplicate purchase' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ state: 'requested', needs_approval: true, amount_usd: '7000' });
    const [{ jobs }] = await api.dataSource.query(`SELECT count(*)::int AS jobs FROM outbox WHERE job_name = 'refund.execute' AND payload->>'refund_id' = $1`, [asked.body.id]);
    expect(jobs).toBe(0);

    const self = await fx.command('support', `/refunds/${asked.body.id}/approve`, { reason: 'looks fine to me' });
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ statusCode: 403, error: 'Forbidden', requested_by: asked.body.requested_by });
    expect(self.body.message).toMatch(/a second operator must approve it/);
    expect((await fx.refund(asked.body.id)).state).toBe('requested');

    const approved = await fx.command('support2', `/refunds/${asked.body.id}/approve`, { reason: 'checked the duplicate' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'processing', approved_by: expect.any(String), decision_reason: 'checked the duplicate' });
    expect(approved.body.approved_by).not.toBe(asked.body.requested_by);
    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });

  it.each(['ts', 'viewer'] as const)('refuses %s both asking for and approving a refund', async (who) => {
    const charged = await large();
    const ask = await fx.command(who, '/refunds', { recharge_id: charged.rechargeId, reason: 'not my job' });
    expect(ask.status).toBe(403);
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'duplicate purchase' });
    const approve = await fx.command(who, `/refunds/${asked.body.id}/approve`, { reason: 'not my job either' });
    expect(approve.status).toBe(403);
    const reject = await fx.command(who, `/refunds/${asked.body.id}/reject`, { reason: 'not my job either' });
    expect(reject.status).toBe(403);
    expect((await fx.refund(asked.body.id)).state).toBe('requested');
    await fx.command('support2', `/refunds/${asked.body.id}/reject`, { reason: 'clean up' });
  });

  it('lets exactly one of two racing approvals through; the other gets a 409 naming the state', async () => {
    const charged = await large();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'racing approvals' });
    const [a, b] = await Promise.all([
      fx.command('finance', `/refunds/${asked.body.id}/approve`, { reason: 'approve one' }),
      fx.command('finance2', `/refunds/${asked.body.id}/approve`, { reason: 'approve two' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.state).toBe('processing');
    const [{ jobs }] = await api.dataSource.query(`SELECT count(*)::int AS jobs FROM outbox WHERE job_name = 'refund.execute' AND payload->>'refund_id' = $1`, [asked.body.id]);
    expect(jobs).toBe(1);
    const approvals = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity = 'refund' AND entity_id = $1 AND action = 'refund.approved'`, [asked.body.id]);
    expect(approvals[0].n).toBe(1);
    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
  });

  it('releases the reserved coins when the refund is rejected, and refuses every transition out of rejected', async () => {
    const charged = await large();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'to be rejected' });
    expect(await fx.coins(charged.userId)).toEqual({ posted: 4_900n, available: 0n });
    const rejected = await fx.command('finance', `/refunds/${asked.body.id}/reject`, { reason: 'not eligible' });
    expect(rejected.body).toMatchObject({ state: 'rejected', decision_reason: 'not eligible' });
    expect(await fx.coins(charged.userId)).toEqual({ posted: 4_900n, available: 4_900n });
    for (const verb of ['approve', 'reject', 'retry']) {
      const response = await fx.command('admin', `/refunds/${asked.body.id}/${verb}`, { reason: 'too late now' });
      expect(response.status).toBe(409);
      expect(response.body.state).toBe('rejected');
    }
    // The recharge can be refunded again in full: a rejected refund claims nothing.
    const again = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '100', reason: 'smaller goodwill' });
    expect(again.body).toMatchObject({ state: 'processing', coins: '70' });
    expect(await fx.execute(again.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
  });

  it('converts other currencies at the integer rates for the threshold, and sends a currency without a rate to a second operator', async () => {
    const euroBelow = await fx.charge({ coins: 3_000n, amountMinor: 4_600n, currency: 'EUR' });
    const euroAbove = await fx.charge({ coins: 3_000n, amountMinor: 4_700n, currency: 'EUR' });
    const krona = await fx.charge({ coins: 70n, amountMinor: 1_000n, currency: 'SEK' });
    const below = await fx.command('support', '/refunds', { recharge_id: euroBelow.rechargeId, reason: 'euro, 49.68 USD' });
    expect(below.body).toMatchObject({ amount_usd: '4968', needs_approval: false, state: 'processing' });
    const above = await fx.command('support', '/refunds', { recharge_id: euroAbove.rechargeId, reason: 'euro, 50.76 USD' });
    expect(above.body).toMatchObject({ amount_usd: '5076', needs_approval: true, state: 'requested' });
    const unknown = await fx.command('support', '/refunds', { recharge_id: krona.rechargeId, reason: 'no rate for SEK' });
    expect(unknown.body).toMatchObject({ amount_usd: null, needs_approval: true, state: 'requested' });
    for (const id of [above.body.id, unknown.body.id]) await fx.command('finance', `/refunds/${id}/reject`, { reason: 'clean up' });
    expect(await fx.execute(below.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
  });

  it('refuses retrying a refund that is processing and approving one that never needed approval', async () => {
    const charged = await fx.charge();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '500', reason: 'small' });
    expect(asked.body.state).toBe('processing');
    const retry = await fx.command('support2', `/refunds/${asked.body.id}/retry`, {});
    expect(retry.status).toBe(409);
    expect(retry.body.state).toBe('processing');
    const approve = await fx.command('support2', `/refunds/${asked.body.id}/approve`, { reason: 'again' });
    expect(approve.status).toBe(409);
    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
  });
});
