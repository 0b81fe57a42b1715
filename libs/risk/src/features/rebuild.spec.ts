import Redis from 'ioredis';
import { RiskEngine } from '../engine';
import { DAY_MS, gift, HOUR_MS, MINUTE_MS, openRiskFixture, ordinaryUser, recharge, RiskFixture, securityChange, uid } from '../testing/risk-fixture';
import type { EvaluatedEvent, SubjectFacts } from '../types';

describe('features rebuilt from PostgreSQL when Redis loses them', () => {
  let fx: RiskFixture;
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);
  const probes: { event: EvaluatedEvent; subject: SubjectFacts }[] = [];

  beforeAll(async () => {
    fx = await openRiskFixture('rebuild');
    await fx.engine.seedDefaultRules();
    // A history touching every key family: velocity per dimension, gifts, security changes,
    // a chargeback, the first recharge (older than the 30-day window) and list entries.
    const user = uid('history');
    const card = uid('card');
    const device = uid('device');
    const creator = uid('creator');
    await fx.engine.observe(recharge(user, ago(200 * DAY_MS), { cardFingerprint: card }));
    for (const minutes of [50, 40, 30, 20]) await fx.engine.observe(recharge(user, ago(minutes * MINUTE_MS), { cardFingerprint: card, deviceId: device, coins: 60n }));
    for (const i of [1, 2, 3]) await fx.engine.observe(recharge(uid('other'), ago(i * HOUR_MS), { deviceId: device, cardFingerprint: `${card}-${i}` }));
    await fx.engine.observe(securityChange(user, ago(30 * MINUTE_MS)));
    await fx.engine.observe(gift(uid('young'), creator, ago(2 * HOUR_MS), { coins: 500n, senderCreatedAt: ago(DAY_MS) }));
    const chargedBack = recharge(uid('cb'), ago(10 * DAY_MS), { deviceId: `${device}-cb` });
    await fx.engine.evaluate(chargedBack, ordinaryUser(), { record: true });
    await fx.engine.recordOutcome({ type: 'recharge', id: chargedBack.id }, 'chargeback', { occurredAt: ago(9 * DAY_MS) });
    await fx.engine.addListEntry({ list: 'block', kind: 'ip', value: '198.51.100.9', reason: 'proxy', author: 'op-1' });
    await fx.engine.addListEntry({ list: 'allow', kind: 'email_domain', value: 'trusted.example', reason: 'partner', author: 'op-1' });

    probes.push(
      { event: recharge(user, ago(0), { cardFingerprint: card, deviceId: device, coins: 60n }), subject: ordinaryUser() },
      { event: recharge(user, ago(0), { coins: 30_000n }), subject: ordinaryUser({ createdAt: ago(3 * HOUR_MS) }) },
      { event: recharge(uid('new'), ago(0), { deviceId: `${device}-cb` }), subject: ordinaryUser() },
      { event: recharge(uid('proxy'), ago(0), { ip: '198.51.100.9' }), subject: ordinaryUser() },
      { event: recharge(uid('partner'), ago(0), { binCountry: 'NG', ipCountry: 'RU' }), subject: ordinaryUser({ emailDomain: 'trusted.example' }) },
      { event: gift(uid('young'), creator, ago(0), { coins: 500n }), subject: ordinaryUser({ createdAt: ago(DAY_MS) }) },
    );
  });
  afterAll(async () => {
    await fx.close();
  });

  async function decisionsAndFeatures() {
    const results = [];
    for (const { event, subject } of probes) {
      const { decision, score, reasons, allowedBy } = await fx.engine.evaluate(event, subject, { record: false });
      results.push({ decision, score, reasons, allowedBy, features: await fx.engine.explainFeatures(event, subject) });
    }
    return results;
  }

  it('makes the same decisions on the same features after the keys are deleted (rebuilt on read)', async () => {
    const before = await decisionsAndFeatures();
    expect(before.map((d) => d.decision)).toEqual(['block', 'review', 'block', 'block', 'allow', 'allow']);
    expect(before[1].features.user.is_first_recharge).toBe(false);
    await fx.flushRedis();
    expect(await fx.redis.keys(`${fx.keyPrefix}:*`)).toEqual([]);
    expect(await decisionsAndFeatures()).toEqual(before);
  });

  it('makes the same decisions after a full rebuild, which sets the epoch', async () => {
    const before = await decisionsAndFeatures();
    await fx.flushRedis();
    const { events } = await fx.engine.rebuildFeatures();
    expect(events).toBeGreaterThanOrEqual(10);
    expect(await fx.redis.exists(fx.engine.keys.epoch)).toBe(1);
    expect(await decisionsAndFeatures()).toEqual(before);
  });

  it('does not mark the store complete when it is flushed during a rebuild', async () => {
    await fx.flushRedis();
    const rebuilding = fx.engine.rebuildFeatures();
    await fx.redis.del(fx.engine.keys.rebuildToken);
    await rebuilding;
    expect(await fx.redis.exists(fx.engine.keys.epoch)).toBe(0);
  });

  it('repairs an event whose mirror failed while Redis was down', async () => {
    await fx.engine.rebuildFeatures();
    const offline = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const errors: unknown[] = [];
    const engine = new RiskEngine({ dataSource: fx.db, redis: offline, keyPrefix: fx.keyPrefix, autoRebuild: false, onError: (error) => errors.push(error) });
    try {
      const user = uid('outage');
      await engine.observe(recharge(user, ago(MINUTE_MS)));
      expect(errors).toHaveLength(1);
      // The failed command started the connection; wait until Redis is back.
      if (offline.status !== 'ready') await new Promise((resolve) => offline.once('ready', resolve));
      const snapshot = await engine.explainFeatures(recharge(user, ago(0)), ordinaryUser());
      expect(snapshot.user.count_10m).toBe('2');
    } finally {
      await engine.close();
      offline.disconnect();
    }
  });
});
