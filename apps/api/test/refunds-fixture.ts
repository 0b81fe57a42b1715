import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger, verifyLedger } from '@coinops/ledger';
import {
  evaluateRecharge, executeRefund, processProviderEvent, refundEventHandler, SimulatedStripe, SimulatorProvider,
  type ProviderEventOutcome, type RefundExecution, type StripeJson,
} from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApi } from './harness';

export const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

type Who = Parameters<TestApi['token']>[0];

export interface Charged {
  userId: string;
  chargeId: string;
  rechargeId: string;
}

/**
 * Refunds the way production makes them: a charge at the simulated Stripe, stored through the real
 * webhook and evaluated as the worker does; refunds asked over HTTP; the worker's `refund.execute`
 * against the in-process SimulatorProvider; the `charge.refunded` it emits posted back to the API and
 * handed to the refunds' provider-event handler, as the worker's dispatcher does.
 */
export class RefundFixture {
  readonly ledger: Ledger;
  readonly risk: RiskEngine;
  readonly sim: SimulatedStripe;
  readonly provider: SimulatorProvider;
  private clockSeconds = Math.floor(Date.now() / 1000) - 5_000;

  constructor(readonly api: TestApi, providerOptions: { refundFailureShare?: number } = {}) {
    this.ledger = api.app.get(Ledger);
    this.risk = api.app.get(RiskEngine);
    const secret = loadConfig().STRIPE_WEBHOOK_SECRET;
    // Provider time moves one second per object, so `created` orders events as Stripe's would.
    this.sim = new SimulatedStripe({ secret, seed: unique('rf'), nowSeconds: () => (this.clockSeconds += 1) });
    this.provider = this.withProvider(providerOptions);
  }

  withProvider(options: { refundFailureShare?: number }): SimulatorProvider {
    return new SimulatorProvider(this.sim, { webhookSecret: loadConfig().STRIPE_WEBHOOK_SECRET, seed: unique('p'), callLatencyMs: { min: 0, max: 0 }, refundFailureShare: options.refundFailureShare ?? 0 });
  }

  stop() {
    this.provider.stop();
  }

  async post(event: StripeJson) {
    const { body, signature } = this.sim.sign(event, Math.floor(Date.now() / 1000));
    const response = await request(this.api.http).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
    if (response.status !== 200) throw new Error(`webhook ${event.type} answered ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { outcome: string; recharge_id?: string };
  }

  /** A charge stored through the webhook and evaluated as the worker does (credited unless a block list says otherwise). */
  async charge(options: { userId?: string; coins?: bigint; amountMinor?: bigint; currency?: string; fingerprint?: string } = {}): Promise<Charged> {
    const userId = options.userId ?? unique('u');
    const event = this.sim.charge({ userId, coins: options.coins ?? 1400n, amountMinor: options.amountMinor ?? 1999n, currency: options.currency ?? 'USD', card: { brand: 'visa', fingerprint: options.fingerprint ?? unique('fp') } });
    this.sim.takeEmitted();
    const receipt = await this.post(event);
    const rechargeId = receipt.recharge_id!;
    await this.api.dataSource.transaction((m) => evaluateRecharge(m, { risk: this.risk, ledger: this.ledger }, rechargeId));
    return { userId, chargeId: (event.data as { object: { id: string } }).object.id, rechargeId };
  }

  /** The worker's `refund.execute` for one refund, in a transaction of its own. */
  execute(refundId: string, provider: SimulatorProvider = this.provider, maxProviderAttempts = 6): Promise<RefundExecution> {
    return this.api.dataSource.transaction((m) => executeRefund(m, { provider, settings: { maxProviderAttempts } }, refundId));
  }

  /** Posts every event the simulated Stripe emitted since the last call and processes each stored row. */
  async deliverEmitted(): Promise<ProviderEventOutcome[]> {
    const outcomes: ProviderEventOutcome[] = [];
    for (const event of this.sim.takeEmitted()) outcomes.push(await this.deliver(event));
    return outcomes;
  }

  async deliver(event: StripeJson): Promise<ProviderEventOutcome> {
    await this.post(event);
    const [row] = await this.api.dataSource.query(`SELECT id::text FROM provider_events WHERE provider = 'stripe' AND provider_event_id = $1`, [event.id]);
    return processProviderEvent(this.api.dataSource, row.id, { charge_refunded: refundEventHandler({ ledger: this.ledger }) });
  }

  async refund(id: string) {
    const [row] = await this.api.dataSource.query(`SELECT * FROM refunds WHERE id = $1`, [id]);
    return row;
  }

  async rechargeState(id: string): Promise<string> {
    const [row] = await this.api.dataSource.query(`SELECT state FROM recharges WHERE id = $1`, [id]);
    return row.state;
  }

  async coins(userId: string): Promise<{ posted: bigint; available: bigint }> {
    const balance = await this.ledger.balance(`user:${userId}:coins`);
    return { posted: balance.posted, available: balance.available };
  }

  /** Reversal entries (posted, not holds) of a recharge's refunds. */
  async postedRefundEntries(rechargeId: string): Promise<number> {
    const [{ n }] = await this.api.dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_transactions t LEFT JOIN ledger_transactions p ON p.id = t.pending_id
        WHERE COALESCE(t.reference_id, p.reference_id) = $1 AND t.type = 'refund' AND t.phase IN ('single', 'post')`,
      [rechargeId],
    );
    return n;
  }

  async sendGift(senderId: string, creatorId: string, coins: number) {
    const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: unique('g'), sender_id: senderId, creator_id: creatorId, coins } });
    const response = await request(this.api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(loadConfig().EVENTS_SECRET, body)).send(body);
    if (response.status !== 200) throw new Error(`gift answered ${response.status} ${JSON.stringify(response.body)}`);
  }

  async expectLedgerClean() {
    const report = await verifyLedger(this.api.dataSource);
    expect(report.violations).toEqual([]);
  }

  async read(who: Who, path: string, query: Record<string, string> = {}) {
    return request(this.api.http).get(`/api${path}`).query(query).set('Authorization', `Bearer ${await this.api.token(who)}`);
  }

  async command(who: Who, path: string, body: Record<string, unknown> = {}) {
    return request(this.api.http).post(`/api${path}`).set('Authorization', `Bearer ${await this.api.token(who)}`).send(body);
  }
}
