import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { userCoins, verifyLedger } from '@coinops/ledger';
import { evaluateRecharge } from '@coinops/payments';
import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { ReviewFixture, unique } from './reviews.fixture';

describe('review decisions: ledger entries, recharge states, outcomes, lists, freezes and audit rows', () => {
  let api: TestApi;
  let fixture: ReviewFixture;
  beforeAll(async () => {
    api = await startApi();
    fixture = new ReviewFixture(api);
  });
  afterAll(() => api.close());

  const audits = (entityIds: string[]) =>
    api.dataSource.query(`SELECT action, entity, entity_id, actor_email, reason, before, after FROM audit_events WHERE entity_id = ANY($1::text[]) ORDER BY id`, [entityIds]);
  const outcomes = (rechargeIds: string[]) =>
    api.dataSource.query(`SELECT subject_id, outcome, recorded_by FROM risk_outcomes WHERE subject_type = 'recharge' AND subject_id = ANY($1::text[]) ORDER BY subject_id`, [rechargeIds]);
  const rechargeStates = async (ids: string[]) =>
    Object.fromEntries((await api.dataSource.query(`SELECT id, state FROM recharges WHERE id = ANY($1::uuid[])`, [ids])).map((r: { id: string; state: string }) => [r.id, r.state]));

  async function expectLedgerSound() {
    const report = await verifyLedger(api.dataSource);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  }

  it('approves a grouped item: both holds posted, coins available, recharges credited, review_approved recorded, one audit row per fact', async () => {
    const first = await fixture.heldRecharge();
    const second = await fixture.anotherHeld(first.userId, { coins: 5_000n });
    expect(second.reviewId).toBe(first.reviewId);
    const before = await fixture.ledger.balance(userCoins(first.userId));
    expect(before).toMatchObject({ posted: 0n, available: 0n, pendingCredits: 25_000n });

    expect((await fixture.command('ts', `/reviews/${first.reviewId}/claim`)).status).toBe(200);
    const response = await fixture.command('ts', `/reviews/${first.reviewId}/approve`, { reason: 'known customer, confirmed by phone' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ review_id: first.reviewId, state: 'approved', blocked: [], user_frozen: null, review: { state: 'approved', decided_by_email: 'ts@coinops.dev', decision_reason: 'known customer, confirmed by phone' } });
    expect(response.body.recharges).toHaveLength(2);

    expect(await fixture.ledger.balance(userCoins(first.userId))).toMatchObject({ posted: 25_000n, available: 25_000n, pendingCredits: 0n, pendingDebits: 0n });
    expect(await rechargeStates([first.rechargeId, second.rechargeId])).toEqual({ [first.rechargeId]: 'credited', [second.rechargeId]: 'credited' });
    expect((await outcomes([first.rechargeId, second.rechargeId])).map((o: { outcome: string }) => o.outcome)).toEqual(['review_approved', 'review_approved']);
    const posted = await api.dataSource.query(`SELECT phase, pending_id FROM ledger_transactions WHERE id = ANY($1::bigint[])`, [response.body.recharges.map((r: { ledger_transaction_id: string }) => r.ledger_transaction_id)]);
    expect(posted.map((t: { phase: string }) => t.phase)).toEqual(['post', 'post']);

    const rows = await audits([first.reviewId, first.rechargeId, second.rechargeId]);
    const decisionRows = rows.filter((r: { action: string }) => !['review.opened', 'review.recharge_added', 'recharge.evaluated'].includes(r.action));
    expect(decisionRows.map((r: { action: string; entity_id: string }) => `${r.action} ${r.entity_id === first.reviewId ? 'item' : r.entity_id === first.rechargeId ? 'first' : 'second'}`).sort()).toEqual(
      ['recharge.review_approved first', 'recharge.review_approved second', 'review.approved item', 'review.claimed item'].sort(),
    );
    const approved = decisionRows.find((r: { action: string }) => r.action === 'review.approved');
    expect(approved).toMatchObject({ actor_email: 'ts@coinops.dev', reason: 'known customer, confirmed by phone', before: { state: 'in_review' }, after: { state: 'approved' } });
    await expectLedgerSound();
  });

  it('rejects with block card, device and IP and a freeze: hold voided, coins gone, recharge waits for its refund, lists and freeze in the same transaction', async () => {
    const held = await fixture.heldRecharge();
    await api.dataSource.query(`INSERT INTO users (id, country, profile_received) VALUES ($1, 'US', true)`, [held.userId]);
    expect((await fixture.command('ts', `/reviews/${held.reviewId}/claim`)).status).toBe(200);
    const response = await fixture.command('ts', `/reviews/${held.reviewId}/reject`, { reason: 'stolen card ring', block_card: true, block_device: true, block_ip: true, freeze_user: true });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'rejected', user_frozen: true, recharges: [{ recharge_id: held.rechargeId, state: 'blocked_pending_refund' }] });
    expect(response.body.blocked.map((b: { kind: string; value: string; already: boolean }) => [b.kind, b.value, b.already])).toEqual([
      ['card', held.card, false],
      ['device', held.device, false],
      ['ip', held.ip, false],
    ]);

    expect(await fixture.ledger.balance(userCoins(held.userId))).toMatchObject({ posted: 0n, available: 0n, pendingCredits: 0n });
    expect(await rechargeStates([held.rechargeId])).toEqual({ [held.rechargeId]: 'blocked_pending_refund' });
    // the refund flow is asked in the same transaction: the worker starts the automatic refund of the cash
    const jobs = await api.dataSource.query(`SELECT job_name FROM outbox WHERE payload->>'recharge_id' = $1 AND job_name = 'recharge.rejected'`, [held.rechargeId]);
    expect(jobs).toEqual([{ job_name: 'recharge.rejected' }]);
    expect(await outcomes([held.rechargeId])).toEqual([{ subject_id: held.rechargeId, outcome: 'review_rejected', recorded_by: 'ts@coinops.dev' }]);
    const [voided] = await api.dataSource.query(`SELECT phase FROM ledger_transactions WHERE id = $1`, [response.body.recharges[0].ledger_transaction_id]);
    expect(voided.phase).toBe('void');
    const entries = await api.dataSource.query(`SELECT kind, value FROM list_entries WHERE list = 'block' AND value = ANY($1::text[]) AND removed_at IS NULL ORDER BY kind`, [[held.card, held.device, held.ip]]);
    expect(entries).toEqual([{ kind: 'card', value: held.card }, { kind: 'device', value: held.device }, { kind: 'ip', value: held.ip }]);
    const [user] = await api.dataSource.query(`SELECT frozen_at, frozen_reason FROM users WHERE id = $1`, [held.userId]);
    expect(user.frozen_at).not.toBeNull();
    expect(user.frozen_reason).toContain('stolen card ring');

    const rows = await audits([held.reviewId, held.rechargeId, held.userId, ...response.body.blocked.map((b: { list_entry_id: string }) => b.list_entry_id)]);
    const actions = rows.map((r: { action: string }) => r.action);
    expect(actions.filter((a: string) => a === 'list_entry.created')).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(['review.claimed', 'recharge.review_rejected', 'user.frozen', 'review.rejected']));
    expect(rows.find((r: { action: string }) => r.action === 'review.rejected')).toMatchObject({ reason: 'stolen card ring', after: { state: 'rejected', user_frozen: true } });
    await expectLedgerSound();

    // The user page shows it: coins gone, frozen, the card blocked.
    const page = await fixture.read('viewer', `/users/${held.userId}`);
    expect(page.body).toMatchObject({ frozen: true, available_coins: '0', held_coins: '0', balance_coins: '0' });
    const evidence = await fixture.read('viewer', `/users/${held.userId}/evidence`);
    expect(evidence.body.instruments.find((i: { kind: string }) => i.kind === 'card')).toMatchObject({ value: held.card, blocked: true });

    // The next recharge on that card is blocked by the risk engine's block list.
    const next = await fixture.recharge({ card: held.card });
    const evaluation = await api.dataSource.transaction((m) => evaluateRecharge(m, { risk: fixture.risk, ledger: fixture.ledger }, next.rechargeId));
    expect(evaluation.decision).toBe('block');
  });

  it('refuses a gift from a frozen user with a 409, and accepts it again once unfrozen', async () => {
    const held = await fixture.heldRecharge();
    await fixture.command('ts', `/reviews/${held.reviewId}/claim`);
    await fixture.command('ts', `/reviews/${held.reviewId}/approve`, { reason: 'legitimate first purchase' });
    expect((await fixture.command('ts', `/users/${held.userId}/freeze`, { reason: 'account takeover suspected' })).status).toBe(200);
    expect((await fixture.command('ts', `/users/${held.userId}/freeze`, { reason: 'twice' })).status).toBe(409);

    const secret = loadConfig().EVENTS_SECRET;
    const gift = (giftId: string) => {
      const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: giftId, sender_id: held.userId, creator_id: unique('c'), coins: 10 } });
      return request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
    };
    const refused = await gift(unique('g'));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ state: 'frozen', user_id: held.userId });

    expect((await fixture.command('support', `/users/${held.userId}/unfreeze`, { reason: 'support may not' })).status).toBe(403);
    expect((await fixture.command('ts', `/users/${held.userId}/unfreeze`, { reason: 'owner verified identity' })).status).toBe(200);
    expect((await gift(unique('g'))).status).toBe(200);
    const trail = await audits([held.userId]);
    expect(trail.map((r: { action: string }) => r.action)).toEqual(['user.frozen', 'user.unfrozen']);
  });

  it('leaves a block already in force alone and reports it, and skips freezing a frozen user', async () => {
    const held = await fixture.heldRecharge();
    await fixture.command('ts', '/list-entries', { list: 'block', kind: 'card', value: held.card, reason: 'blocked earlier' });
    await fixture.command('ts', `/users/${held.userId}/freeze`, { reason: 'frozen earlier' });
    await fixture.command('ts', `/reviews/${held.reviewId}/claim`);
    const response = await fixture.command('ts', `/reviews/${held.reviewId}/reject`, { reason: 'second look', block_card: true, freeze_user: true });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ user_frozen: false, blocked: [{ kind: 'card', value: held.card, already: true }] });
  });

  it('writes nothing when a decision fails after the ledger moved: the hold, the recharge, the item and the audit stay as they were', async () => {
    // A device id the block list refuses ("|" is its separator) makes the reject fail after the void.
    const held = await fixture.anotherHeld(unique('u'), { device: 'dev|pipe' });
    await fixture.command('ts', `/reviews/${held.reviewId}/claim`);
    const [{ count: auditsBefore }] = await api.dataSource.query(`SELECT count(*)::int FROM audit_events WHERE entity_id = ANY($1::text[])`, [[held.reviewId, held.rechargeId]]);
    const response = await fixture.command('ts', `/reviews/${held.reviewId}/reject`, { reason: 'fraud ring', block_device: true });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'value' })]);
    const [{ count: auditsAfter }] = await api.dataSource.query(`SELECT count(*)::int FROM audit_events WHERE entity_id = ANY($1::text[])`, [[held.reviewId, held.rechargeId]]);
    expect(auditsAfter).toBe(auditsBefore);
    expect(await rechargeStates([held.rechargeId])).toEqual({ [held.rechargeId]: 'held' });
    expect((await fixture.read('viewer', `/reviews/${held.reviewId}`)).body.state).toBe('in_review');
    expect(await fixture.ledger.balance(userCoins(held.userId))).toMatchObject({ posted: 0n, pendingCredits: 20_000n });
    expect(await outcomes([held.rechargeId])).toEqual([]);
    // Without the block the same reject goes through.
    expect((await fixture.command('ts', `/reviews/${held.reviewId}/reject`, { reason: 'fraud ring' })).status).toBe(200);
    await expectLedgerSound();
  });
});
