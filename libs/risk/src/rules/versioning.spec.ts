import Redis from 'ioredis';
import { Client } from 'pg';
import { Conflict, NotFound } from '@coinops/contracts';
import { RiskEngine } from '../engine';
import { openRiskFixture, ordinaryUser, recharge, RiskFixture, ruleKeys, uid } from '../testing/risk-fixture';
import { InvalidExpression } from './expression';
import type { RuleDraft } from '../types';

// Every rule made here only matches events whose id starts with "vers-", so the spec files that
// share this database never see them.
const GUARD = 'event.ref.startsWith("vers-")';

describe('rule versions', () => {
  let fx: RiskFixture;
  const draft = (expression: string, overrides: Partial<RuleDraft> = {}): RuleDraft => ({
    name: 'Large recharge',
    expression: `${GUARD} && ${expression}`,
    action: 'review',
    score: 30,
    severity: 'medium',
    ...overrides,
  });
  const probe = (coins: bigint) => recharge(uid('vers-u'), new Date(), { id: uid('vers'), coins });

  beforeAll(async () => {
    fx = await openRiskFixture('versions');
  });
  afterAll(async () => {
    await fx.close();
  });

  it('refuses an invalid expression on save, naming the problem and its position, and stores nothing', async () => {
    const key = `bad_${uid('k').replace(/-/g, '_')}`;
    const error = await fx.engine.createRule(key, draft('card.count_1h >> 3'), 'op-1').catch((e) => e);
    expect(error).toBeInstanceOf(InvalidExpression);
    expect(error.position.offset).toBe(GUARD.length + 4 + 'card.count_1h >'.length);
    await expect(fx.engine.getRule(key)).rejects.toBeInstanceOf(NotFound);
  });

  it('keeps every version, makes the newest live and evaluates with it at once', async () => {
    const key = `big_${uid('k').replace(/-/g, '_')}`;
    const created = await fx.engine.createRule(key, draft('event.coins > 1000'), 'op-1');
    expect(created).toMatchObject({ key, version: 1, liveVersion: 1, author: 'op-1' });
    expect((await fx.engine.evaluate(probe(500n), ordinaryUser(), { record: false })).decision).toBe('allow');

    const updated = await fx.engine.updateRule(key, draft('event.coins > 100', { score: 35 }), 'op-2');
    expect(updated).toMatchObject({ ruleId: created.ruleId, version: 2, liveVersion: 2, author: 'op-2', score: 35 });
    const decision = await fx.engine.evaluate(probe(500n), ordinaryUser(), { record: false });
    expect(decision.decision).toBe('review');
    expect(decision.reasons[0]).toMatchObject({ ruleKey: key, version: 2, values: { 'event.ref': expect.stringMatching(/^vers-/), 'event.coins': '500' } });

    const history = await fx.engine.listRuleVersions(created.ruleId);
    expect(history.map((v) => [v.version, v.expression, v.author])).toEqual([
      [2, `${GUARD} && event.coins > 100`, 'op-2'],
      [1, `${GUARD} && event.coins > 1000`, 'op-1'],
    ]);
  });

  it('makes versions immutable in the database itself', async () => {
    const rule = await fx.engine.createRule(`frozen_${uid('k').replace(/-/g, '_')}`, draft('event.coins > 5'), 'op-1');
    // A plain client, as someone with SQL access would use.
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await expect(client.query(`UPDATE rule_versions SET expression = 'true' WHERE rule_id = $1`, [rule.ruleId])).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM rule_versions WHERE rule_id = $1`, [rule.ruleId])).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('disables a rule with a new version and re-enables it with another', async () => {
    const key = `toggle_${uid('k').replace(/-/g, '_')}`;
    await fx.engine.createRule(key, draft('event.coins > 5'), 'op-1');
    expect(ruleKeys(await fx.engine.evaluate(probe(50n), ordinaryUser(), { record: false }))).toContain(key);
    await fx.engine.updateRule(key, draft('event.coins > 5', { enabled: false }), 'op-1');
    expect(ruleKeys(await fx.engine.evaluate(probe(50n), ordinaryUser(), { record: false }))).not.toContain(key);
    await fx.engine.updateRule(key, draft('event.coins > 5'), 'op-1');
    expect(ruleKeys(await fx.engine.evaluate(probe(50n), ordinaryUser(), { record: false }))).toContain(key);
    expect((await fx.engine.listRuleVersions(key)).map((v) => v.enabled)).toEqual([true, false, true]);
  });

  it('refuses a second rule with the same key', async () => {
    const key = `dup_${uid('k').replace(/-/g, '_')}`;
    await fx.engine.createRule(key, draft('event.coins > 5'), 'op-1');
    await expect(fx.engine.createRule(key, draft('event.coins > 6'), 'op-1')).rejects.toBeInstanceOf(Conflict);
  });

  it('lets an allow rule turn review into allow, but not block', async () => {
    const key = `trusted_${uid('k').replace(/-/g, '_')}`;
    await fx.engine.createRule(`review_${key}`, draft('event.coins > 5'), 'op-1');
    await fx.engine.createRule(key, draft('event.currency == "EUR"', { action: 'allow', score: 0 }), 'op-1');
    const euro = await fx.engine.evaluate({ ...probe(50n), currency: 'EUR' }, ordinaryUser(), { record: false });
    expect(euro.decision).toBe('allow');
    expect(euro.allowedBy).toEqual({ lists: [], ruleKeys: [key] });
    await fx.engine.createRule(`block_${key}`, draft('event.coins > 40', { action: 'block' }), 'op-1');
    expect((await fx.engine.evaluate({ ...probe(50n), currency: 'EUR' }, ordinaryUser(), { record: false })).decision).toBe('block');
  });

  it('reaches an evaluator in another process through the rules token', async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const other = new RiskEngine({ dataSource: fx.db, redis, keyPrefix: fx.keyPrefix, autoRebuild: false });
    try {
      const key = `remote_${uid('k').replace(/-/g, '_')}`;
      await fx.engine.createRule(key, draft('event.coins > 1000'), 'op-1');
      expect(ruleKeys(await other.evaluate(probe(500n), ordinaryUser(), { record: false }))).not.toContain(key);
      await fx.engine.updateRule(key, draft('event.coins > 100'), 'op-1');
      expect(ruleKeys(await other.evaluate(probe(500n), ordinaryUser(), { record: false }))).toContain(key);
    } finally {
      await other.close();
      redis.disconnect();
    }
  });

  it('publishes a rule saved inside a transaction only when it commits', async () => {
    const key = `tx_${uid('k').replace(/-/g, '_')}`;
    await fx.engine.evaluate(probe(50n), ordinaryUser(), { record: false }); // caches the rules
    await fx.db
      .transaction(async (manager) => {
        await fx.engine.createRule(key, draft('event.coins > 5'), 'op-1', { manager });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await expect(fx.engine.getRule(key)).rejects.toBeInstanceOf(NotFound);
    await fx.db.transaction(async (manager) => {
      await fx.engine.createRule(key, draft('event.coins > 5'), 'op-1', { manager });
    });
    expect(ruleKeys(await fx.engine.evaluate(probe(50n), ordinaryUser(), { record: false }))).toContain(key);
  });
});
