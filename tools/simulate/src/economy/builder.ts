import type { SeededRandom } from '@coinops/payments';
import { COUNTRIES, GIFT_TYPES, viaStripe, type Offer } from './catalog';
import type { Action, Card, PlannedEvent, SimCreator, SimUser } from './model';

/** Where a recharge comes from when it differs from the user's usual: a stolen card, a new device. */
export interface RechargeOverrides {
  card?: Card;
  deviceId?: string;
  ip?: string;
  /** Force the Stripe path (stolen cards are always cards). */
  method?: SimUser['method'];
}

/**
 * Accumulates the plan's actions with sequential ids, and the coins each user should have if every
 * recharge were credited (a gift is planned only against those: when risk holds or blocks a recharge,
 * the API answers the gift 409, as it would in production).
 */
export class PlanBuilder {
  readonly actions: Action[] = [];
  private readonly coins = new Map<string, number>();
  private readonly diamonds = new Map<string, number>();
  private sequence = 0;

  constructor(
    public random: SeededRandom,
    readonly prefix: string,
    private readonly horizonMs: number,
  ) {}

  /** Runs `make` drawing from another stream (fraud), so it cannot shift the legitimate economy's draws. */
  withRandom<T>(random: SeededRandom, make: () => T): T {
    const own = this.random;
    this.random = random;
    try {
      return make();
    } finally {
      this.random = own;
    }
  }

  nextId(kind: string): string {
    this.sequence += 1;
    return `${this.prefix}${kind}${this.sequence}`;
  }

  balance(userId: string): number {
    return this.coins.get(userId) ?? 0;
  }

  creatorDiamonds(creatorId: string): number {
    return this.diamonds.get(creatorId) ?? 0;
  }

  /** Activity happens inside the simulated span; only profiles may predate it (accounts created earlier). */
  inRange(atMs: number): boolean {
    return atMs >= 0 && atMs <= this.horizonMs;
  }

  event(atMs: number, event: PlannedEvent): void {
    if (atMs <= this.horizonMs) this.actions.push({ atMs, kind: 'event', event });
  }

  /** A recharge by the user's method (or the overrides'); returns its plan reference. */
  recharge(atMs: number, user: SimUser, offer: Offer, overrides: RechargeOverrides = {}): string | null {
    if (!this.inRange(atMs)) return null;
    const method = overrides.method ?? user.method;
    const currency = COUNTRIES.find((c) => c.code === user.country)?.currency ?? 'USD';
    const deviceId = overrides.deviceId ?? user.deviceId;
    const ip = overrides.ip ?? user.ip;
    this.coins.set(user.id, this.balance(user.id) + offer.coins);
    if (viaStripe(method)) {
      const ref = this.nextId('ch');
      const card = overrides.card ?? user.card;
      if (!card) throw new Error(`user ${user.id} pays by ${method} without a card`);
      this.actions.push({
        atMs, kind: 'charge',
        charge: {
          ref, userId: user.id, coins: offer.coins, amountMinor: offer.priceMinor, currency, packageId: offer.packageId, deviceId, ip, card,
          wallet: method === 'apple_pay' || method === 'google_pay' ? method : null,
        },
      });
      return ref;
    }
    const ref = this.nextId('rc');
    this.event(atMs, {
      id: `evt_${ref}`,
      type: 'recharge.succeeded',
      data: {
        recharge_id: ref, user_id: user.id, method, coins: offer.coins, amount: offer.priceMinor, currency,
        ...(offer.packageId ? { package_id: offer.packageId } : {}), device_id: deviceId, ip,
      },
    });
    return ref;
  }

  /** A gift of at most `maxCoins` (and what the sender should have), or null when nothing is left. */
  gift(atMs: number, sender: SimUser, creator: SimCreator, maxCoins: number, sessionId?: string): string | null {
    if (!this.inRange(atMs)) return null;
    const budget = Math.min(maxCoins, this.balance(sender.id));
    const affordable = GIFT_TYPES.filter((g) => g.coins <= budget);
    if (!affordable.length) return null;
    const type = affordable[Math.min(affordable.length - 1, Math.floor(this.random.next() ** 0.7 * affordable.length))];
    const count = Math.max(1, Math.min(Math.floor(budget / type.coins), this.random.int(1, type.coins >= 1000 ? 1 : 10)));
    return this.giftExactly(atMs, sender, creator, type.coins * count, type.name, sessionId);
  }

  /** A gift of exactly `coins` (draining a balance). */
  giftExactly(atMs: number, sender: SimUser, creator: SimCreator, coins: number, giftType: string, sessionId?: string): string | null {
    if (!this.inRange(atMs) || coins <= 0) return null;
    const giftId = this.nextId('g');
    this.coins.set(sender.id, this.balance(sender.id) - coins);
    this.diamonds.set(creator.id, this.creatorDiamonds(creator.id) + Math.floor(coins / 2));
    this.event(atMs, {
      id: `evt_${giftId}`,
      type: 'gift.sent',
      data: { gift_id: giftId, sender_id: sender.id, creator_id: creator.id, coins, gift_type: giftType, ...(sessionId ? { live_session_id: sessionId } : {}) },
    });
    return giftId;
  }

  payoutRequest(atMs: number, creator: SimCreator, diamonds: number): string | null {
    if (!this.inRange(atMs) || diamonds <= 0) return null;
    const payoutId = this.nextId('po');
    this.diamonds.set(creator.id, this.creatorDiamonds(creator.id) - diamonds);
    this.event(atMs, { id: `evt_${payoutId}`, type: 'payout.requested', data: { payout_id: payoutId, creator_id: creator.id, diamonds, method: creator.payoutAccount } });
    return payoutId;
  }

  dispute(atMs: number, chargeRef: string, reason: string): void {
    if (this.inRange(atMs)) this.actions.push({ atMs, kind: 'dispute', chargeRef, reason });
  }

  earlyFraudWarning(atMs: number, chargeRef: string): void {
    if (this.inRange(atMs)) this.actions.push({ atMs, kind: 'early_fraud_warning', chargeRef });
  }

  refundRequest(atMs: number, rechargeRef: string, reason: string, overrideSpentCoins = false): void {
    if (this.inRange(atMs)) this.actions.push({ atMs, kind: 'refund_request', rechargeRef, reason, overrideSpentCoins });
  }
}
