import { accessEntities, systemActor } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { randomUUID } from 'node:crypto';
import { openRechargeReview } from './recharge-reviews';

/** Recharge ids are the recharges' uuids (the column checks it); names keep the cases readable. */
const ids = new Map<string, string>();
const idOf = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;

describe('review items for held recharges', () => {
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 4 });
  const actor = systemActor('risk');
  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  const held = (userId: string, rechargeId: string, severity: 'low' | 'medium' | 'high' | 'critical', ruleKeys: string[]) => ({
    userId, rechargeId: idOf(rechargeId), holdTransactionId: `tx-${rechargeId}`, decisionId: null, severity, ruleKeys, reason: `rules ${ruleKeys.join(', ')}`,
  });

  it('groups a user\'s held recharges into one item, taking the most severe SLA', async () => {
    const first = await dataSource.transaction((m) => openRechargeReview(m, actor, held('u-group', 'r1', 'low', ['large_first_recharge'])));
    const second = await dataSource.transaction((m) => openRechargeReview(m, actor, held('u-group', 'r2', 'high', ['card_testing'])));
    expect(first.created).toBe(true);
    expect(second).toEqual({ reviewId: first.reviewId, created: false });
    const [item] = await dataSource.query(`SELECT severity, rule_keys, sla_due_at - created_at AS sla FROM review_items WHERE id = $1`, [first.reviewId]);
    expect(item.severity).toBe('high');
    expect([...item.rule_keys].sort()).toEqual(['card_testing', 'large_first_recharge']);
    expect(item.sla.hours).toBe(4);
    const recharges = await dataSource.query(`SELECT recharge_id FROM review_item_recharges WHERE review_id = $1 ORDER BY recharge_id`, [first.reviewId]);
    expect(recharges.map((r: { recharge_id: string }) => r.recharge_id).sort()).toEqual([idOf('r1'), idOf('r2')].sort());
    const audits = await dataSource.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [first.reviewId]);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(['review.opened', 'review.recharge_added']);
  });

  it('opens one item when two holds of one user arrive at the same time', async () => {
    const results = await Promise.all(
      ['c1', 'c2', 'c3', 'c4'].map((id) => dataSource.transaction((m) => openRechargeReview(m, actor, held('u-race', id, 'medium', ['ip_velocity'])))),
    );
    expect(new Set(results.map((r) => r.reviewId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('refuses to put one recharge in review twice', async () => {
    await dataSource.transaction((m) => openRechargeReview(m, actor, held('u-twice', 't1', 'low', [])));
    await expect(dataSource.transaction((m) => openRechargeReview(m, actor, held('u-twice', 't1', 'low', [])))).rejects.toThrow(/duplicate key/);
  });
});
