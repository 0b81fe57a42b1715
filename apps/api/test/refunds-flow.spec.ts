import { startApi, type TestApi } from './harness';
import { RefundFixture } from './refunds-fixture';

/** A refund below the threshold, end to end: request → approved at once → provider → webhook → ledger reversal. */
describe('refunds: request, execution and confirmation', () => {
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

  it('refunds a whole recharge below the threshold at once and posts its reversal exactly once on the webhook', async () => {
    const charged = await fx.charge();
    expect(await fx.rechargeState(charged.rechargeId)).toBe('credited');

    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'bought the wrong package' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ state: 'processing', kind: 'manual', amount: '1999', coins: '1400', needs_approval: false, currency: 'USD' });
    // The coins are reserved by a hold: no longer spendable, still on the books until the provider confirms.
    expect(await fx.coins(charged.userId)).toEqual({ posted: 1400n, available: 0n });
    const [job] = await api.dataSource.query(`SELECT payload FROM outbox WHERE job_name = 'refund.execute' AND payload->>'refund_id' = $1`, [asked.body.id]);
    expect(job.payload).toEqual({ refund_id: asked.body.id, attempt: 1 });

    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.execute(asked.body.id)).toBe('skipped');
    const sent = await fx.refund(asked.body.id);
    expect(sent.provider_refund_id).toMatch(/^re_/);
    expect(sent.state).toBe('processing');

    const emitted = fx.sim.takeEmitted();
    expect(emitted.map((e) => e.type)).toEqual(['charge.refunded']);
    expect(await fx.deliver(emitted[0])).toBe('done');
    const done = await fx.refund(asked.body.id);
    expect(done.state).toBe('succeeded');
    expect(done.ledger_transaction_id).not.toBeNull();
    expect(await fx.coins(charged.userId)).toEqual({ posted: 0n, available: 0n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');

    // The same event again, and the same charge state under a new event id: nothing is booked twice.
    expect(await fx.deliver(emitted[0])).toBe('already_processed');
    expect(await fx.deliver({ ...emitted[0], id: `${emitted[0].id}_again` })).toBe('done');
    expect(await fx.postedRefundEntries(charged.rechargeId)).toBe(1);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(n).toBe(1);

    const audit = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity = 'refund' AND entity_id = $1 ORDER BY id`, [asked.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['refund.requested', 'refund.approved', 'refund.processing', 'refund.sent', 'refund.succeeded']);
  });

  it('takes back coins in proportion for partial refunds, rounding each down, and all of them once the whole amount is refunded', async () => {
    const charged = await fx.charge({ coins: 70n, amountMinor: 99n });
    const first = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '33', reason: 'partial goodwill' });
    expect(first.body).toMatchObject({ amount: '33', coins: '23' });
    const second = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '33', reason: 'partial goodwill' });
    expect(second.body).toMatchObject({ amount: '33', coins: '23' });
    const tooMuch = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '34', reason: 'more than is left' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.details).toEqual([{ field: 'amount', message: expect.stringContaining('at most 33') }]);
    const rest = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'the rest' });
    expect(rest.body).toMatchObject({ amount: '33', coins: '24' });

    for (const id of [first.body.id, second.body.id, rest.body.id]) expect(await fx.execute(id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done', 'done', 'done']);
    expect(await fx.postedRefundEntries(charged.rechargeId)).toBe(3);
    expect(await fx.coins(charged.userId)).toEqual({ posted: 0n, available: 0n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
    const after = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'once more' });
    expect(after.status).toBe(409);
    expect(after.body.state).toBe('refunded');
  });

  it('books a refund made at the provider, outside coinops, once', async () => {
    const charged = await fx.charge();
    fx.sim.refund(charged.chargeId, 999n, { reason: 'dashboard' });
    const [event] = fx.sim.takeEmitted();
    expect(await fx.deliver(event)).toBe('done');
    expect(await fx.deliver({ ...event, id: `${event.id}_dup` })).toBe('done');
    const refunds = await api.dataSource.query(`SELECT kind, state, amount_minor::text, coins::text FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(refunds).toEqual([{ kind: 'external', state: 'succeeded', amount_minor: '999', coins: '699' }]);
    expect(await fx.postedRefundEntries(charged.rechargeId)).toBe(1);
    expect(await fx.coins(charged.userId)).toEqual({ posted: 701n, available: 701n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('credited');
  });

  it('makes a refused refund visible as failed, and a retry uses a new idempotency key', async () => {
    const charged = await fx.charge();
    // The charge is refunded in full at the provider first, so coinops' refund is refused as exceeding the rest.
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '1000', reason: 'will be refused' });
    fx.sim.refund(charged.chargeId, 1999n, { reason: 'dashboard, in full' });
    const [outside] = fx.sim.takeEmitted();
    expect(await fx.execute(asked.body.id)).toBe('failed');
    const failed = await fx.read('support', `/refunds/${asked.body.id}`);
    expect(failed.body).toMatchObject({ state: 'failed', failure_code: 'charge_already_refunded', attempt: 1, idempotency_key: `refund:${asked.body.id}` });
    expect(failed.body.failure_reason).toMatch(/exceeds the refundable/);
    expect(failed.body.attempts).toEqual([expect.objectContaining({ outcome: 'rejected', attempt: 1 })]);

    const retried = await fx.command('finance', `/refunds/${asked.body.id}/retry`, {});
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: 'processing', attempt: 2, idempotency_key: `refund:${asked.body.id}:2`, failure_code: null });
    expect(await fx.execute(asked.body.id)).toBe('failed');

    // Given up: the hold is voided, then the refund made outside coinops is booked as it is.
    const given = await fx.command('support2', `/refunds/${asked.body.id}/reject`, { reason: 'refunded at the provider already' });
    expect(given.body.state).toBe('rejected');
    expect(await fx.deliver(outside)).toBe('done');
    expect(await fx.coins(charged.userId)).toEqual({ posted: 0n, available: 0n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
    const again = await fx.command('finance', `/refunds/${asked.body.id}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.body.state).toBe('rejected');
  });

  it('retries an unavailable provider with the same key, then fails the refund past the attempt limit', async () => {
    const charged = await fx.charge();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'provider will be down' });
    const down = fx.withProvider({ refundFailureShare: 1 });
    try {
      await expect(fx.execute(asked.body.id, down, 3)).rejects.toThrow(/simulated outage/);
      await expect(fx.execute(asked.body.id, down, 3)).rejects.toThrow(/simulated outage/);
      expect(await fx.execute(asked.body.id, down, 3)).toBe('failed');
    } finally {
      down.stop();
    }
    const failed = await fx.read('support', `/refunds/${asked.body.id}`);
    expect(failed.body).toMatchObject({ state: 'failed', failure_code: 'provider_unavailable' });
    expect(failed.body.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['unavailable', 'unavailable', 'unavailable']);

    const retried = await fx.command('admin', `/refunds/${asked.body.id}/retry`, { reason: 'provider back' });
    expect(retried.body).toMatchObject({ state: 'processing', attempt: 1, idempotency_key: `refund:${asked.body.id}` });
    expect(await fx.execute(asked.body.id)).toBe('sent');
    expect(await fx.deliverEmitted()).toEqual(['done']);
    expect((await fx.refund(asked.body.id)).state).toBe('succeeded');
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });

  it('confirms a refund failed after an outage when the provider did make it: matched by its idempotency key, booked once', async () => {
    const charged = await fx.charge();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'the answer is lost' });
    // The provider made the refund, but every answer to the worker was lost.
    await fx.provider.refundCharge({ chargeId: charged.chargeId, amountMinor: 1999n, currency: 'USD', idempotencyKey: `refund:${asked.body.id}`, reason: 'made, answer lost' });
    const down = fx.withProvider({ refundFailureShare: 1 });
    try {
      await expect(fx.execute(asked.body.id, down, 2)).rejects.toThrow(/simulated outage/);
      expect(await fx.execute(asked.body.id, down, 2)).toBe('failed');
    } finally {
      down.stop();
    }
    expect((await fx.refund(asked.body.id)).provider_refund_id).toBeNull();
    expect(await fx.deliverEmitted()).toEqual(['done']);
    const done = await fx.refund(asked.body.id);
    expect(done).toMatchObject({ state: 'succeeded', provider_refund_id: expect.stringMatching(/^re_/) });
    expect(await fx.postedRefundEntries(charged.rechargeId)).toBe(1);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM refunds WHERE recharge_id = $1`, [charged.rechargeId]);
    expect(n).toBe(1);
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });

  it("confirms from the charge's refunded total when the event carries no refunds list (Stripe's API since 2022-11-15)", async () => {
    const withoutList = (event: Record<string, unknown>, id: string) => {
      const data = event.data as { object: Record<string, unknown> };
      const { refunds: _omitted, ...charge } = data.object;
      return { ...event, id, data: { object: charge } };
    };
    const charged = await fx.charge();
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '1000', reason: 'half of it' });
    expect(await fx.execute(asked.body.id)).toBe('sent');
    const [ours] = fx.sim.takeEmitted();
    expect(await fx.deliver(withoutList(ours, `${ours.id}_nolist`))).toBe('done');
    expect(await fx.refund(asked.body.id)).toMatchObject({ state: 'succeeded' });

    // Then the rest at the provider's dashboard: no key, no list, only the new total.
    fx.sim.refund(charged.chargeId, 999n, { reason: 'dashboard' });
    const [outside] = fx.sim.takeEmitted();
    expect(await fx.deliver(withoutList(outside, `${outside.id}_nolist`))).toBe('done');
    expect(await fx.deliver(withoutList(outside, `${outside.id}_nolist_again`))).toBe('done');
    expect(await fx.deliver(withoutList(ours, `${ours.id}_nolist_late`))).toBe('done');
    const refunds = await api.dataSource.query(`SELECT kind, state, amount_minor::text FROM refunds WHERE recharge_id = $1 ORDER BY created_at`, [charged.rechargeId]);
    expect(refunds).toEqual([
      { kind: 'manual', state: 'succeeded', amount_minor: '1000' },
      { kind: 'external', state: 'succeeded', amount_minor: '999' },
    ]);
    expect(await fx.postedRefundEntries(charged.rechargeId)).toBe(2);
    expect(await fx.coins(charged.userId)).toEqual({ posted: 0n, available: 0n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('refunded');
  });

  it('refuses a refund of a recharge that is still held for review, naming its state', async () => {
    const charged = await fx.charge({ coins: 20_000n, amountMinor: 19_999n });
    expect(await fx.rechargeState(charged.rechargeId)).toBe('held');
    const asked = await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, reason: 'held recharge' });
    expect(asked.status).toBe(409);
    expect(asked.body).toMatchObject({ statusCode: 409, state: 'held', entity: 'recharge' });
  });

  it('lists refunds the simple-rest way and refuses an unknown sort field', async () => {
    const charged = await fx.charge();
    await fx.command('support', '/refunds', { recharge_id: charged.rechargeId, amount: '100', reason: 'listed' });
    const page = await fx.read('viewer', '/refunds', { filter: JSON.stringify({ recharge_id: charged.rechargeId }), range: '[0,9]', sort: '["created_at","DESC"]' });
    expect(page.status).toBe(200);
    expect(page.headers['content-range']).toBe('refunds 0-0/1');
    expect(page.body[0]).toMatchObject({ recharge_id: charged.rechargeId, amount: '100', provider_ref: charged.chargeId });
    const byQ = await fx.read('viewer', '/refunds', { filter: JSON.stringify({ q: charged.chargeId }) });
    expect(byQ.body).toHaveLength(1);
    const bad = await fx.read('viewer', '/refunds', { sort: '["reason","ASC"]' });
    expect(bad.status).toBe(400);
    const refundable = await fx.read('support', `/refunds/refundable/${charged.rechargeId}`);
    expect(refundable.body).toMatchObject({ refundable_amount: '1899', unspent_coins: '1330', reserved_coins: '70', threshold_usd: '5000' });
    expect(refundable.body.rule).toMatch(/oldest coins/);
  });
});
