import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { ReviewFixture, unique, type HeldRecharge } from './reviews.fixture';

/**
 * A small ring: ana, ben and cleo paid with one card; ben's device also served dan; ana and eve gifted
 * the same creator. Ben's recharge was charged back; cleo is frozen.
 */
describe('evidence, the linked-accounts graph, ring freezes and notes', () => {
  let api: TestApi;
  let fixture: ReviewFixture;
  const card = unique('fp_ring');
  const benDevice = unique('dev_ben');
  const creator = unique('creator');
  const people: Record<'ana' | 'ben' | 'cleo' | 'dan' | 'eve', HeldRecharge> = {} as never;

  async function gift(senderId: string, coins: number) {
    const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: unique('g'), sender_id: senderId, creator_id: creator, coins } });
    const response = await request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(loadConfig().EVENTS_SECRET, body)).send(body);
    if (response.status !== 200) throw new Error(`gift failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  beforeAll(async () => {
    api = await startApi();
    fixture = new ReviewFixture(api);
    people.ana = await fixture.heldRecharge({ card });
    people.ben = await fixture.heldRecharge({ card, device: benDevice });
    people.cleo = await fixture.heldRecharge({ card });
    people.dan = await fixture.heldRecharge({ device: benDevice });
    people.eve = await fixture.heldRecharge();
    for (const who of ['ana', 'eve'] as const) {
      await fixture.command('ts', `/reviews/${people[who].reviewId}/claim`);
      await fixture.command('ts', `/reviews/${people[who].reviewId}/approve`, { reason: 'funds for the gift test' });
    }
    await gift(people.ana.userId, 500);
    await gift(people.eve.userId, 300);
    await fixture.risk.recordOutcome({ type: 'recharge', id: people.ben.rechargeId }, 'chargeback', { recordedBy: 'test' });
    await fixture.command('ts', `/users/${people.cleo.userId}/freeze`, { reason: 'confirmed mule account' });
  });
  afterAll(() => api.close());

  it("gathers an item's evidence: recharges, gifts, where the coins went, instruments, and linked accounts with their state", async () => {
    const response = await fixture.read('viewer', `/reviews/${people.ana.reviewId}/evidence`);
    expect(response.status).toBe(200);
    const evidence = response.body;
    expect(evidence.recharges).toMatchObject({ total: 1, rows: [{ id: people.ana.rechargeId, state: 'credited', card_fingerprint: card }] });
    expect(evidence.gifts).toMatchObject({ total: 1, rows: [{ creator_id: creator, coins: '500' }] });
    expect(evidence.coins_went_to).toEqual([expect.objectContaining({ creator_id: creator, gifts: 1, coins: '500' })]);
    expect(evidence.instruments.find((i: { kind: string }) => i.kind === 'card')).toMatchObject({ value: card, recharges: 1, blocked: false, other_users: 2 });
    const linked = Object.fromEntries(evidence.linked_accounts.map((l: { user_id: string }) => [l.user_id, l]));
    expect(Object.keys(linked).sort()).toEqual([people.ben.userId, people.cleo.userId].sort());
    expect(linked[people.ben.userId]).toMatchObject({ via: [{ kind: 'card', value: card }], charged_back: true, frozen: false });
    expect(linked[people.cleo.userId]).toMatchObject({ charged_back: false, frozen: true });
    expect(evidence.refunds).toMatchObject({ available: true, rows: [] });
    expect(evidence.chargebacks).toMatchObject({ available: true, rows: [] });
    expect((await fixture.read('viewer', `/users/${people.ben.userId}/evidence`)).body.chargebacks.rows).toEqual([expect.objectContaining({ id: people.ben.rechargeId })]);
  });

  it('draws the neighbourhood two hops out: users, instruments and creators, with recharge and gift edges and the marks', async () => {
    const response = await fixture.read('viewer', `/users/${people.ana.userId}/graph`);
    expect(response.status).toBe(200);
    const graph = response.body;
    const node = (id: string) => graph.nodes.find((n: { id: string }) => n.id === id);
    expect(graph).toMatchObject({ root: `user:${people.ana.userId}`, hops: 2, truncated: false });
    expect(node(`user:${people.ana.userId}`)).toMatchObject({ hop: 0, root: true });
    expect(node(`card:${card}`)).toMatchObject({ type: 'card', hop: 1, blocked: false });
    expect(node(`creator:${creator}`)).toMatchObject({ type: 'creator', hop: 1 });
    expect(node(`user:${people.ben.userId}`)).toMatchObject({ hop: 2, charged_back: true, frozen: false });
    expect(node(`user:${people.cleo.userId}`)).toMatchObject({ hop: 2, frozen: true });
    expect(node(`user:${people.eve.userId}`)).toMatchObject({ hop: 2 });
    // Dan is three hops away (ana → card → ben → device → dan): not in a two-hop graph, in a four-hop one.
    expect(node(`user:${people.dan.userId}`)).toBeUndefined();
    const edgeKinds = graph.edges.map((e: { source: string; target: string; kind: string }) => `${e.kind} ${e.source} ${e.target}`);
    expect(edgeKinds).toEqual(expect.arrayContaining([
      `recharge user:${people.ana.userId} card:${card}`,
      `recharge user:${people.ben.userId} card:${card}`,
      `gift user:${people.ana.userId} creator:${creator}`,
      `gift user:${people.eve.userId} creator:${creator}`,
    ]));
    const far = await fixture.read('viewer', `/users/${people.ana.userId}/graph`, { hops: '4' });
    expect(far.body.nodes.find((n: { id: string }) => n.id === `user:${people.dan.userId}`)).toMatchObject({ hop: 4 });
  });

  it('stays within its node bound and says it was truncated', async () => {
    const response = await fixture.read('viewer', `/users/${people.ana.userId}/graph`, { max_nodes: '3' });
    expect(response.body.nodes).toHaveLength(3);
    expect(response.body.truncated).toBe(true);
    for (const edge of response.body.edges) {
      expect(response.body.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([edge.source, edge.target]));
    }
    expect((await fixture.read('viewer', `/users/${people.ana.userId}/graph`, { max_nodes: '201' })).status).toBe(400);
    expect((await fixture.read('viewer', `/users/${people.ana.userId}/graph`, { hops: '5' })).status).toBe(400);
  });

  it("freezes a ring's accounts in one action with one reason, an audit row per account, and reports those already frozen", async () => {
    const ring = [people.ana.userId, people.ben.userId, people.cleo.userId];
    expect((await fixture.command('support', '/users/freeze', { user_ids: ring, reason: 'card ring' })).status).toBe(403);
    const response = await fixture.command('ts', '/users/freeze', { user_ids: ring, reason: 'card ring after review' });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.body.map((o: { user_id: string; result: string }) => [o.user_id, o.result]))).toEqual({
      [people.ana.userId]: 'frozen', [people.ben.userId]: 'frozen', [people.cleo.userId]: 'already_frozen',
    });
    const audits = await api.dataSource.query(`SELECT entity_id, reason FROM audit_events WHERE action = 'user.frozen' AND entity_id = ANY($1::text[]) AND reason = 'card ring after review' ORDER BY entity_id`, [ring]);
    expect(audits.map((a: { entity_id: string }) => a.entity_id)).toEqual([people.ana.userId, people.ben.userId].sort());
    const graph = await fixture.read('viewer', `/users/${people.ana.userId}/graph`);
    expect(graph.body.nodes.filter((n: { type: string; frozen: boolean }) => n.type === 'user' && n.frozen).map((n: { value: string }) => n.value).sort()).toEqual(ring.sort());
  });

  it('keeps notes on a user that every operator reads and every role but viewer writes, audited', async () => {
    const userId = people.dan.userId;
    expect((await fixture.command('support', `/users/${userId}/notes`, { body: 'Called in about a double charge.' })).status).toBe(201);
    expect((await fixture.command('ts', `/users/${userId}/notes`, { body: 'Shares a device with a charged-back account.' })).status).toBe(201);
    expect((await fixture.command('viewer', `/users/${userId}/notes`, { body: 'viewers cannot write' })).status).toBe(403);
    expect((await fixture.command('ts', `/users/${userId}/notes`, { body: '' })).status).toBe(400);
    const notes = await fixture.read('viewer', `/users/${userId}/notes`);
    expect(notes.headers['content-range']).toBe('notes 0-1/2');
    expect(notes.body.map((n: { author_email: string; body: string }) => [n.author_email, n.body])).toEqual([
      ['ts@coinops.dev', 'Shares a device with a charged-back account.'],
      ['support@coinops.dev', 'Called in about a double charge.'],
    ]);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.note_added' AND entity_id = $1`, [userId]);
    expect(n).toBe(2);
    await expect(api.dataSource.query(`DELETE FROM user_notes WHERE user_id = $1`, [userId])).rejects.toThrow();
  });
});
