import { DAY_MS, gift, HOUR_MS, MINUTE_MS, openRiskFixture, ordinaryUser, recharge, RiskFixture, uid } from '../testing/risk-fixture';
import type { RechargeEvent } from '../types';

/**
 * Windows are half-open, (t - w, t], with t the evaluated event's time: an event exactly w before
 * is out, one a millisecond later is in, one at t itself is in, one after t is out.
 */
describe('sliding windows', () => {
  let fx: RiskFixture;
  // A little in the future, so that even the 30-day edge is inside Redis' retention when written.
  const t = Date.now() + 5 * MINUTE_MS;

  beforeAll(async () => {
    fx = await openRiskFixture('windows');
  });
  afterAll(async () => {
    await fx.close();
  });

  async function cardFeatures(card: string, at = t) {
    const snapshot = await fx.engine.explainFeatures(recharge(uid('probe'), new Date(at), { cardFingerprint: card, coins: 1n }), ordinaryUser());
    return snapshot.card;
  }
  async function observeOnCard(card: string, offsetsMs: number[], coins = 10n): Promise<RechargeEvent[]> {
    const events = offsetsMs.map((offset) => recharge(uid('u'), new Date(t - offset), { cardFingerprint: card, coins }));
    for (const event of events) await fx.engine.observe(event);
    return events;
  }

  it.each([
    ['1m', MINUTE_MS],
    ['10m', 10 * MINUTE_MS],
    ['1h', HOUR_MS],
    ['24h', DAY_MS],
    ['7d', 7 * DAY_MS],
    ['30d', 30 * DAY_MS],
  ])('counts an event 1 ms inside the %s window and leaves out one exactly at its edge', async (name, windowMs) => {
    const card = uid('edge');
    await observeOnCard(card, [windowMs, windowMs - 1]);
    const features = await cardFeatures(card);
    // The probe itself (1 coin) plus the event 1 ms inside.
    expect(features[`count_${name}` as 'count_1m']).toBe('2');
    expect(features[`coins_${name}` as 'coins_1m']).toBe('11');
  });

  it('counts an event at the same millisecond and ignores events after the evaluated one', async () => {
    const card = uid('same-ms');
    await observeOnCard(card, [0, -1, -MINUTE_MS]);
    expect((await cardFeatures(card)).count_1m).toBe('2');
  });

  it('counts a burst straddling a minute and an hour boundary in full', async () => {
    const card = uid('straddle');
    const hourBoundary = Math.ceil(t / HOUR_MS) * HOUR_MS;
    // Six recharges 400 ms apart, three before the wall-clock hour (and minute) turns and three after.
    const burst = [-1000, -600, -200, 200, 600, 1000].map((offset) => hourBoundary + offset);
    for (const at of burst) await fx.engine.observe(recharge(uid('u'), new Date(at), { cardFingerprint: card, coins: 5n }));
    const features = await cardFeatures(card, hourBoundary + 1500);
    expect(features.count_1m).toBe('7');
    expect(features.coins_1m).toBe('31');
    expect(features.distinct_users_24h).toBe('7');
  });

  it('counts an event delivered twice once', async () => {
    const card = uid('twice');
    const [event] = await observeOnCard(card, [30_000]);
    expect(await fx.engine.observe(event)).toMatchObject({ inserted: false });
    expect((await cardFeatures(card)).count_1m).toBe('2');
  });

  it('does not count the evaluated event twice when it was already observed', async () => {
    const user = uid('observed');
    const event = recharge(user, new Date(t), { coins: 40n });
    await fx.engine.observe(event);
    const snapshot = await fx.engine.explainFeatures(event, ordinaryUser());
    expect(snapshot.user.count_1m).toBe('1');
    expect(snapshot.user.coins_1m).toBe('40');
  });

  it('keys method and BIN-country windows per user', async () => {
    const user = uid('methods');
    await fx.engine.observe(recharge(user, new Date(t - HOUR_MS), { method: 'paypal', cardFingerprint: undefined, binCountry: undefined, coins: 100n }));
    await fx.engine.observe(recharge(user, new Date(t - 2 * HOUR_MS), { binCountry: 'FR', coins: 300n }));
    await fx.engine.observe(recharge(uid('someone-else'), new Date(t - HOUR_MS), { method: 'paypal', coins: 900n }));
    const snapshot = await fx.engine.explainFeatures(recharge(user, new Date(t), { method: 'paypal', cardFingerprint: undefined, binCountry: 'FR', coins: 1n }), ordinaryUser());
    expect(snapshot.method).toMatchObject({ count_24h: '2', coins_24h: '101' });
    expect(snapshot.bin).toMatchObject({ count_24h: '2', coins_24h: '301' });
  });

  it('sums gifts into a creator and the sender side separately from recharges', async () => {
    const user = uid('gifter');
    const creator = uid('creator');
    await fx.engine.observe(recharge(user, new Date(t - 5 * MINUTE_MS), { coins: 1_000n }));
    await fx.engine.observe(gift(user, creator, new Date(t - 2 * MINUTE_MS), { coins: 300n }));
    await fx.engine.observe(gift(uid('other'), creator, new Date(t - 3 * MINUTE_MS), { coins: 50n }));
    const snapshot = await fx.engine.explainFeatures(gift(user, creator, new Date(t), { coins: 200n }), ordinaryUser());
    expect(snapshot.user).toMatchObject({ count_10m: '1', coins_10m: '1000', gift_count_10m: '2', gift_coins_10m: '500' });
    expect(snapshot.creator).toMatchObject({ gift_count_1h: '3', gift_coins_1h: '550', distinct_payers_24h: '2', young_payer_share_pct_24h: '0' });
  });
});
