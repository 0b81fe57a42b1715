import { SeededRandom, type SimulatedStripe } from '@coinops/payments';
import type { Outgoing } from './sender';

export interface WorkloadOptions {
  seed: string;
  stripe: SimulatedStripe;
  /** Distinct users; each gets a user.created before it recharges. */
  users: number;
  creators: number;
  /** Users funded before the run (not through recharges): half the gifts come from them, so they post even while no worker is up. */
  wallets: readonly string[];
}

/** One package: 70 coins for 0.99 USD; a recharge buys 1-10 of them. */
const COINS_PER_PACKAGE = 70n;
const CENTS_PER_PACKAGE = 99n;
/** The default "large first recharge on a new account" rule sends these to review (libs/risk default pack). */
const REVIEW_SIZED_PACKAGES = 300n;

/**
 * The platform and Stripe as the suite's driver sees them: new users, Stripe charges, platform recharges
 * (app stores) and gifts from users who have recharged, in a seeded order. Gifts are small against the
 * recharges, so most are posted; one sent before its sender's coins are credited is refused (409), which
 * is also a final, remembered answer. New flows add their message here and their check in effects.ts.
 */
export class Workload {
  private readonly random: SeededRandom;
  private readonly known: string[] = [];
  private readonly funded: string[] = [];
  private sequence = 0;
  private readonly runTag: string;

  constructor(private readonly options: WorkloadOptions) {
    this.random = new SeededRandom(options.seed).fork('workload');
    this.runTag = this.random.id('run', 8).slice(4);
  }

  next(): Outgoing {
    this.sequence += 1;
    if (this.known.length < this.options.users && (this.known.length < 5 || this.random.chance(0.15))) return this.userCreated();
    const roll = this.random.next();
    if (roll < 0.3 || this.funded.length === 0) return this.stripeCharge();
    if (roll < 0.45) return this.platformRecharge();
    return this.gift();
  }

  private id(kind: string): string {
    return `${kind}_${this.runTag}_${this.sequence}`;
  }

  private platformEvent(type: string, data: Record<string, unknown>): Record<string, unknown> {
    return { id: this.id('evt'), type, occurred_at: new Date().toISOString(), data };
  }

  private userCreated(): Outgoing {
    const userId = `u_${this.runTag}_${this.known.length}`;
    this.known.push(userId);
    const data = { user_id: userId, country: this.random.pick(['US', 'GB', 'DE', 'BR', 'JP']), birth_year: this.random.int(1960, 2004), device_id: `dev-${userId}` };
    return { kind: 'user', businessKey: userId, channel: 'events', payload: this.platformEvent('user.created', data) };
  }

  private stripeCharge(): Outgoing {
    const userId = this.random.pick(this.known);
    const firstTime = !this.funded.includes(userId);
    const packages = firstTime && this.random.chance(0.1) ? REVIEW_SIZED_PACKAGES : BigInt(this.random.int(1, 10));
    this.fund(userId);
    const event = this.options.stripe.charge({
      userId,
      coins: packages * COINS_PER_PACKAGE,
      amountMinor: packages * CENTS_PER_PACKAGE,
      currency: 'USD',
      deviceId: `dev-${userId}`,
      card: { fingerprint: `fp${userId.replace(/[^a-zA-Z0-9]/g, '')}` },
    });
    const chargeId = (event.data as { object: { id: string } }).object.id;
    return { kind: 'stripe_charge', businessKey: chargeId, channel: 'stripe', payload: event };
  }

  private platformRecharge(): Outgoing {
    const userId = this.random.pick(this.known);
    this.fund(userId);
    const packages = BigInt(this.random.int(1, 10));
    const rechargeId = this.id('rch');
    const data = {
      recharge_id: rechargeId,
      user_id: userId,
      method: this.random.pick(['app_store', 'play_store'] as const),
      coins: String(packages * COINS_PER_PACKAGE),
      amount: String(packages * CENTS_PER_PACKAGE),
      currency: 'USD',
      device_id: `dev-${userId}`,
    };
    return { kind: 'platform_recharge', businessKey: rechargeId, channel: 'events', payload: this.platformEvent('recharge.succeeded', data) };
  }

  private gift(): Outgoing {
    const giftId = this.id('gift');
    const data = {
      gift_id: giftId,
      sender_id: this.options.wallets.length && this.random.chance(0.5) ? this.random.pick(this.options.wallets) : this.random.pick(this.funded),
      creator_id: `c_${this.runTag}_${this.random.int(0, this.options.creators - 1)}`,
      coins: String(this.random.int(1, 30)),
      gift_type: 'rose',
    };
    return { kind: 'gift', businessKey: giftId, channel: 'events', payload: this.platformEvent('gift.sent', data) };
  }

  private fund(userId: string): void {
    if (!this.funded.includes(userId)) this.funded.push(userId);
  }
}
