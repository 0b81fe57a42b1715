import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger, verifyLedger } from '@coinops/ledger';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
export const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;
const DAY_MS = 86_400_000;

/** A creator who can be paid: verified KYC, tax form, payout currency (each overridable). */
export interface CreatorOptions {
  kyc?: 'none' | 'pending' | 'verified' | 'rejected';
  taxForm?: string | null;
  currency?: string;
}

/**
 * Builds payout scenarios through the real API: signed platform events for creators, gifts and payout
 * requests; the one primitive the recharge flow uses to fund senders (no worker in API tests).
 */
export class PayoutFixture {
  constructor(readonly api: TestApi) {}

  send(type: string, data: Record<string, unknown>, options: { id?: string; occurredAt?: Date } = {}) {
    const body = JSON.stringify({ id: options.id ?? unique('evt'), type, occurred_at: (options.occurredAt ?? new Date()).toISOString(), data });
    return request(this.api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
  }

  async creator(options: CreatorOptions = {}): Promise<{ creatorId: string; userId: string }> {
    const [creatorId, userId] = [unique('c'), unique('cu')];
    await this.user(userId, 400);
    const data: Record<string, unknown> = { creator_id: creatorId, user_id: userId, country: 'US', payout_currency: options.currency ?? 'USD', kyc_status: options.kyc ?? 'verified' };
    if (options.taxForm !== null) data.tax_form = options.taxForm ?? 'W-9';
    const response = await this.send('creator.created', data);
    if (response.status !== 200) throw new Error(`creator.created: ${response.status} ${JSON.stringify(response.body)}`);
    return { creatorId, userId };
  }

  /** A platform user whose account is `ageDays` old (first seen then). */
  async user(userId: string, ageDays: number): Promise<void> {
    const response = await this.send('user.created', { user_id: userId, country: 'US', birth_year: 1990 });
    if (response.status !== 200) throw new Error(`user.created: ${response.status} ${JSON.stringify(response.body)}`);
    await this.api.dataSource.query(`UPDATE users SET created_at = now() - make_interval(days => $2) WHERE id = $1`, [userId, ageDays]);
  }

  /** The creator earns `diamonds` from one gift sent `daysAgo` days ago by a sender whose account is `senderAgeDays` old. */
  async earn(creatorId: string, diamonds: bigint, options: { daysAgo?: number; senderAgeDays?: number; senderId?: string } = {}): Promise<string> {
    const senderId = options.senderId ?? unique('u');
    if (!options.senderId) await this.user(senderId, options.senderAgeDays ?? 400);
    const coins = diamonds * 2n; // the default economy: 1 diamond per 2 coins
    await this.api.app.get(Ledger).creditRecharge({ rechargeId: unique('r'), userId: senderId, coins, amountMinor: coins, currency: 'USD', provider: 'stripe' });
    const occurredAt = new Date(Date.now() - (options.daysAgo ?? 30) * DAY_MS);
    const response = await this.send('gift.sent', { gift_id: unique('g'), sender_id: senderId, creator_id: creatorId, coins: coins.toString() }, { occurredAt });
    if (response.status !== 200) throw new Error(`gift.sent: ${response.status} ${JSON.stringify(response.body)}`);
    return senderId;
  }

  /** payout.requested from the platform; returns the event's answer and the payout row, if any. */
  async request(creatorId: string, diamonds: bigint | number, options: { payoutId?: string; method?: string } = {}) {
    const payoutId = options.payoutId ?? unique('po');
    const data: Record<string, unknown> = { payout_id: payoutId, creator_id: creatorId, diamonds: diamonds.toString() };
    if (options.method) data.method = options.method;
    const response = await this.send('payout.requested', data);
    const [row] = await this.api.dataSource.query(`SELECT * FROM payouts WHERE payout_id = $1`, [payoutId]);
    return { response, payout: row as Record<string, any> | undefined, payoutId }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  async as(who: Parameters<TestApi['token']>[0]) {
    return `Bearer ${await this.api.token(who)}`;
  }

  get(id: string, who: Parameters<TestApi['token']>[0] = 'finance') {
    return this.as(who).then((auth) => request(this.api.http).get(`/api/payouts/${id}`).set('Authorization', auth));
  }

  post(path: string, body: Record<string, unknown>, who: Parameters<TestApi['token']>[0] = 'finance') {
    return this.as(who).then((auth) => request(this.api.http).post(`/api/payouts${path}`).set('Authorization', auth).send(body));
  }

  async activeHolds(payoutId: string): Promise<string[]> {
    const rows = await this.api.dataSource.query(`SELECT reason FROM payout_holds WHERE payout_id = $1 AND released_at IS NULL ORDER BY reason`, [payoutId]);
    return rows.map((r: { reason: string }) => r.reason);
  }

  async diamonds(creatorId: string): Promise<{ posted: bigint; available: bigint; pending: bigint }> {
    const balance = await this.api.app.get(Ledger).balance(`creator:${creatorId}:diamonds`);
    return { posted: balance.posted, available: balance.available, pending: balance.pendingDebits };
  }

  /** Every ledger invariant holds (the suite's teardown checks it again at the end). */
  async expectLedgerClean(): Promise<void> {
    const report = await verifyLedger(this.api.dataSource);
    if (!report.ok) throw new Error(`ledger not clean: ${JSON.stringify(report.violations.slice(0, 5))}`);
  }
}
