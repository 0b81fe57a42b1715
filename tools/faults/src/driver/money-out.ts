import { SeededRandom } from '@coinops/payments';
import { sleep } from '../services';
import type { OperatorClient, SimClient } from './operator';
import type { Sender, SendRecord } from './sender';

/** How many of each money-out flow one run drives (modest: each waits on webhooks and schedules). */
export interface MoneyOutPlan {
  /** Refunds up to the four-eyes threshold (approved at once) and above it (approved by support2). */
  refunds: number;
  largeRefunds: number;
  /** Disputes opened at the simulator and closed, alternately won and lost. */
  disputes: number;
  /** Payouts up to the dual-approval threshold (finance) and above it (finance, then finance2). */
  payouts: number;
  largePayouts: number;
}

export interface MoneyOutOptions {
  seed: string;
  plan: MoneyOutPlan;
  /** The driver's send window: refunds and disputes start spread over its first 70 %, payouts over its first 30 %. */
  windowMs: number;
  /** How long one step (a recharge decided, a payout approvable) is waited for before it is given up. */
  stepTimeoutMs: number;
  sender: Sender;
  operator: OperatorClient;
  sim: SimClient;
  /** Pre-funded users: the payout creators' diamonds come from their gifts (never disputed, never young). */
  wallets: readonly string[];
}

/** What the money-out driver saw along the way that the effect counts cannot show. */
export interface MoneyOutFigures {
  approvals: number;
  /** Things that went wrong on the way (a payout left on hold, a recharge never decided): named, each a failure. */
  problems: string[];
  /** Charges refunded through coinops, with the amount each should show refunded at the simulator. */
  refundedCharges: Array<{ chargeId: string; amountMinor: number }>;
  /** How long each flow took from its start, with the time of each step (ms), slowest first (the report shows a few). */
  durations: Array<{ flow: string; ms: number; steps: string }>;
}

/** The payouts' dual-approval threshold the suite sets (PAYOUT_DUAL_APPROVAL_USD_MINOR): 50 USD = 10,000 diamonds. */
export const PAYOUT_DUAL_APPROVAL_USD_MINOR = 5_000;
const COINS_PER_PACKAGE = 70n;
const CENTS_PER_PACKAGE = 99n;
/** 60 packages = 59.40 USD: above the refunds' four-eyes threshold (50 USD), far below the risk rules' large-recharge line. */
const LARGE_REFUND_PACKAGES = 60n;

/**
 * The money-out flows beside the driver's messages, through the interfaces a platform, Stripe and the
 * operators use: refund requests by support (auto-approved, or approved by support2 above the threshold)
 * on charges made at the Stripe simulator; disputes opened and closed at the simulator; creators with KYC
 * and a tax form, paid in gifts, asking for payouts that finance (and finance2) approve and the worker pays
 * through the simulator's transfers. Each action is a `SendRecord` the effect checks count.
 */
export class MoneyOut {
  readonly figures: MoneyOutFigures = { approvals: 0, problems: [], refundedCharges: [], durations: [] };
  private readonly random: SeededRandom;
  private readonly tag: string;

  constructor(private readonly options: MoneyOutOptions) {
    this.random = new SeededRandom(options.seed).fork('money-out');
    this.tag = this.random.id('mo', 8).slice(3).replace(/[^A-Za-z0-9]/g, '');
  }

