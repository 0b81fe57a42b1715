import { illegalTransitions, REVIEW_MACHINE, type ReviewState } from '@coinops/contracts';
import { startApi, type TestApi } from './harness';
import { ReviewFixture } from './reviews.fixture';

const REASON = { reason: 'walking the review state machine' };

describe('the review state machine over HTTP', () => {
  let api: TestApi;
  let fixture: ReviewFixture;
  const itemIn: Partial<Record<ReviewState, string>> = {};

  beforeAll(async () => {
    api = await startApi();
    fixture = new ReviewFixture(api);
    // One item per state, reached through the API's own legal transitions.
    for (const state of REVIEW_MACHINE.states) itemIn[state] = (await fixture.heldRecharge()).reviewId;
    const steps: Array<[ReviewState, string[]]> = [
      ['in_review', ['claim']],
      ['escalated', ['escalate']],
      ['approved', ['claim', 'approve']],
      ['rejected', ['claim', 'reject']],
    ];
    for (const [state, actions] of steps) {
      for (const action of actions) {
        const response = await fixture.command('ts', `/reviews/${itemIn[state]}/${action}`, action === 'claim' ? {} : REASON);
        if (response.status !== 200) throw new Error(`${action} failed on the way to ${state}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
  });
  afterAll(() => api.close());

  it('has an item in every state of the machine', async () => {
    for (const state of REVIEW_MACHINE.states) {
      const response = await fixture.read('viewer', `/reviews/${itemIn[state]}`);
      expect({ state, got: response.body.state }).toEqual({ state, got: state });
    }
  });

  it('answers every illegal transition with a 409 that names the current state, and changes nothing', async () => {
    const refused = illegalTransitions(REVIEW_MACHINE);
    expect(refused.length).toBeGreaterThan(10);
    for (const { state, action } of refused) {
      const id = itemIn[state]!;
      const [{ audits: before }] = await api.dataSource.query(`SELECT count(*)::int AS audits FROM audit_events WHERE entity_id = $1`, [id]);
      // The holder of the in_review item asks: only the state can be the reason for the refusal.
      const response = await fixture.command('ts', `/reviews/${id}/${action}`, action === 'claim' ? {} : REASON);
      expect({ state, action, status: response.status, bodyState: response.body.state }).toEqual({ state, action, status: 409, bodyState: state });
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict', entity: 'review', id, action });
      expect(response.body.message).toContain(`is ${state}`);
      const [{ audits: after }] = await api.dataSource.query(`SELECT count(*)::int AS audits FROM audit_events WHERE entity_id = $1`, [id]);
      expect({ state, action, audits: after }).toEqual({ state, action, audits: before });
      expect((await fixture.read('viewer', `/reviews/${id}`)).body.state).toBe(state);
    }
  });

  it('claims an escalated item back into review (escalation releases the claim)', async () => {
    const response = await fixture.command('admin', `/reviews/${itemIn.escalated}/claim`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'in_review', assigned_email: 'admin@coinops.dev' });
  });

  it('refuses an unknown item with a 404 and a malformed id with a 400', async () => {
    expect((await fixture.command('ts', '/reviews/00000000-0000-4000-8000-000000000000/claim')).status).toBe(404);
    expect((await fixture.command('ts', '/reviews/not-a-uuid/claim')).status).toBe(400);
  });
});
