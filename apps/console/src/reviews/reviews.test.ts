import { illegalTransitions, REVIEW_MACHINE } from '@coinops/contracts';
import { describe, expect, it } from 'vitest';
import { formatCountdown, reviewButtons } from './machine';

describe('the buttons of a review item', () => {
  it('offers a claim on an open or escalated item to trust and safety and admins only', () => {
    expect(reviewButtons({ state: 'open', assigned_to: null }, 'me', 'trust_safety')).toEqual(['claim', 'escalate']);
    expect(reviewButtons({ state: 'escalated', assigned_to: 'other' }, 'me', 'admin')).toEqual(['claim']);
    for (const role of ['viewer', 'support', 'finance']) expect(reviewButtons({ state: 'open', assigned_to: null }, 'me', role)).toEqual([]);
  });

  it('lets only the holder decide and let go; an admin may take it over', () => {
    expect(reviewButtons({ state: 'in_review', assigned_to: 'me' }, 'me', 'trust_safety')).toEqual(['unassign', 'escalate', 'approve', 'reject']);
    expect(reviewButtons({ state: 'in_review', assigned_to: 'other' }, 'me', 'trust_safety')).toEqual(['escalate']);
    expect(reviewButtons({ state: 'in_review', assigned_to: 'other' }, 'me', 'admin')).toEqual(['unassign', 'escalate', 'take_over']);
  });

  it('never offers a transition the state machine refuses', () => {
    for (const { state, action } of illegalTransitions(REVIEW_MACHINE)) {
      for (const role of ['trust_safety', 'admin']) {
        expect(reviewButtons({ state, assigned_to: 'me' }, 'me', role)).not.toContain(action);
      }
    }
    expect(reviewButtons({ state: 'approved', assigned_to: 'me' }, 'me', 'admin')).toEqual([]);
  });
});

describe('the SLA countdown', () => {
  it('shows what is left, and how late an overdue item is', () => {
    expect(formatCountdown(3 * 3600_000 + 5 * 60_000 + 30_000)).toBe('3h 05m left');
    expect(formatCountdown(200_000)).toBe('3m 20s left');
    expect(formatCountdown(-12 * 60_000)).toBe('12m 00s overdue');
    expect(formatCountdown(2 * 86_400_000 + 3 * 3600_000)).toBe('2d 3h left');
  });
});
