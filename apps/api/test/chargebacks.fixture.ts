import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger, verifyLedger } from '@coinops/ledger';
import {
  disputeHandler, earlyFraudWarningHandler, evaluateRecharge, processProviderEvent, SimulatedStripe,
  type ChargebackSettings, type ProviderEventHandlers, type ProviderEventOutcome, type StripeJson,
} from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApi } from './harness';

export const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

export interface Charged {
  userId: string;
  chargeId: string;
  rechargeId: string;
  event: StripeJson;
}

/**
 * Chargebacks the way production makes them: Stripe-format webhooks signed like the simulator signs
 * them, posted to the real API, then handed to the chargeback handlers by the provider-event
 * dispatcher (what the worker's job does), one stored event at a time in the order a test chooses.
 */
export class ChargebackFixture {
  readonly ledger: Ledger;
  readonly risk: RiskEngine;
  readonly sim: SimulatedStripe;
  private clockSeconds = Math.floor(Date.now() / 1000) - 5_000;

  constructor(readonly api: TestApi, readonly settings?: ChargebackSettings) {
    this.ledger = api.app.get(Ledger);
    this.risk = api.app.get(RiskEngine);
    // Provider time moves one second per object, so `created` orders events as Stripe's would.
    this.sim = new SimulatedStripe({ secret: loadConfig().STRIPE_WEBHOOK_SECRET, seed: unique('cb'), nowSeconds: () => (this.clockSeconds += 1) });
  }

  handlers(settings = this.settings): ProviderEventHandlers {
    return { dispute: disputeHandler({ ledger: this.ledger, risk: this.risk, settings }), early_fraud_warning: earlyFraudWarningHandler() };
  }

  async post(event: StripeJson) {
    const { body, signature } = this.sim.sign(event, Math.floor(Date.now() / 1000));
    const response = await request(this.api.http).post('/api/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
    if (response.status !== 200) throw new Error(`webhook ${event.type} answered ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { outcome: string; recharge_id?: string };
  }

  /** A charge stored through the webhook and evaluated as the worker does. */
  async charge(options: { userId?: string; coins?: bigint; amountMinor?: bigint; brand?: string; evaluate?: boolean } = {}): Promise<Charged> {
    const userId = options.userId ?? unique('u');
    const event = this.sim.charge({ userId, coins: options.coins ?? 1400n, amountMinor: options.amountMinor ?? 1999n, currency: 'USD', card: { brand: options.brand ?? 'visa', fingerprint: unique('fp') } });
    const receipt = await this.post(event);
    const rechargeId = receipt.recharge_id!;
    if (options.evaluate !== false) await this.evaluate(rechargeId);
    return { userId, chargeId: (event.data as { object: { id: string } }).object.id, rechargeId, event };
  }

  evaluate(rechargeId: string) {
    return this.api.dataSource.transaction((m) => evaluateRecharge(m, { risk: this.risk, ledger: this.ledger }, rechargeId));
  }

  /** Posts the event and processes its stored row; returns the dispatcher's outcome. */
  async deliver(event: StripeJson, settings = this.settings): Promise<ProviderEventOutcome> {
    await this.post(event);
    return this.process(event, settings);
  }

  async process(event: StripeJson, settings = this.settings): Promise<ProviderEventOutcome> {
    const [row] = await this.api.dataSource.query(`SELECT id::text FROM provider_events WHERE provider = 'stripe' AND provider_event_id = $1`, [event.id]);
    return processProviderEvent(this.api.dataSource, row.id, this.handlers(settings));
  }

  /** The same dispute object with another status, as a new event (what Stripe sends for inquiries and re-sends). */
  variant(event: StripeJson, status: string, type = event.type as string): StripeJson {
    const object = (event.data as { object: StripeJson }).object;
    return { ...event, id: unique('evt'), type, data: { object: { ...object, status } } };
  }

  disputeIdOf(event: StripeJson): string {
    return String((event.data as { object: { id: string } }).object.id);
  }

  async chargeback(disputeId: string) {
    const [row] = await this.api.dataSource.query(`SELECT * FROM chargebacks WHERE provider = 'stripe' AND dispute_id = $1`, [disputeId]);
    return row;
  }

  async coins(userId: string): Promise<bigint> {
    return (await this.ledger.balance(`user:${userId}:coins`)).posted;
  }

  async sendGift(senderId: string, creatorId: string, coins: number) {
    const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: unique('g'), sender_id: senderId, creator_id: creatorId, coins } });
    const response = await request(this.api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(loadConfig().EVENTS_SECRET, body)).send(body);
    if (response.status !== 200) throw new Error(`gift answered ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.gift as { id: string; diamonds: string };
  }

  /** Every ledger invariant holds (debts from clawbacks are allowed and listed). */
  async expectLedgerClean() {
    const report = await verifyLedger(this.api.dataSource);
    expect(report.violations).toEqual([]);
    return report;
  }

  async read(who: Parameters<TestApi['token']>[0], path: string, query: Record<string, string> = {}) {
    return request(this.api.http).get(`/api${path}`).query(query).set('Authorization', `Bearer ${await this.api.token(who)}`);
  }

  async command(who: Parameters<TestApi['token']>[0], path: string, body: Record<string, unknown> = {}) {
    return request(this.api.http).post(`/api${path}`).set('Authorization', `Bearer ${await this.api.token(who)}`).send(body);
  }
}
