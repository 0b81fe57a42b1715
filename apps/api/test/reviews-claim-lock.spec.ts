import request from 'supertest';
import { startApi, type TestApi } from './harness';
import { ReviewFixture } from './reviews.fixture';

describe('the claim lock: a claimed item belongs to its operator', () => {
  let api: TestApi;
  let fixture: ReviewFixture;
  let second: { id: string; token: string };
  let tsId: string;

  beforeAll(async () => {
    api = await startApi();
    fixture = new ReviewFixture(api);
    second = await fixture.secondAnalyst();
    tsId = (await fixture.read('ts', '/auth/me')).body.id;
  });
  afterAll(() => api.close());

  const claimAs = (token: string, id: string) => request(api.http).post(`/api/reviews/${id}/claim`).set('Authorization', `Bearer ${token}`).send({});

  it('lets exactly one of two operators racing to claim win; the other gets a 409 naming the winner', async () => {
    for (let round = 0; round < 3; round++) {
      const { reviewId } = await fixture.heldRecharge();
      const tsToken = await api.token('ts');
      const attempts = await Promise.all([0, 1, 2, 3].flatMap(() => [claimAs(tsToken, reviewId), claimAs(second.token, reviewId)]));
      const won = attempts.filter((r) => r.status === 200);
      const lost = attempts.filter((r) => r.status === 409);
      expect({ won: won.length, lost: lost.length }).toEqual({ won: 1, lost: 7 });
      const winner = won[0].body.assigned_to;
      for (const response of lost) expect(response.body).toMatchObject({ state: 'in_review', assigned_to: winner });
      const claims = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'review.claimed'`, [reviewId]);
      expect(claims[0].n).toBe(1);
    }
  });

  it("refuses another operator's decisions, unassign and assign on a claimed item with a 409; an admin reassigns it", async () => {
    const { reviewId } = await fixture.heldRecharge();
    expect((await fixture.command('ts', `/reviews/${reviewId}/claim`)).status).toBe(200);

    for (const [path, body] of [
      ['approve', { reason: 'not mine to approve' }],
      ['reject', { reason: 'not mine to reject' }],
      ['unassign', {}],
      ['assign', { operator_id: second.id }],
    ] as const) {
      const response = await fixture.command(second.token, `/reviews/${reviewId}/${path}`, body);
      expect({ path, status: response.status }).toEqual({ path, status: 409 });
      expect(response.body).toMatchObject({ state: 'in_review', assigned_to: tsId, assigned_email: 'ts@coinops.dev' });
    }
    // An admin may not decide someone else's item either: reassigning is the explicit step.
    expect((await fixture.command('admin', `/reviews/${reviewId}/approve`, { reason: 'admin shortcut' })).status).toBe(409);
    const reassigned = await fixture.command('admin', `/reviews/${reviewId}/assign`, { operator_id: second.id, reason: 'ts is off today' });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body).toMatchObject({ state: 'in_review', assigned_to: second.id });
    const [audit] = await api.dataSource.query(`SELECT actor_email, before, after, reason FROM audit_events WHERE entity_id = $1 AND action = 'review.reassigned'`, [reviewId]);
    expect(audit).toMatchObject({ actor_email: 'admin@coinops.dev', before: { assigned_to: tsId }, after: { assigned_to: second.id }, reason: 'ts is off today' });
    const [notification] = await api.dataSource.query(`SELECT payload FROM outbox WHERE job_name = 'operator.notification' AND payload->>'operator_id' = $1 ORDER BY id DESC LIMIT 1`, [second.id]);
    expect(notification.payload).toMatchObject({ kind: 'review.assigned', message: expect.stringContaining(reviewId) });

    expect((await fixture.command('ts', `/reviews/${reviewId}/approve`, { reason: 'no longer mine' })).status).toBe(409);
    const approved = await fixture.command(second.token, `/reviews/${reviewId}/approve`, { reason: 'checked with the bank' });
    expect(approved.status).toBe(200);
    expect(approved.body.review).toMatchObject({ state: 'approved', decided_by: second.id });
  });

  it('lets the holder hand an item over or let it go, and an admin take it off someone', async () => {
    const { reviewId } = await fixture.heldRecharge();
    await fixture.command('ts', `/reviews/${reviewId}/claim`);
    expect((await fixture.command('ts', `/reviews/${reviewId}/assign`, { operator_id: second.id })).body).toMatchObject({ assigned_to: second.id, state: 'in_review' });
    expect((await fixture.command(second.token, `/reviews/${reviewId}/unassign`, { reason: 'needs a senior look' })).body).toMatchObject({ state: 'open', assigned_to: null });
    await fixture.command(second.token, `/reviews/${reviewId}/claim`);
    expect((await fixture.command('admin', `/reviews/${reviewId}/unassign`, {})).body).toMatchObject({ state: 'open', assigned_to: null });
  });

  it('assigns only to enabled operators who can decide', async () => {
    const { reviewId } = await fixture.heldRecharge();
    const viewerId = (await fixture.read('viewer', '/auth/me')).body.id;
    const response = await fixture.command('admin', `/reviews/${reviewId}/assign`, { operator_id: viewerId });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'operator_id', message: expect.stringMatching(/trust_safety or admin/) }]);
  });

  it('refuses claims and decisions to roles that only read, and shows them the queue', async () => {
    const { reviewId } = await fixture.heldRecharge();
    for (const who of ['viewer', 'support', 'finance'] as const) {
      expect((await fixture.command(who, `/reviews/${reviewId}/claim`)).status).toBe(403);
      expect((await fixture.command(who, `/reviews/bulk-approve`, { ids: [reviewId], reason: 'not allowed' })).status).toBe(403);
      expect((await fixture.read(who, `/reviews/${reviewId}`)).status).toBe(200);
    }
  });
});
