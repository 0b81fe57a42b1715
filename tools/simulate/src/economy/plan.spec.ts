import { DAY_MS, FRAUD_PATTERNS, type Action, type Plan } from './model';
import { buildPlan } from './plan';

const START_MS = Date.UTC(2026, 10, 20, 0, 0, 0);
const base = { seed: 'spec', startMs: START_MS, days: 3, users: 400 };

function events(plan: Plan, type: string): Extract<Action, { kind: 'event' }>[] {
  return plan.actions.filter((a): a is Extract<Action, { kind: 'event' }> => a.kind === 'event' && a.event.type === type);
}

function charges(plan: Plan): Extract<Action, { kind: 'charge' }>[] {
  return plan.actions.filter((a): a is Extract<Action, { kind: 'charge' }> => a.kind === 'charge');
}

describe('the simulated economy plan', () => {
  const plan = buildPlan(base);

  it('is the same for the same seed: ids, amounts and times relative to the start', () => {
    const again = buildPlan({ ...base, startMs: START_MS });
    expect(again.actions).toEqual(plan.actions);
    expect(again.labels).toEqual(plan.labels);
    // A later start shifts nothing but the absolute time (both start at midnight UTC, so the daily cycle lines up).
    const later = buildPlan({ ...base, startMs: START_MS + 7 * DAY_MS });
    expect(later.actions).toEqual(plan.actions);
  });

  it('differs for another seed', () => {
    const other = buildPlan({ ...base, seed: 'spec-2' });
    expect(other.actions.map((a) => a.atMs)).not.toEqual(plan.actions.map((a) => a.atMs));
    expect(other.users[0].id).not.toEqual(plan.users[0].id);
  });

  it('keeps the legitimate economy unchanged when only fraud rates change', () => {
    const noFraud = buildPlan({ ...base, fraudRates: { card_testing: 0, stolen_card_ring: 0, friendly_fraud: 0, refund_abuse: 0, account_takeover: 0 } });
    expect(noFraud.labels).toEqual([]);
    const legit = (p: Plan) => events(p, 'gift.sent').map((g) => g.event.id).filter((id) => !p.labels.some((l) => l.gift_ids.includes(id.slice(4))));
    expect(legit(noFraud).slice(0, 200)).toEqual(legit(plan).slice(0, 200));
  });

  it('sends profiles before activity and keeps every activity inside the span, in time order', () => {
    const activity = plan.actions.filter((a) => !(a.kind === 'event' && (a.event.type === 'user.created' || a.event.type === 'creator.created')));
    expect(activity.every((a) => a.atMs >= 0 && a.atMs <= plan.durationMs)).toBe(true);
    for (let i = 1; i < plan.actions.length; i++) expect(plan.actions[i].atMs).toBeGreaterThanOrEqual(plan.actions[i - 1].atMs);
    const created = new Set(events(plan, 'user.created').map((e) => e.event.data.user_id));
    for (const charge of charges(plan)) expect(created.has(charge.charge.userId)).toBe(true);
  });

  it('pays by every method: Stripe charges for cards and wallets, platform events for the rest', () => {
    const platform = new Set(events(plan, 'recharge.succeeded').map((e) => e.event.data.method));
    expect([...platform].sort()).toEqual(['app_store', 'paypal', 'play_store']);
    const wallets = new Set(charges(plan).map((c) => c.charge.wallet));
    expect(wallets).toEqual(new Set([null, 'apple_pay', 'google_pay']));
  });

  it('gives most gifted coins to a few creators (heavy tail)', () => {
    const perCreator = new Map<string, number>();
    for (const gift of events(plan, 'gift.sent')) perCreator.set(String(gift.event.data.creator_id), (perCreator.get(String(gift.event.data.creator_id)) ?? 0) + Number(gift.event.data.coins));
    const sorted = [...perCreator.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const topTenth = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((a, b) => a + b, 0);
    expect(topTenth / total).toBeGreaterThan(0.4);
  });

  it('follows a daily cycle: more gifts in the busiest hours than in the quietest', () => {
    const byHour = new Array(24).fill(0);
    for (const gift of events(plan, 'gift.sent')) byHour[new Date(START_MS + gift.atMs).getUTCHours()] += 1;
    expect(Math.max(...byHour)).toBeGreaterThan(3 * Math.min(...byHour));
  });

  it('labels every fraud instance with its users, cards, devices and recharges, and the recharges exist in the plan', () => {
    const many = buildPlan({ ...base, fraudRates: { card_testing: 5, stolen_card_ring: 5, friendly_fraud: 5, refund_abuse: 5, account_takeover: 5 } });
    expect(new Set(many.labels.map((l) => l.pattern))).toEqual(new Set(FRAUD_PATTERNS));
    const refs = new Set([...charges(many).map((c) => c.charge.ref), ...events(many, 'recharge.succeeded').map((e) => String(e.event.data.recharge_id))]);
    const giftIds = new Set(events(many, 'gift.sent').map((e) => String(e.event.data.gift_id)));
    for (const label of many.labels) {
      expect(label.user_ids.length).toBeGreaterThan(0);
      expect(label.device_ids.length).toBeGreaterThan(0);
      expect(label.recharge_refs.length).toBeGreaterThan(0);
      for (const ref of label.recharge_refs) expect(refs.has(ref)).toBe(true);
      for (const gift of label.gift_ids) expect(giftIds.has(gift)).toBe(true);
    }
  });

  it('shapes each pattern as described: card testing is many small charges on few cards from one device', () => {
    const many = buildPlan({ ...base, fraudRates: { card_testing: 5, stolen_card_ring: 3, friendly_fraud: 3, refund_abuse: 3, account_takeover: 3 } });
    const byRef = new Map(charges(many).map((c) => [c.charge.ref, c]));
    for (const label of many.labels.filter((l) => l.pattern === 'card_testing')) {
      const made = label.recharge_refs.map((r) => byRef.get(r)!);
      expect(made.length).toBeGreaterThanOrEqual(6);
      expect(made.every((c) => c.charge.coins === 70 && c.charge.deviceId === label.device_ids[0])).toBe(true);
      expect(made[made.length - 1].atMs - made[0].atMs).toBeLessThanOrEqual(3_600_000);
    }
    for (const label of many.labels.filter((l) => l.pattern === 'stolen_card_ring')) {
      const giftsTo = events(many, 'gift.sent').filter((g) => label.gift_ids.includes(String(g.event.data.gift_id)));
      expect(giftsTo.every((g) => g.event.data.creator_id === label.creator_ids[0])).toBe(true);
    }
    for (const label of many.labels.filter((l) => l.pattern === 'account_takeover')) {
      const changes = events(many, 'account.security_changed').filter((e) => e.event.data.user_id === label.user_ids[0]);
      expect(changes.map((e) => e.event.data.change)).toEqual(expect.arrayContaining(['device', 'password', 'email']));
    }
    const disputed = new Set(many.actions.filter((a) => a.kind === 'dispute').map((a) => (a as { chargeRef: string }).chargeRef));
    const friendly = many.labels.filter((l) => l.pattern === 'friendly_fraud').flatMap((l) => l.recharge_refs);
    expect(friendly.some((ref) => disputed.has(ref))).toBe(true);
  });

  it('refuses options past its limits, naming them', () => {
    expect(() => buildPlan({ ...base, days: 0 })).toThrow(/days/);
    expect(() => buildPlan({ ...base, users: 10_000_000 })).toThrow(/users/);
  });
});