  /** Every flow of the plan, spread over the window; resolves when each has been driven to its end (or given up). */
  async run(): Promise<void> {
    const { plan, windowMs } = this.options;
    const tasks: Array<() => Promise<void>> = [
      ...Array.from({ length: plan.refunds }, (_, i) => () => this.timed(`refund ${i}`, (f) => this.refund(i, false, f))),
      ...Array.from({ length: plan.largeRefunds }, (_, i) => () => this.timed(`refund ${plan.refunds + i} (large)`, (f) => this.refund(plan.refunds + i, true, f))),
      ...Array.from({ length: plan.disputes }, (_, i) => () => this.timed(`dispute ${i}`, (f) => this.dispute(i, i % 2 === 0 ? 'won' : 'lost', f))),
      ...Array.from({ length: plan.payouts }, (_, i) => () => this.timed(`payout ${i}`, (f) => this.payout(i, false, f))),
      ...Array.from({ length: plan.largePayouts }, (_, i) => () => this.timed(`payout ${plan.payouts + i} (large)`, (f) => this.payout(plan.payouts + i, true, f))),
    ];
    // The wallets' profiles first: a sender whose user row the gift itself creates counts as a young account
    // (first seen at the gift), and a creator paid mostly by young accounts is held (flagged_gift_sources).
    await Promise.all(this.options.wallets.map((userId) => {
      const data = { user_id: userId, country: 'US', birth_year: 1980, device_id: `dev-${userId}` };
      return this.options.sender.send({ kind: 'user', businessKey: userId, channel: 'events', payload: this.platformEvent('user.created', data, userId) });
    }));
    // Payouts early (the first third): their batches then run, and a worker dies in one, while the driver still
    // sends, and the recovery (the killed run's job comes back when its lock expires) overlaps the sending.
    const payoutTasks = plan.payouts + plan.largePayouts;
    const order = tasks.map((task, i) => ({ task, at: this.random.int(0, Math.floor(windowMs * (i >= tasks.length - payoutTasks ? 0.3 : 0.7))) }));
    await Promise.all(
      order.map(async ({ task, at }) => {
        await sleep(at);
        await task().catch((error: Error) => void this.figures.problems.push(`money-out driver: ${error.message}`));
      }),
    );
  }

  private async timed(flow: string, run: (step: (what: string) => void) => Promise<void>): Promise<void> {
    const startedAt = Date.now();
    const steps: string[] = [];
    try {
      await run((what) => steps.push(`${what} +${Date.now() - startedAt}`));
    } finally {
      this.figures.durations.push({ flow, ms: Date.now() - startedAt, steps: steps.join(', ') });
      this.figures.durations.sort((a, b) => b.ms - a.ms);
    }
  }

  private async user(prefix: string, i: number): Promise<string> {
    const userId = `${prefix}_${this.tag}_${i}`;
    const data = { user_id: userId, country: 'US', birth_year: 1985, device_id: `dev-${userId}` };
    await this.options.sender.send({ kind: 'user', businessKey: userId, channel: 'events', payload: this.platformEvent('user.created', data, userId) });
    return userId;
  }

  private platformEvent(type: string, data: Record<string, unknown>, key: string): Record<string, unknown> {
    return { id: `evt_${type.replace('.', '_')}_${key}`, type, occurred_at: new Date().toISOString(), data };
  }

