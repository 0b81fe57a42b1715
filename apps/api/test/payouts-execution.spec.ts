import { systemActor } from '@coinops/access';
import { loadConfig } from '@coinops/config';
import { IllegalTransition, illegalTransitions, PAYOUT_MACHINE, type PayoutState } from '@coinops/contracts';
import { Ledger, verifyLedger } from '@coinops/ledger';
import {
  claimPayoutBatch, DEFAULT_PAYOUT_SETTINGS, lockPayout, movePayout, payoutEventHandler, runPayoutExecution, SimulatedStripe, SimulatorProvider, StripeProvider,
  sweepProviderEvents, type PaymentProvider,
} from '@coinops/payments';
import request from 'supertest';
import { startIsolatedApi, type TestApi } from './harness';
import { PayoutFixture } from './payouts.fixture';

const webhookSecret = loadConfig().STRIPE_WEBHOOK_SECRET;

/**
 * Execution through the provider adapter and the confirming webhook (docs/payouts.md, "Execution"), on a
 * database of its own so no other spec's approved payouts join these batches: processing → paid (the
 * reservation posted, the cash legs booked, once) or failed (the reservation voided, the reason shown);
 * transient provider errors retried with the same key; every illegal transition a 409.
 */
describe('payout execution', () => {
  let api: TestApi;
  let fx: PayoutFixture;
  let ledger: Ledger;
  beforeAll(async () => {
    api = await startIsolatedApi('payouts_execution');
    fx = new PayoutFixture(api);
    ledger = api.app.get(Ledger);
  });
  afterEach(async () => {
    const report = await verifyLedger(api.dataSource);
    expect(report.violations).toEqual([]);
  });
  afterAll(() => api.close());

  function simulator(options: { bounce?: number; failures?: number } = {}) {
    const stripe = new SimulatedStripe({ secret: webhookSecret, seed: `payouts-${Date.now()}` });
    const provider = new SimulatorProvider(stripe, { webhookSecret, seed: 'payouts', callLatencyMs: { min: 0, max: 2 }, payoutFailureShare: options.failures ?? 0, payoutBounceShare: options.bounce ?? 0 });
    return { stripe, provider };
  }
  const execute = (provider: PaymentProvider) => runPayoutExecution(api.dataSource, { ledger, provider, settings: DEFAULT_PAYOUT_SETTINGS });

  /** Posts the simulator's webhooks to the API (each twice: Stripe retries), then the worker's sweep hands them to the payout flow. */
  async function deliver(stripe: SimulatedStripe) {
    for (const event of stripe.takeEmitted()) {
      const { body, signature } = stripe.sign(event);
      for (let copy = 0; copy < 2; copy++) {
        const response = await request(api.http).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
        expect(response.status).toBe(200);
      }
    }
    return sweepProviderEvents(api.dataSource, { payout: payoutEventHandler(ledger) });
  }

  async function approved(diamonds: bigint, options: { method?: string } = {}) {
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, diamonds + 1_000n);
    const { payout } = await fx.request(creatorId, diamonds, options);
    const response = await fx.post(`/${payout!.id}/approve`, { reason: 'checked' });
    expect(response.body.state).toBe('approved');
    return { creatorId, id: payout!.id as string };
  }
  const row = async (id: string) => (await api.dataSource.query(`SELECT * FROM payouts WHERE id = $1`, [id]))[0];
  const legs = (transactionId: string) =>
    api.dataSource.query(
      `SELECT a.code, p.kind, p.amount::text FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.transaction_id = $1 ORDER BY a.code, p.kind`,
      [transactionId],
    );

  it('batches approved payouts per method, pays them through the provider, and books the confirmation once: reservation posted, cash legs', async () => {
    const { stripe, provider } = simulator();
    const a = await approved(4_000n, { method: 'bank_transfer' });
    const b = await approved(6_000n, { method: 'bank_transfer' });
    const c = await approved(8_000n, { method: 'paypal_payouts' });
    const run = await execute(provider);
    expect(run.batches.map((batch) => [batch.method, batch.payoutIds.length]).sort()).toEqual([['bank_transfer', 2], ['paypal_payouts', 1]]);
    expect(run).toMatchObject({ accepted: 3, failed: 0, retryLater: 0 });
    expect(await row(a.id)).toMatchObject({ state: 'processing', provider: 'stripe', provider_payout_id: expect.stringMatching(/^po_/), submitted_at: expect.any(Date) });

    expect(await deliver(stripe)).toMatchObject({ done: 3 });
    const paid = await row(a.id);
    expect(paid).toMatchObject({ state: 'paid', paid_at: expect.any(Date) });
    expect(await legs(paid.resolution_transaction_id)).toEqual([
      { code: `creator:${a.creatorId}:diamonds`, kind: 'posted', amount: '-4000' },
      // a release names the hold it ends, with the hold's amount
      { code: `creator:${a.creatorId}:diamonds`, kind: 'release', amount: '-4000' },
      { code: 'platform:payouts:diamonds', kind: 'posted', amount: '4000' },
      { code: 'platform:payouts:diamonds', kind: 'release', amount: '4000' },
    ]);
    expect(await legs(paid.cash_transaction_id)).toEqual([
      { code: 'platform:payouts:paid:usd', kind: 'posted', amount: '2000' },
      { code: 'provider:stripe:clearing:usd', kind: 'posted', amount: '-2000' },
    ]);
    expect(await fx.diamonds(a.creatorId)).toEqual({ posted: 1_000n, available: 1_000n, pending: 0n });

    // A late duplicate confirmation (another event id) changes nothing.
    stripe.payoutSettled({ id: paid.provider_payout_id, amountMinor: 2000n, currency: 'USD', creatorId: a.creatorId, method: 'bank_transfer', status: 'paid', idempotencyKey: `payout:${a.id}` });
    expect(await deliver(stripe)).toMatchObject({ done: 1 });
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key LIKE $1`, [`payout:${a.id}:%`]);
    expect(n).toBe(3); // reserve, post, cash
    expect((await row(b.id)).state).toBe('paid');
    expect((await row(c.id)).state).toBe('paid');

    // The batch, its totals, and its CSV for finance.
    const auth = await fx.as('finance');
    const batch = await request(api.http).get(`/api/payout-batches/${paid.batch_id}`).set('Authorization', auth);
    expect(batch.body).toMatchObject({ method: 'bank_transfer', payout_count: 2, states: { paid: 2 }, totals: [{ currency: 'USD', amount: '5000' }] });
    const csv = await request(api.http).get(`/api/payout-batches/${paid.batch_id}/export`).set('Authorization', auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,payout_id,creator_id,state,diamonds,amount_minor,currency,method,provider,provider_payout_id,failure_reason,approved_at,processing_at,paid_at,failed_at');
    expect(lines.slice(1).map((line) => line.split(',').slice(3, 8).join(','))).toEqual(expect.arrayContaining(['paid,4000,2000,USD,bank_transfer', 'paid,6000,3000,USD,bank_transfer']));
    expect((await request(api.http).get(`/api/payout-batches/${paid.batch_id}/export`).set('Authorization', await fx.as('viewer'))).status).toBe(403);
  });

  it('fails a payout the bank bounced: the reservation is voided and the reason shown', async () => {
    const { stripe, provider } = simulator({ bounce: 1 });
    const { id, creatorId } = await approved(4_000n);
    await execute(provider);
    await deliver(stripe);
    const failed = await fx.get(id);
    expect(failed.body).toMatchObject({ state: 'failed', failure_reason: 'the provider reported the payout failed: account_closed' });
    expect(await fx.diamonds(creatorId)).toEqual({ posted: 5_000n, available: 5_000n, pending: 0n });
    const [voided] = await api.dataSource.query(`SELECT phase FROM ledger_transactions WHERE id = $1`, [failed.body.resolution_transaction_id]);
    expect(voided.phase).toBe('void');
  });

  it('fails a payout the provider refuses outright, and retries a transient error later with the same key', async () => {
    const refused = await approved(4_000n);
    const run = await execute(new StripeProvider({ webhookSecret }));
    expect(run).toMatchObject({ failed: 1 });
    expect((await fx.get(refused.id)).body).toMatchObject({ state: 'failed', failure_reason: expect.stringMatching(/^refused by the provider: .*acct_/) });

    const flaky = simulator({ failures: 1 });
    const { id } = await approved(4_000n);
    expect(await execute(flaky.provider)).toMatchObject({ retryLater: 1 });
    expect(await row(id)).toMatchObject({ state: 'processing', provider_attempts: 1, last_provider_error: expect.stringMatching(/simulated outage/), submitted_at: null });
    const healthy = simulator();
    expect(await execute(healthy.provider)).toMatchObject({ accepted: 1 });
    await deliver(healthy.stripe);
    expect((await row(id)).state).toBe('paid');
  });

  it('lets two execution runs at once (two worker replicas) send each payout once', async () => {
    const stripe = new SimulatedStripe({ secret: webhookSecret, seed: `payouts-race-${Date.now()}` });
    const provider = new SimulatorProvider(stripe, { webhookSecret, seed: 'race', callLatencyMs: { min: 20, max: 40 }, payoutFailureShare: 0, payoutBounceShare: 0 });
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await approved(4_000n, { method: 'race' })).id);
    const runs = await Promise.all([execute(provider), execute(provider)]);
    expect(runs.reduce((sum, run) => sum + run.accepted, 0)).toBe(6);
    expect(runs.reduce((sum, run) => sum + run.retryLater + run.failed, 0)).toBe(0);
    // One payout created at the provider per payout: one settlement event each.
    expect(stripe.takeEmitted().filter((event) => String(event.type).startsWith('payout.'))).toHaveLength(6);
    const rows = await api.dataSource.query(`SELECT provider_attempts, last_provider_error FROM payouts WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows).toEqual(ids.map(() => ({ provider_attempts: 1, last_provider_error: null })));
  });

  it('holds an amount far above the creator usual once they have a history of paid payouts', async () => {
    const { stripe, provider } = simulator();
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 60_000n);
    for (let i = 0; i < 3; i++) {
      const { payout } = await fx.request(creatorId, 2_000);
      await fx.post(`/${payout!.id}/approve`, { reason: 'routine' });
    }
    await execute(provider);
    await deliver(stripe);
    expect(await api.dataSource.query(`SELECT DISTINCT state FROM payouts WHERE creator_id = $1`, [creatorId])).toEqual([{ state: 'paid' }]);
    expect((await fx.request(creatorId, 10_000)).payout!.state).toBe('pending_approval');
    const { payout } = await fx.request(creatorId, 10_002);
    expect(payout!.state).toBe('on_hold');
    expect(await api.dataSource.query(`SELECT reason, detail FROM payout_holds WHERE payout_id = $1`, [payout!.id])).toEqual([
      { reason: 'unusual_amount', detail: '10002 diamonds is more than 5× the average of the last 3 paid payouts (2000)' },
    ]);
  });

  it('answers every illegal transition with a 409 naming the current state', async () => {
    const states = new Map<PayoutState, string>();
    // processing, paid, failed through the real execution
    const paid = simulator();
    states.set('paid', (await approved(4_000n)).id);
    await execute(paid.provider);
    await deliver(paid.stripe);
    const bounced = simulator({ bounce: 1 });
    states.set('failed', (await approved(4_000n)).id);
    await execute(bounced.provider);
    await deliver(bounced.stripe);
    states.set('processing', (await approved(4_000n)).id);
    await claimPayoutBatch(api.dataSource, { provider: paid.provider, settings: DEFAULT_PAYOUT_SETTINGS });
    states.set('approved', (await approved(4_000n)).id);
    const { creatorId } = await fx.creator();
    await fx.earn(creatorId, 30_000n);
    const request4000 = async () => (await fx.request(creatorId, 4_000)).payout!.id as string;
    states.set('pending_approval', await request4000());
    const rejected = await request4000();
    await fx.post(`/${rejected}/reject`, { reason: 'not this one' });
    states.set('rejected', rejected);
    const canceled = await request4000();
    await fx.post(`/${canceled}/cancel`, { reason: 'creator asked' }, 'support');
    states.set('canceled', canceled);
    const { creatorId: heldCreator } = await fx.creator({ kyc: 'none' });
    await fx.earn(heldCreator, 5_000n);
    states.set('on_hold', (await fx.request(heldCreator, 4_000)).payout!.id);
    // `requested` lasts only inside the request's transaction: a row left in it stands for a crash in between.
    const [requested] = await api.dataSource.query(
      `INSERT INTO payouts (payout_id, creator_id, state, diamonds, diamonds_for_cash, rounding_diamonds, amount_minor, currency, usd_equivalent_minor, approvals_required, method, requested_via, reservation_transaction_id)
       SELECT 'walk-requested-' || gen_random_uuid(), creator_id, 'requested', diamonds, diamonds_for_cash, rounding_diamonds, amount_minor, currency, usd_equivalent_minor, approvals_required, method, requested_via, reservation_transaction_id
         FROM payouts WHERE id = $1 RETURNING id`,
      [states.get('pending_approval')],
    );
    states.set('requested', requested.id);
    for (const [state, id] of states) expect({ state, actual: (await row(id)).state }).toEqual({ state, actual: state });

    const viaApi: Record<string, (id: string) => Promise<request.Response>> = {
      approve: (id) => fx.post(`/${id}/approve`, { reason: 'walk' }, 'finance2'),
      reject: (id) => fx.post(`/${id}/reject`, { reason: 'walk' }),
      cancel: (id) => fx.post(`/${id}/cancel`, { reason: 'walk' }, 'support'),
    };
    const refused = illegalTransitions(PAYOUT_MACHINE);
    expect(refused.length).toBeGreaterThan(40);
    for (const { state, action } of refused) {
      const id = states.get(state)!;
      if (viaApi[action]) {
        const response = await viaApi[action](id);
        expect({ state, action, status: response.status, body: response.body.state }).toEqual({ state, action, status: 409, body: state });
      } else {
        // Internal moves (hold, clear, process, pay, fail) go through the same guarded update.
        const error = await api.dataSource
          .transaction(async (manager) => movePayout(manager, systemActor('walk'), await lockPayout(manager, id), action, {}, {}))
          .then(() => null, (e) => e);
        expect({ state, action, error: error instanceof IllegalTransition ? error.statusCode : String(error) }).toEqual({ state, action, error: 409 });
      }
      expect((await row(id)).state).toBe(state);
    }
  });
});
