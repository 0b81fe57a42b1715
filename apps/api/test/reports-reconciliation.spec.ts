import { buildRechargeRefund, Ledger, platformAccount, providerClearing } from '@coinops/ledger';
import { reconcileYesterday } from '@coinops/reporting';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startIsolatedApi, type TestApi } from './harness';

const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;
const today = () => new Date().toISOString().slice(0, 10);

/**
 * One provider day with one of each case (a database of its own, so the report is exact): a charge booked
 * as reported, one booked for another amount, one never booked, one blocked by risk, one booked but never
 * reported; a refund the ledger matches and one it misses; a dispute clawed back and one the ledger ignored.
 */
describe('the daily reconciliation', () => {
  let api: TestApi;
  let ledger: Ledger;
  const charges: Record<string, string> = {};

  const event = (type: string, chargeId: string, normalized: Record<string, unknown>) =>
    api.dataSource.query(
      `INSERT INTO provider_events (provider, provider_event_id, type, handled, object_id, charge_id, provider_created_at, normalized, processed_at)
       VALUES ('stripe', $1, $2, true, $3, $3, now() - interval '1 minute', $4, now())`,
      [unique('evt'), type, chargeId, JSON.stringify(normalized)],
    );
  const chargeEvent = (chargeId: string, amountMinor: number) =>
    event('charge.succeeded', chargeId, {
      kind: 'charge_succeeded', chargeId, problems: [],
      recharge: { provider: 'stripe', providerRef: chargeId, userId: 'rec_user', method: 'card', coins: '350', amountMinor: String(amountMinor), currency: 'USD', occurredAt: new Date().toISOString() },
    });
  async function recharge(chargeId: string, amountMinor: number, decision: 'allow' | 'block') {
    const [row] = await api.dataSource.query(
      `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, state, decision, occurred_at)
       VALUES ('stripe', $1, 'rec_user', 'card', 350, $2, 'USD', $3, $4, now()) RETURNING id`,
      [chargeId, amountMinor, decision === 'allow' ? 'credited' : 'blocked_pending_refund', decision],
    );
    if (decision === 'allow') {
      const entry = await ledger.creditRecharge({ rechargeId: row.id, userId: 'rec_user', coins: 350n, amountMinor: BigInt(amountMinor), currency: 'USD', provider: 'stripe' });
      await api.dataSource.query(`UPDATE recharges SET ledger_transaction_id = $2 WHERE id = $1`, [row.id, entry.id]);
    }
    return row.id as string;
  }
  const clawback = (rechargeId: string, amountMinor: bigint) =>
    ledger.post({
      idempotencyKey: unique('chargeback'), type: 'chargeback', reference: { type: 'recharge', id: rechargeId },
      postings: [{ account: providerClearing('stripe', 'USD'), amount: -amountMinor }, { account: platformAccount('chargeback:losses:usd', 'USD'), amount: amountMinor }],
    });

  beforeAll(async () => {
    api = await startIsolatedApi('reconciliation');
    ledger = api.app.get(Ledger);
    for (const name of ['ok', 'mismatch', 'unbooked', 'blocked', 'unreported', 'refund_missing', 'disputed', 'dispute_missing']) charges[name] = unique(`ch_${name}`);

    const ok = await recharge(charges.ok, 499, 'allow');
    await chargeEvent(charges.ok, 499);
    await recharge(charges.mismatch, 499, 'allow');
    await chargeEvent(charges.mismatch, 999);
    await chargeEvent(charges.unbooked, 499);
    await recharge(charges.blocked, 1999, 'block');
    await chargeEvent(charges.blocked, 1999);
    await recharge(charges.unreported, 99, 'allow');

    // Refunds: 200 of the first charge, as the provider and the ledger both say; 499 of another the ledger never booked.
    await event('charge.refunded', charges.ok, { kind: 'charge_refunded', chargeId: charges.ok, amountRefundedMinor: '200', amountMinor: '499', currency: 'USD', refunded: false, refundIds: ['re_1'] });
    await ledger.post(buildRechargeRefund({ refundId: unique('refund'), rechargeId: ok, userId: 'rec_user', coins: 140n, amountMinor: 200n, currency: 'USD', provider: 'stripe' }));
    await recharge(charges.refund_missing, 499, 'allow');
    await chargeEvent(charges.refund_missing, 499);
    await event('charge.refunded', charges.refund_missing, { kind: 'charge_refunded', chargeId: charges.refund_missing, amountRefundedMinor: '499', amountMinor: '499', currency: 'USD', refunded: true, refundIds: ['re_2'] });

    // Disputes: one clawed back as the provider withdrew it; one lost at the provider and absent from the ledger.
    const disputed = await recharge(charges.disputed, 499, 'allow');
    await chargeEvent(charges.disputed, 499);
    const dispute = (chargeId: string, disputeId: string, status: string) =>
      event(`charge.dispute.${status === 'lost' ? 'closed' : 'created'}`, chargeId, {
        kind: 'dispute', phase: 'created', disputeId, chargeId, status, reason: 'fraudulent', amountMinor: '499', currency: 'USD', evidenceDueBy: null,
      });
    await dispute(charges.disputed, unique('dp'), 'needs_response');
    await clawback(disputed, 499n);
    await recharge(charges.dispute_missing, 499, 'allow');
    await chargeEvent(charges.dispute_missing, 499);
    await dispute(charges.dispute_missing, unique('dp'), 'lost');
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = async (who: Parameters<TestApi['token']>[0]) => `Bearer ${await api.token(who)}`;

  it('lists every difference between what the provider reported and what the ledger booked', async () => {
    const run = await request(api.http).post('/api/reports/reconciliation/run').set('Authorization', await as('finance')).send({ date: today() });
    expect(run.status).toBe(200);
    expect(run.body.reports).toHaveLength(1);

    const response = await request(api.http).get(`/api/reports/reconciliation?date=${today()}`).set('Authorization', await as('finance'));
    expect(response.status).toBe(200);
    const found = response.body.differences.map((d: { kind: string; difference: string; reference: string; provider_amount: string | null; ledger_amount: string | null }) => [
      d.kind, d.difference, d.reference, d.provider_amount, d.ledger_amount,
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['charge', 'amount_mismatch', charges.mismatch, '999', '499'],
        ['charge', 'missing_in_ledger', charges.unbooked, '499', null],
        ['charge', 'missing_at_provider', charges.unreported, null, '99'],
        ['refund', 'missing_in_ledger', charges.refund_missing, '499', null],
        ['dispute', 'missing_in_ledger', charges.dispute_missing, '499', null],
      ]),
    );
    expect(found).toHaveLength(5);
    expect(response.body.differences_total).toBe(5);
    const [report] = response.body.reports;
    expect(report).toMatchObject({ provider: 'stripe', day: today(), differences: 5, generated_by: 'finance@coinops.dev' });
    expect(report.summary.charge).toMatchObject({ matched: 4, not_booked: 1, differences: 3, provider: { count: 7, amounts: { USD: String(499 * 5 + 999 + 1999) } } });
    expect(report.summary.refund).toMatchObject({ matched: 1, differences: 1 });
    expect(report.summary.dispute).toMatchObject({ matched: 1, differences: 1 });
  });

  it('stores one report per provider and day: a second run replaces it', async () => {
    for (let i = 0; i < 2; i++) {
      await request(api.http).post('/api/reports/reconciliation/run').set('Authorization', await as('admin')).send({ date: today(), provider: 'stripe' });
    }
    const [{ reports, differences }] = await api.dataSource.query(
      `SELECT count(DISTINCT r.id)::int AS reports, count(d.id)::int AS differences FROM reconciliation_reports r LEFT JOIN reconciliation_differences d ON d.report_id = r.id WHERE r.day = $1`,
      [today()],
    );
    expect({ reports, differences }).toEqual({ reports: 1, differences: 5 });
  });

  it('streams the differences as CSV', async () => {
    const response = await request(api.http).get(`/api/reports/reconciliation/csv?date=${today()}&provider=stripe`).set('Authorization', await as('finance'));
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="reconciliation-stripe-${today()}.csv"`);
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('provider,day,kind,difference,reference,currency,provider_amount,ledger_amount,provider_event_id,ledger_transaction_id,detail');
    expect(lines).toHaveLength(6);
    expect(lines.some((l) => l.startsWith(`stripe,${today()},charge,amount_mismatch,${charges.mismatch},USD,999,499,`))).toBe(true);
  });

  it('is for finance and admins only, and names a bad date', async () => {
    for (const who of ['viewer', 'support', 'ts'] as const) {
      expect((await request(api.http).get(`/api/reports/reconciliation?date=${today()}`).set('Authorization', await as(who))).status).toBe(403);
      expect((await request(api.http).post('/api/reports/reconciliation/run').set('Authorization', await as(who)).send({ date: today() })).status).toBe(403);
    }
    for (const date of ['2026-13-01', 'yesterday', '']) {
      const response = await request(api.http).get(`/api/reports/reconciliation?date=${date}`).set('Authorization', await as('finance'));
      expect(response.status).toBe(400);
      expect(response.body.details[0].field).toBe('date');
    }
  });

  it("says when a day has no report yet, and the schedule's run reconciles yesterday for every provider", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await request(api.http).get(`/api/reports/reconciliation?date=${yesterday}`).set('Authorization', await as('finance'));
    expect(before.body).toMatchObject({ generated: false, reports: [], differences: [] });
    const reports = await reconcileYesterday(api.dataSource);
    expect(reports.map((r) => [r.provider, r.day, r.differences])).toEqual([['stripe', yesterday, 0]]);
    const after = await request(api.http).get(`/api/reports/reconciliation?date=${yesterday}`).set('Authorization', await as('finance'));
    expect(after.body.generated).toBe(true);
  });
});
