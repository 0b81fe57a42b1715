import { DEFAULT_RULES } from './default-pack';
import {
  DAY_MS,
  gift,
  HOUR_MS,
  MINUTE_MS,
  openRiskFixture,
  ordinaryUser,
  recharge,
  RiskFixture,
  ruleKeys,
  securityChange,
  uid,
} from '../testing/risk-fixture';
import type { EvaluatedEvent, ObservableEvent, SubjectFacts } from '../types';

describe('the default rule pack', () => {
  let fx: RiskFixture;
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);

  beforeAll(async () => {
    fx = await openRiskFixture('pack');
    await fx.engine.seedDefaultRules();
  });
  afterAll(async () => {
    await fx.close();
  });

  async function observe(...events: ObservableEvent[]): Promise<void> {
    for (const event of events) await fx.engine.observe(event);
  }
  function decide(event: EvaluatedEvent, subject: SubjectFacts = ordinaryUser()) {
    return fx.engine.evaluate(event, subject, { record: false });
  }

  it('holds at least 12 rules and seeding twice creates nothing new', async () => {
    expect(DEFAULT_RULES.length).toBeGreaterThanOrEqual(12);
    expect(await fx.engine.seedDefaultRules()).toEqual({ created: [] });
    const keys = (await fx.engine.listRules()).map((r) => r.key);
    for (const rule of DEFAULT_RULES) expect(keys).toContain(rule.key);
  });

  it('stays silent on an ordinary user recharging and gifting over a month', async () => {
    const user = uid('ordinary');
    const creator = uid('creator');
    const history = [30 * DAY_MS - HOUR_MS, 12 * DAY_MS, 3 * DAY_MS, 26 * HOUR_MS, 5 * HOUR_MS];
    for (const age of history) {
      const event = recharge(user, ago(age));
      expect(await decide(event)).toMatchObject({ decision: 'allow', reasons: [] });
      await observe(event, gift(user, creator, ago(age - 30 * MINUTE_MS), { coins: 300n }));
    }
    expect(await decide(recharge(user, ago(0), { method: 'app_store', cardFingerprint: undefined, binCountry: undefined }))).toMatchObject({ decision: 'allow', reasons: [] });
    expect(await decide(gift(user, creator, ago(0), { coins: 200n }))).toMatchObject({ decision: 'allow', reasons: [] });
  });

  it('blocks a card on the block list and explains it with the list variable', async () => {
    const user = uid('listed');
    const event = recharge(user, ago(0));
    await fx.engine.addListEntry({ list: 'block', kind: 'card', value: event.cardFingerprint!, reason: 'stolen', author: 'op-1' });
    const decision = await decide(event);
    expect(decision.decision).toBe('block');
    expect(decision.reasons).toEqual([expect.objectContaining({ ruleKey: 'block_list_hit', action: 'block', values: { 'lists.blocked': true } })]);
  });

  it('blocks a buyer under 18 from recharging and from gifting', async () => {
    const user = uid('minor');
    const minor = ordinaryUser({ birthYear: new Date(now).getUTCFullYear() - 16 });
    const onRecharge = await decide(recharge(user, ago(0)), minor);
    expect(onRecharge.decision).toBe('block');
    expect(onRecharge.reasons[0]).toMatchObject({ ruleKey: 'under_18', values: { 'user.has_birth_year': true, 'user.age_years': '16' } });
    expect(ruleKeys(await decide(gift(user, uid('creator'), ago(0)), minor))).toEqual(['under_18']);
  });

  it('blocks a frozen account', async () => {
    expect(ruleKeys(await decide(recharge(uid('frozen'), ago(0)), ordinaryUser({ frozen: true })))).toEqual(['frozen_account']);
  });

  it('blocks card testing: many small recharges on one card within an hour', async () => {
    const user = uid('tester');
    for (const minutes of [40, 30, 20, 10]) await observe(recharge(user, ago(minutes * MINUTE_MS), { coins: 70n, amountMinor: 99n }));
    const decision = await decide(recharge(user, ago(0), { coins: 70n, amountMinor: 99n }));
    expect(decision.decision).toBe('block');
    expect(ruleKeys(decision)).toEqual(['card_testing_small_recharges']);
    expect(decision.reasons[0].values).toEqual({ 'event.has_card': true, 'card.count_1h': '5', 'card.coins_1h': '350' });
  });

  it('blocks card testing: four cards on one device in a day', async () => {
    const user = uid('device-tester');
    const device = uid('device');
    for (const [i, hours] of [20, 10, 5].entries()) await observe(recharge(user, ago(hours * HOUR_MS), { deviceId: device, cardFingerprint: `${device}-card-${i}` }));
    const decision = await decide(recharge(user, ago(0), { deviceId: device, cardFingerprint: `${device}-card-9` }));
    expect(decision.decision).toBe('block');
    expect(ruleKeys(decision)).toContain('card_testing_many_cards_per_device');
    expect(decision.reasons.find((r) => r.ruleKey === 'card_testing_many_cards_per_device')?.values).toEqual({ 'event.has_device': true, 'device.distinct_cards_24h': '4' });
  });

  it('reviews a stolen-card burst: large recharges on one card within minutes', async () => {
    const user = uid('burst');
    await observe(recharge(user, ago(6 * MINUTE_MS), { coins: 15_000n, amountMinor: 19_999n }), recharge(user, ago(3 * MINUTE_MS), { coins: 15_000n, amountMinor: 19_999n }));
    const decision = await decide(recharge(user, ago(0), { coins: 15_000n, amountMinor: 19_999n }));
    expect(decision.decision).toBe('review');
    expect(ruleKeys(decision)).toEqual(['stolen_card_burst']);
  });

  it('reviews a large first recharge on an account younger than a day', async () => {
    const decision = await decide(recharge(uid('newbie'), ago(0), { coins: 25_000n, amountMinor: 34_999n }), ordinaryUser({ createdAt: ago(2 * HOUR_MS) }));
    expect(ruleKeys(decision)).toEqual(['large_first_recharge_new_account']);
    expect(decision.reasons[0].values).toEqual({ 'user.is_first_recharge': true, 'user.account_age_hours': '2', 'event.coins': '25000' });
  });

  it('does not treat a returning buyer as a first recharge', async () => {
    const user = uid('returning');
    await observe(recharge(user, ago(3 * HOUR_MS)));
    expect((await decide(recharge(user, ago(0), { coins: 25_000n }), ordinaryUser({ createdAt: ago(5 * HOUR_MS) }))).reasons).toEqual([]);
  });

  it('reviews a card, IP and account in three different countries', async () => {
    const decision = await decide(recharge(uid('abroad'), ago(0), { binCountry: 'NG', ipCountry: 'RU' }));
    expect(ruleKeys(decision)).toEqual(['country_mismatch']);
  });

  it('reviews many cards for one user in a day', async () => {
    const user = uid('cards');
    await observe(recharge(user, ago(9 * HOUR_MS), { cardFingerprint: `${user}-a` }), recharge(user, ago(4 * HOUR_MS), { cardFingerprint: `${user}-b` }));
    const decision = await decide(recharge(user, ago(0), { cardFingerprint: `${user}-c` }));
    expect(ruleKeys(decision)).toEqual(['many_cards_per_user']);
    expect(decision.reasons[0].values).toEqual({ 'user.distinct_cards_24h': '3' });
  });

  it('reviews many users on one card', async () => {
    const card = uid('shared-card');
    await observe(recharge(uid('u'), ago(5 * HOUR_MS), { cardFingerprint: card }), recharge(uid('u'), ago(2 * HOUR_MS), { cardFingerprint: card }));
    expect(ruleKeys(await decide(recharge(uid('u'), ago(0), { cardFingerprint: card })))).toEqual(['many_users_per_card']);
  });

  it('reviews many users on one device', async () => {
    const device = uid('shared-device');
    await observe(recharge(uid('u'), ago(5 * HOUR_MS), { deviceId: device }), recharge(uid('u'), ago(2 * HOUR_MS), { deviceId: device }));
    expect(ruleKeys(await decide(recharge(uid('u'), ago(0), { deviceId: device })))).toEqual(['many_users_per_device']);
  });

  it('reviews IP velocity: many accounts from one IP', async () => {
    const ip = '192.0.2.77';
    const ipUsers = Array.from({ length: 4 }, () => uid('ipuser'));
    for (const [i, user] of ipUsers.entries()) await observe(recharge(user, ago((i + 1) * 5 * MINUTE_MS), { ip }));
    const decision = await decide(recharge(uid('ipuser'), ago(0), { ip }));
    expect(ruleKeys(decision)).toEqual(['ip_velocity']);
    expect(decision.reasons[0].values).toEqual({ 'event.has_ip': true, 'ip.count_1h': '5', 'ip.distinct_users_24h': '5' });
  });

  it('reviews a recharge less than an hour after a password change', async () => {
    const user = uid('ato');
    await observe(securityChange(user, ago(40 * MINUTE_MS)));
    expect(ruleKeys(await decide(recharge(user, ago(0))))).toEqual(['recharge_after_security_change']);
    // Two hours later the change is outside the hour.
    expect((await decide(recharge(user, new Date(now + 2 * HOUR_MS)))).reasons).toEqual([]);
  });

  it('reviews coins gifted away within minutes of their recharge', async () => {
    const user = uid('mule');
    await observe(recharge(user, ago(4 * MINUTE_MS), { coins: 2_000n }));
    const decision = await decide(gift(user, uid('creator'), ago(0), { coins: 1_800n }));
    expect(ruleKeys(decision)).toEqual(['recharge_gifted_away']);
    expect(decision.reasons[0].values).toEqual({ 'user.count_10m': '1', 'user.gift_coins_10m': '1800', 'user.coins_10m': '2000' });
  });

  it('reviews a creator funded mostly by accounts younger than 7 days', async () => {
    const creator = uid('creator');
    const young = ordinaryUser({ createdAt: ago(2 * DAY_MS) });
    for (const [i, youngPayer] of [true, true, false, true].entries()) {
      await observe(gift(uid('payer'), creator, ago((i + 1) * HOUR_MS), { coins: 100n, senderCreatedAt: youngPayer ? young.createdAt : ago(400 * DAY_MS) }));
    }
    const decision = await decide(gift(uid('payer'), creator, ago(0), { coins: 100n }));
    expect(ruleKeys(decision)).toEqual(['creator_young_payer_concentration']);
    expect(decision.reasons[0].values).toEqual({ 'creator.distinct_payers_24h': '5', 'creator.young_payer_share_pct_24h': '60' });
  });

  it('blocks a card that had a chargeback', async () => {
    const user = uid('charged-back');
    const first = recharge(user, ago(2 * DAY_MS));
    await fx.engine.evaluate(first, ordinaryUser(), { record: true });
    await fx.engine.recordOutcome({ type: 'recharge', id: first.id }, 'chargeback', { recordedBy: 'chargebacks', occurredAt: ago(DAY_MS) });
    const decision = await decide(recharge(uid('other'), ago(0), { cardFingerprint: first.cardFingerprint }));
    expect(decision.decision).toBe('block');
    expect(ruleKeys(decision)).toEqual(['prior_chargeback_card_or_device']);
  });

  it('reviews a user who had a fraud refund', async () => {
    const user = uid('refunded');
    const first = recharge(user, ago(3 * DAY_MS));
    await fx.engine.evaluate(first, ordinaryUser(), { record: true });
    await fx.engine.recordOutcome({ type: 'recharge', id: first.id }, 'refund_fraud', { occurredAt: ago(2 * DAY_MS) });
    const decision = await decide(recharge(user, ago(0), { cardFingerprint: uid('new-card'), deviceId: uid('new-device') }));
    expect(ruleKeys(decision)).toEqual(['prior_fraud_user']);
    expect(decision.reasons[0].values['user.fraud_refunds']).toBe('1');
  });

  it('reviews more coins in a day than the method allows, per method', async () => {
    const user = uid('whale');
    await observe(recharge(user, ago(5 * HOUR_MS), { coins: 200_000n, amountMinor: 280_000n }));
    expect(ruleKeys(await decide(recharge(user, ago(0), { coins: 200_000n, amountMinor: 280_000n })))).toEqual(['method_limit_exceeded']);
    // The app store has its own, higher limit and its own window.
    expect((await decide(recharge(user, ago(0), { method: 'app_store', coins: 200_000n, cardFingerprint: undefined }))).reasons).toEqual([]);
  });
});
