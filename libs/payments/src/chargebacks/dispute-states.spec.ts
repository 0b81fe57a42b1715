import { CHARGEBACK_FINAL_STATES, CHARGEBACK_MACHINE, CHARGEBACK_STATES, illegalTransitions } from '@coinops/contracts';
import { DISPUTE_STATUSES } from '../provider/provider-event';
import { actionBetween, chargebackStateOf, isNewer } from './dispute-states';

describe('dispute statuses and the chargeback state machine', () => {
  it('maps every Stripe dispute status to a chargeback state; inquiries never to a disputed one', () => {
    const mapped = Object.fromEntries(DISPUTE_STATUSES.map((status) => [status, chargebackStateOf(status, 'updated')]));
    expect(mapped).toEqual({
      warning_needs_response: 'inquiry', warning_under_review: 'inquiry', warning_closed: 'inquiry_closed',
      needs_response: 'needs_response', under_review: 'under_review', won: 'won', lost: 'lost', prevented: 'won',
    });
    expect(chargebackStateOf('needs_response', 'created')).toBe('opened');
  });

  it('never leaves a final state and never goes back to an inquiry once disputed', () => {
    for (const from of CHARGEBACK_FINAL_STATES) for (const to of CHARGEBACK_STATES) expect(actionBetween(from, to)).toBeNull();
    for (const from of ['opened', 'needs_response', 'under_review'] as const) expect(actionBetween(from, 'inquiry')).toBeNull();
    expect(actionBetween('under_review', 'lost')).toBe('lose');
    expect(actionBetween('inquiry', 'opened')).toBe('open');
    expect(illegalTransitions(CHARGEBACK_MACHINE).length).toBeGreaterThan(0);
  });

  it('orders events by provider time, then by how far the dispute has gone', () => {
    const t = new Date('2026-11-01T00:00:00Z');
    expect(isNewer(new Date(t.getTime() + 1000), 0, t, 4)).toBe(true);
    expect(isNewer(t, 4, t, 3)).toBe(true);
    expect(isNewer(t, 3, t, 3)).toBe(false);
    expect(isNewer(new Date(t.getTime() - 1000), 4, t, 0)).toBe(false);
  });
});
