import fc from 'fast-check';
import { WINDOWS } from './catalog';
import { DAY_MS, HOUR_MS, MINUTE_MS, openRiskFixture, ordinaryUser, recharge, RiskFixture, uid } from '../testing/risk-fixture';

/**
 * Random recharges on one card, many of them exactly on a window edge: the card's counts, coin sums
 * and distinct users/devices must equal a plain recount of the events in (t - w, t], whether read
 * from the live mirror or after Redis lost everything and rebuilt from PostgreSQL.
 */
describe('window features (property)', () => {
  let fx: RiskFixture;
  const t = Date.now() + 5 * MINUTE_MS;
  const edges = WINDOWS.flatMap((w) => [w.ms, w.ms - 1, w.ms + 1]);

  beforeAll(async () => {
    fx = await openRiskFixture('windows-property');
  });
  afterAll(async () => {
    await fx.close();
  });

  const arbitraryEvent = fc.record({
    // Milliseconds before t; negative is after the evaluated event and must never count.
    offsetMs: fc.oneof(fc.constantFrom(0, -1, ...edges), fc.integer({ min: -HOUR_MS, max: 31 * DAY_MS })),
    coins: fc.integer({ min: 0, max: 1_000_000 }),
    user: fc.integer({ min: 0, max: 4 }),
    device: fc.integer({ min: 0, max: 3 }),
  });

  it('equal a recount of the events inside each window, live and after a rebuild', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryEvent, { maxLength: 25 }), async (events) => {
        run += 1;
        const card = uid('prop-card');
        for (const e of events) {
          await fx.engine.observe(recharge(`${card}-u${e.user}`, new Date(t - e.offsetMs), { cardFingerprint: card, deviceId: `${card}-d${e.device}`, coins: BigInt(e.coins) }));
        }
        if (run % 2 === 0) await fx.flushRedis();
        const probe = recharge(`${card}-probe`, new Date(t), { cardFingerprint: card, deviceId: `${card}-probe-device`, coins: 1n });
        const features = (await fx.engine.explainFeatures(probe, ordinaryUser())).card as Record<string, string>;

        for (const w of WINDOWS) {
          const inside = events.filter((e) => e.offsetMs >= 0 && e.offsetMs < w.ms);
          expect([w.name, features[`count_${w.name}`]]).toEqual([w.name, String(1 + inside.length)]);
          expect([w.name, features[`coins_${w.name}`]]).toEqual([w.name, String(1 + inside.reduce((sum, e) => sum + e.coins, 0))]);
        }
        const lastDay = events.filter((e) => e.offsetMs >= 0 && e.offsetMs < DAY_MS);
        expect(features.distinct_users_24h).toBe(String(1 + new Set(lastDay.map((e) => e.user)).size));
        expect(features.distinct_devices_24h).toBe(String(1 + new Set(lastDay.map((e) => e.device)).size));
      }),
      { numRuns: 30 },
    );
    // Up to 750 observations and 15 rebuilds: a few seconds on an idle machine, 20 s on a busy one.
  }, 60_000);
});
