import { systemActor } from '@coinops/access';
import { Ledger } from '@coinops/ledger';
import { evaluateRecharge, recordRecharge } from '@coinops/payments';
import { openRechargeReview } from '@coinops/reviews';
import { RiskEngine } from '@coinops/risk';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApi } from './harness';

export const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

export interface HeldRecharge {
  userId: string;
  rechargeId: string;
  reviewId: string;
  card: string;
  device: string;
  ip: string;
}

export interface RechargeShape {
  userId?: string;
  coins?: bigint;
  amountMinor?: bigint;
  card?: string;
  device?: string;
  ip?: string;
  binCountry?: string;
  method?: 'card' | 'apple_pay' | 'google_pay' | 'paypal';
}

const randomIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;

/**
 * Review items the way production makes them: a recharge stored as the webhook stores it, then evaluated
 * as the worker does. A first recharge of 20,000 coins on an account the platform never told us about
 * (so a new one) matches the default rule `large_first_recharge_new_account` and is held.
 */
export class ReviewFixture {
  readonly risk: RiskEngine;
  readonly ledger: Ledger;

  constructor(readonly api: TestApi) {
    this.risk = api.app.get(RiskEngine);
    this.ledger = api.app.get(Ledger);
  }

  async heldRecharge(shape: RechargeShape = {}): Promise<HeldRecharge> {
    const recharge = await this.recharge(shape);
    const evaluation = await this.api.dataSource.transaction((m) => evaluateRecharge(m, { risk: this.risk, ledger: this.ledger }, recharge.rechargeId));
    if (evaluation.state !== 'held' || !evaluation.reviewId) throw new Error(`expected the recharge to be held, it was ${evaluation.state} (${evaluation.decision})`);
    return { ...recharge, reviewId: evaluation.reviewId };
  }

  /**
   * A second held recharge of a user whose item is still active: held and added to the item as the
   * evaluation does, without depending on which velocity rule a second recharge would match.
   */
  async anotherHeld(userId: string, shape: RechargeShape = {}): Promise<HeldRecharge> {
    const recharge = await this.recharge({ ...shape, userId });
    const reviewId = await this.api.dataSource.transaction(async (m) => {
      const hold = await this.ledger.holdRecharge({ rechargeId: recharge.rechargeId, userId, coins: shape.coins ?? 20_000n, amountMinor: shape.amountMinor ?? 19_999n, currency: 'USD', provider: 'stripe' }, { manager: m });
      await m.query(`UPDATE recharges SET state = 'held', decision = 'review', ledger_transaction_id = $2, evaluated_at = now() WHERE id = $1`, [recharge.rechargeId, hold.id]);
      const review = await openRechargeReview(m, systemActor('test'), { userId, rechargeId: recharge.rechargeId, holdTransactionId: hold.id, decisionId: null, severity: 'high', ruleKeys: ['stolen_card_burst'], reason: 'test hold' });
      return review.reviewId;
    });
    return { ...recharge, reviewId };
  }

  async recharge(shape: RechargeShape = {}): Promise<Omit<HeldRecharge, 'reviewId'>> {
    const userId = shape.userId ?? unique('u');
    const card = shape.card ?? unique('fp');
    const device = shape.device ?? unique('dev');
    const ip = shape.ip ?? randomIp();
    const { rechargeId } = await this.api.dataSource.transaction((m) =>
      recordRecharge(m, {
        provider: 'stripe',
        providerRef: unique('ch'),
        userId,
        method: shape.method ?? 'card',
        coins: shape.coins ?? 20_000n,
        amountMinor: shape.amountMinor ?? 19_999n,
        currency: 'USD',
        cardFingerprint: card,
        cardBrand: 'visa',
        cardLast4: '4242',
        binCountry: shape.binCountry ?? 'US',
        deviceId: device,
        ip,
        occurredAt: new Date(),
      }),
    );
    return { userId, rechargeId, card, device, ip };
  }

  /** Calls a review command as an operator. */
  async command(who: Parameters<TestApi['token']>[0] | string, path: string, body: Record<string, unknown> = {}) {
    const token = who.includes('.') ? who : await this.api.token(who as Parameters<TestApi['token']>[0]);
    return request(this.api.http).post(`/api${path}`).set('Authorization', `Bearer ${token}`).send(body);
  }

  async read(who: Parameters<TestApi['token']>[0], path: string, query: Record<string, string> = {}) {
    return request(this.api.http).get(`/api${path}`).query(query).set('Authorization', `Bearer ${await this.api.token(who)}`);
  }

  /** A second trust and safety operator (the demo seed has one), signed in. */
  async secondAnalyst(): Promise<{ id: string; token: string }> {
    const email = `${unique('ts2')}@coinops.dev`.replace(/_/g, '-');
    const password = 'analyst-password-2026';
    const created = await this.command('admin', '/operators', { email, name: 'Second Analyst', role: 'trust_safety', password });
    if (created.status !== 201) throw new Error(`creating an analyst failed: ${created.status} ${JSON.stringify(created.body)}`);
    const login = await request(this.api.http).post('/api/auth/login').send({ email, password });
    return { id: created.body.id, token: login.body.token };
  }
}
