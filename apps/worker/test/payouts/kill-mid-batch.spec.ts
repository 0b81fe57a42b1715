import { accessEntities, type Actor } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { Ledger, verifyLedger } from '@coinops/ledger';
import {
  DEFAULT_PAYOUT_SETTINGS, payoutEventHandler, PayoutService, receiveProviderEvent, requestPayoutIn, sweepProviderEvents, type ProviderEvent,
} from '@coinops/payments';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from '../../../../libs/db/src/testing';
import { startFakeStripe } from './fake-stripe';

const ROOT = path.resolve(__dirname, '../../../..');
const CHILD = path.join(__dirname, 'execution-child.ts');
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;
const PAYOUTS = 8;

/**
 * The worker killed in the middle of a batch (issue 7): a payout execution run in a child process is
 * SIGKILLed while the provider is answering its third call (accepted there, not yet recorded here), twice;
 * a last run finishes. Each payout is created once at the provider (the key `payout:<id>` replays the
 * first transfer), and once the confirmations arrive (duplicated), each is paid once in the ledger.
 */
describe('payout execution killed mid-batch', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  let finance: Actor;
  let url: string;
  // A database of its own: another spec's execution run must not take these approved payouts.
  beforeAll(async () => {
    url = await createTestDatabase('payouts_kill');
    dataSource = createDataSource({ url, entities: accessEntities, poolSize: 6 });
    await dataSource.initialize();
    ledger = new Ledger(dataSource);
    const [operator] = await dataSource.query(
      `INSERT INTO operators (email, name, role, password_hash) VALUES ($1, 'Kill Test Finance', 'finance', 'not-a-login') RETURNING id, email`,
      [`${unique('finance').replace(/_/g, '-')}@coinops.dev`],
    );
    finance = { operatorId: operator.id, email: operator.email, role: 'finance', requestId: null };
  });
  afterAll(async () => {
    await dataSource?.destroy();
    if (url) await dropTestDatabase(url);
  });

  /** A verified creator with matured diamonds, and an approved payout of 4,000 diamonds (20.00 USD) to a Stripe account. */
  async function approvedPayout(): Promise<{ id: string; creatorId: string }> {
    const [creatorId, userId, senderId] = [unique('c'), unique('cu'), unique('u')];
    await dataSource.query(`INSERT INTO users (id, profile_received, created_at) VALUES ($1, true, now() - interval '400 days'), ($2, true, now() - interval '400 days')`, [userId, senderId]);
    await dataSource.query(
      `INSERT INTO creators (id, user_id, country, payout_currency, kyc_status, tax_form, profile_received) VALUES ($1, $2, 'US', 'USD', 'verified', 'W-9', true)`,
      [creatorId, userId],
    );
    await ledger.creditRecharge({ rechargeId: unique('r'), userId: senderId, coins: 10_000n, amountMinor: 9_999n, currency: 'USD', provider: 'stripe' });
    await ledger.postGift({ giftId: unique('g'), senderId, creatorId, coins: 10_000n });
    const payout = await dataSource.transaction((manager) =>
      requestPayoutIn(manager, { ledger, settings: DEFAULT_PAYOUT_SETTINGS }, { operatorId: null, email: 'system:test', role: null, requestId: null }, {
        payoutId: unique('po'), creatorId, diamonds: 4_000n, method: 'acct_killtest', via: 'platform',
      }),
    );
    const approved = await new PayoutService(dataSource, { ledger, settings: DEFAULT_PAYOUT_SETTINGS }).approve(finance, payout.id, 'kill test');
    expect(approved.state).toBe('approved');
    return { id: payout.id, creatorId };
  }

  /** Runs the child (`armed.child`, which the fake Stripe's request hook kills with SIGKILL at the chosen request). */
  function runChild(stripeUrl: string, armed: { child?: ReturnType<typeof spawn> }): Promise<{ code: number | null; signal: string | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, STRIPE_API_BASE: stripeUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
      armed.child = child;
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (out += chunk));
      child.on('exit', (code, signal) => resolve({ code, signal, out }));
    });
  }

  it('creates each payout once at the provider and pays each once in the ledger, though the worker was killed twice mid-batch', async () => {
    const payouts = await Promise.all(Array.from({ length: PAYOUTS }, () => approvedPayout()));
    const armed: { child?: ReturnType<typeof spawn> } = {};
    let killAt: number | null = 3;
    const stripe = await startFakeStripe({
      answerDelayMs: 150,
      onRequest: (count) => {
        // The provider has taken the request (and created the transfer); the worker dies before the answer.
        if (killAt !== null && count === killAt) armed.child?.kill('SIGKILL');
      },
    });
    try {
      const first = await runChild(stripe.url, armed);
      expect(first).toMatchObject({ signal: 'SIGKILL' });
      const afterFirst = await dataSource.query(`SELECT count(*) FILTER (WHERE state = 'processing')::int AS processing, count(*) FILTER (WHERE submitted_at IS NOT NULL)::int AS submitted FROM payouts WHERE id = ANY($1::uuid[])`, [payouts.map((p) => p.id)]);
      // The batch was taken (all processing); two answers were recorded; the third transfer exists at the provider only.
      expect(afterFirst).toEqual([{ processing: PAYOUTS, submitted: 2 }]);
      expect(stripe.creations).toHaveLength(3);

      killAt = stripe.requests() + 3;
      const second = await runChild(stripe.url, armed);
      expect(second).toMatchObject({ signal: 'SIGKILL' });

      killAt = null;
      const last = await runChild(stripe.url, armed);
      expect(last.code).toBe(0);
      expect(last.out).toMatch(/done \{"batches":0,"accepted":\d+,"failed":0,"retryLater":0\}/);
    } finally {
      await stripe.close();
    }

    // Once each at the provider: 8 transfers, and exactly the two requests in flight at the kills were sent again.
    const keys = payouts.map((p) => `payout:${p.id}`);
    expect([...stripe.creations].sort()).toEqual([...keys].sort());
    expect(stripe.requests()).toBe(PAYOUTS + 2);
    const rows: Array<{ id: string; state: string; provider_payout_id: string }> = await dataSource.query(`SELECT id, state, provider_payout_id FROM payouts WHERE id = ANY($1::uuid[])`, [payouts.map((p) => p.id)]);
    for (const row of rows) expect(row).toMatchObject({ state: 'processing', provider_payout_id: stripe.transfers.get(`payout:${row.id}`)!.id });

    // The confirming webhooks, each delivered twice, and a second confirmation of two payouts under new event ids.
    const confirm = (transfer: { id: string; amount: number; creatorId: string; idempotencyKey: string }, eventId: string): ProviderEvent => ({
      provider: 'stripe', id: eventId, type: 'payout.paid', handled: true, createdAt: new Date(), objectId: transfer.id, chargeId: null, payload: {},
      normalized: { kind: 'payout', payoutId: transfer.id, status: 'paid', amountMinor: BigInt(transfer.amount), currency: 'USD', creatorId: transfer.creatorId, idempotencyKey: transfer.idempotencyKey, failureCode: null },
    });
    const transfers = [...stripe.transfers.values()];
    for (const transfer of transfers) {
      const event = confirm(transfer, unique('evt'));
      expect((await receiveProviderEvent(dataSource, event)).outcome).toBe('stored');
      expect((await receiveProviderEvent(dataSource, event)).outcome).toBe('duplicate');
    }
    for (const transfer of transfers.slice(0, 2)) await receiveProviderEvent(dataSource, confirm(transfer, unique('evt')));
    const swept = await sweepProviderEvents(dataSource, { payout: payoutEventHandler(ledger) });
    expect(swept).toMatchObject({ done: PAYOUTS + 2, failed: 0 });

    const paid = await dataSource.query(
      `SELECT p.id, p.state,
              (SELECT count(*)::int FROM ledger_transactions t WHERE t.idempotency_key = 'payout:' || p.id || ':cash') AS cash,
              (SELECT count(*)::int FROM ledger_transactions t WHERE t.pending_id::text = p.reservation_transaction_id AND t.phase = 'post') AS posts
         FROM payouts p WHERE p.id = ANY($1::uuid[])`,
      [payouts.map((p) => p.id)],
    );
    expect(paid).toHaveLength(PAYOUTS);
    for (const row of paid) expect(row).toMatchObject({ state: 'paid', cash: 1, posts: 1 });
    for (const { creatorId } of payouts) expect((await ledger.balance(`creator:${creatorId}:diamonds`)).posted).toBe(1_000n);
    const report = await verifyLedger(dataSource);
    expect(report.violations).toEqual([]);
  });
});