  /** A card charge made at the Stripe simulator, which delivers its `charge.succeeded` webhook itself. */
  private async charge(userId: string, packages: bigint): Promise<SendRecord | null> {
    const answer = await this.options.sim.control('/sim/charges', {
      user_id: userId,
      coins: String(packages * COINS_PER_PACKAGE),
      amount: String(packages * CENTS_PER_PACKAGE),
      currency: 'USD',
      device_id: `dev-${userId}`,
      card: { fingerprint: `fp${userId.replace(/[^A-Za-z0-9]/g, '')}`, brand: 'visa', country: 'US', last4: '4242' },
    });
    if (answer.status !== 200) {
      this.figures.problems.push(`/sim/charges for ${userId}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      return null;
    }
    const record = this.options.sender.track({ kind: 'sim_charge', businessKey: answer.body.id, channel: 'sim', payload: answer.body }, answer.body.event_id);
    record.attempts = 1;
    record.ackStatus = 200;
    return record;
  }

  /** Waits until the worker decided the recharge of a charge; returns it (id, state) or null after the step timeout. */
  private async decided(chargeId: string): Promise<{ id: string; state: string } | null> {
    const deadline = Date.now() + this.options.stepTimeoutMs;
    const filter = encodeURIComponent(JSON.stringify({ provider_ref: chargeId }));
    let last = '';
    while (Date.now() < deadline) {
      const answer = await this.options.operator.call('support', 'GET', `/api/recharges?filter=${filter}`);
      const row = Array.isArray(answer.body) ? answer.body[0] : undefined;
      if (row && row.state !== 'received') return { id: row.id, state: row.state };
      last = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
      await sleep(500);
    }
    this.figures.problems.push(`recharge of charge ${chargeId} not decided within ${this.options.stepTimeoutMs} ms (last answer: ${last})`);
    return null;
  }

  private async refund(i: number, large: boolean, step: (what: string) => void): Promise<void> {
    const userId = await this.user('ru', i);
    const packages = large ? LARGE_REFUND_PACKAGES : BigInt(this.random.int(1, 10));
    step('user');
    const charge = await this.charge(userId, packages);
    if (!charge) return;
    const chargeId = charge.businessKey;
    const recharge = await this.decided(chargeId);
    step('charge decided');
    if (!recharge) return;
    if (recharge.state !== 'credited') {
      this.figures.problems.push(`refund of ${chargeId} not asked: its recharge is ${recharge.state}, not credited`);
      return;
    }
    const amountMinor = Number(packages * CENTS_PER_PACKAGE);
    const record = this.options.sender.track({ kind: 'refund', businessKey: chargeId, channel: 'operator', payload: { recharge_id: recharge.id, amount_minor: amountMinor, large } }, `refund-${chargeId}`);
    const ask = () => this.options.operator.call('support', 'POST', '/api/refunds', { recharge_id: recharge.id, reason: 'fault suite: the customer asked for a refund' });
    const asked = await ask();
    record.attempts = 1 + asked.failedAttempts;
    record.failedAttempts = asked.failedAttempts;
    let refundId: string | undefined = asked.status === 201 || asked.status === 200 ? asked.body.id : undefined;
    if (!refundId) refundId = await this.findRefund(recharge.id); // a retry after a lost answer finds the first one (409: nothing left to refund)
    if (!refundId) {
      record.lastProblem = `POST /api/refunds answered ${asked.status} ${JSON.stringify(asked.body).slice(0, 300)}`;
      return;
    }
    step('refund asked');
    this.figures.refundedCharges.push({ chargeId, amountMinor });
    // A double click: the same full refund asked again must be refused (nothing left to refund), not made twice.
    if (this.random.chance(0.3)) {
      record.copies += 1;
      const again = await ask();
      if (again.status === 201 || again.status === 200) record.lastProblem = `the same refund asked twice was accepted twice (${again.body?.id})`;
    }
    if (large) {
      const approved = await this.options.operator.call('support2', 'POST', `/api/refunds/${refundId}/approve`, { reason: 'fault suite: second operator approves' });
      record.failedAttempts += approved.failedAttempts;
      this.figures.approvals += 1;
      step('approved');
      if (approved.status !== 200 && approved.status !== 201 && approved.status !== 409) {
        record.lastProblem = `approve answered ${approved.status} ${JSON.stringify(approved.body).slice(0, 300)}`;
        return;
      }
    }
    record.ackStatus = 201;
  }

  private async findRefund(rechargeId: string): Promise<string | undefined> {
    const filter = encodeURIComponent(JSON.stringify({ recharge_id: rechargeId }));
    const answer = await this.options.operator.call('support', 'GET', `/api/refunds?filter=${filter}`);
    return Array.isArray(answer.body) ? answer.body[0]?.id : undefined;
  }

  private async dispute(i: number, outcome: 'won' | 'lost', step: (what: string) => void): Promise<void> {
    const userId = await this.user('du', i);
    step('user');
    const charge = await this.charge(userId, BigInt(this.random.int(2, 10)));
    if (!charge) return;
    const recharge = await this.decided(charge.businessKey);
    step('charge decided');
    if (!recharge) return;
    const opened = await this.options.sim.control('/sim/disputes', { charge: charge.businessKey, reason: 'fraudulent' });
    if (opened.status !== 200) {
      this.figures.problems.push(`/sim/disputes on ${charge.businessKey}: HTTP ${opened.status}`);
      return;
    }
    const disputeId: string = opened.body.id;
    const record = this.options.sender.track({ kind: 'dispute', businessKey: disputeId, channel: 'sim', payload: { outcome, charge: charge.businessKey, recharge_state: recharge.state } }, opened.body.event_id);
    record.attempts = 1;
    await sleep(this.random.int(500, 4_000));
    if (this.random.chance(0.5)) await this.options.sim.control(`/sim/disputes/${disputeId}/update`, { status: 'under_review' });
    const closed = await this.options.sim.control(`/sim/disputes/${disputeId}/close`, { outcome });
    step('closed');
    if (closed.status !== 200) {
      record.lastProblem = `close answered ${closed.status}`;
      return;
    }
    record.ackStatus = 200;
  }

  private async payout(i: number, large: boolean, step: (what: string) => void): Promise<void> {
    const { sender } = this.options;
    const creatorId = `pc_${this.tag}_${i}`;
    const creator = { creator_id: creatorId, country: 'US', payout_currency: 'USD', kyc_status: 'verified', tax_form: 'W-9' };
    const created = await sender.send({ kind: 'creator', businessKey: creatorId, channel: 'events', payload: this.platformEvent('creator.created', creator, creatorId) });
    step('creator');
    if (created.ackStatus === null) return;
    // Diamonds are half the gifted coins (diamonds_per_coin 1/2): two gifts of `diamonds` coins each earn them.
    const diamonds = large ? this.random.int(12_000, 16_000) : this.random.int(2_400, 6_000);
    for (const part of [0, 1]) {
      const giftId = `gift_${creatorId}_${part}`;
      // diamonds + 1 coins: each gift's diamonds are rounded down, and the two must cover the payout.
      const data = { gift_id: giftId, sender_id: this.random.pick(this.options.wallets), creator_id: creatorId, coins: String(diamonds + 1), gift_type: 'lion' };
      const gift = await sender.send({ kind: 'gift', businessKey: giftId, channel: 'events', payload: this.platformEvent('gift.sent', data, giftId) });
      if (gift.ackStatus !== 200) {
        this.figures.problems.push(`gift ${giftId} for a payout refused: ${gift.ackStatus} ${gift.lastProblem ?? ''}`);
        return;
      }
    }
    const payoutId = `po_${creatorId}`;
    const request = { payout_id: payoutId, creator_id: creatorId, diamonds: String(diamonds), method: `acct_${creatorId.replace(/[^A-Za-z0-9]/g, '')}` };
    const requested = await sender.send({ kind: 'payout', businessKey: payoutId, channel: 'events', payload: this.platformEvent('payout.requested', request, payoutId) });
    if (requested.ackStatus !== 200) {
      this.figures.problems.push(`payout ${payoutId} refused: ${requested.ackStatus} ${requested.lastProblem ?? ''}`);
      return;
    }
    step('requested');
    if (this.random.chance(0.3)) await sender.duplicate(requested);
    await this.approve(payoutId, requested);
    step('approved');
  }

  /** Finance approves (finance2 second above the threshold) once no hold is left; done when it is approved or further. */
  private async approve(payoutId: string, record: SendRecord): Promise<void> {
    const { operator } = this.options;
    const deadline = Date.now() + this.options.stepTimeoutMs;
    const filter = encodeURIComponent(JSON.stringify({ q: payoutId }));
    let holds: string[] = [];
    while (Date.now() < deadline) {
      const listed = await operator.call('finance', 'GET', `/api/payouts?filter=${filter}`);
      const payout = Array.isArray(listed.body) ? listed.body.find((p: { payout_id: string }) => p.payout_id === payoutId) : undefined;
      if (payout && !['requested', 'on_hold', 'pending_approval'].includes(payout.state)) return;
      if (payout?.state === 'pending_approval') {
        const approver = payout.approvals === 0 ? 'finance' : 'finance2';
        const answer = await operator.call(approver, 'POST', `/api/payouts/${payout.id}/approve`, { reason: 'fault suite: finance approves' });
        record.failedAttempts += answer.failedAttempts;
        this.figures.approvals += 1;
        if (answer.status >= 400 && answer.status !== 409) record.lastProblem = `approve by ${approver}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
        continue;
      }
      holds = payout?.hold_reasons ?? holds;
      await sleep(500);
    }
    this.figures.problems.push(`payout ${payoutId} not approvable within ${this.options.stepTimeoutMs} ms (holds: ${holds.join(', ') || 'none'})`);
  }
}
