import { IllegalTransition } from '../domain-errors';
import { REVIEW_MACHINE } from './review';
import { defineStateMachine, illegalTransitions, transition } from './state-machine';

describe('state machines as data', () => {
  it('moves a review through its legal path', () => {
    expect(transition(REVIEW_MACHINE, 'r1', 'open', 'claim')).toBe('in_review');
    expect(transition(REVIEW_MACHINE, 'r1', 'in_review', 'approve')).toBe('approved');
  });

  it('refuses an illegal transition with a 409 that names the current state', () => {
    try {
      transition(REVIEW_MACHINE, 'r1', 'approved', 'reject');
      throw new Error('expected IllegalTransition');
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransition);
      expect((error as IllegalTransition).statusCode).toBe(409);
      expect((error as IllegalTransition).extra).toMatchObject({ state: 'approved', action: 'reject' });
    }
  });

  it('lists every refused pair, so tests can walk them all', () => {
    const refused = illegalTransitions(REVIEW_MACHINE);
    expect(refused).toContainEqual({ state: 'approved', action: 'approve' });
    expect(refused).toContainEqual({ state: 'open', action: 'approve' });
    expect(refused).not.toContainEqual({ state: 'open', action: 'claim' });
  });

  it('rejects a table naming a state it does not declare', () => {
    expect(() => defineStateMachine({ entity: 'x', states: ['a'] as const, transitions: { go: { from: ['a'], to: 'b' as 'a' } } })).toThrow(/unknown state b/);
  });
});
