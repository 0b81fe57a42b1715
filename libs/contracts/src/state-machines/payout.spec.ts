import { IllegalTransition } from '../domain-errors';
import { PAYOUT_MACHINE, PAYOUT_OPEN_STATES } from './payout';
import { canTransition, illegalTransitions, transition } from './state-machine';

describe('the payout state machine (DESIGN §5)', () => {
  it('walks request → hold → approval → execution → paid, and the failure path', () => {
    let state = transition(PAYOUT_MACHINE, 'p1', 'requested', 'hold');
    state = transition(PAYOUT_MACHINE, 'p1', state, 'clear');
    state = transition(PAYOUT_MACHINE, 'p1', state, 'approve');
    state = transition(PAYOUT_MACHINE, 'p1', state, 'process');
    expect(transition(PAYOUT_MACHINE, 'p1', state, 'pay')).toBe('paid');
    expect(transition(PAYOUT_MACHINE, 'p1', state, 'fail')).toBe('failed');
  });

  it('lets the creator cancel only before approval, and finance reject only before approval', () => {
    for (const state of PAYOUT_MACHINE.states) {
      expect({ state, cancel: canTransition(PAYOUT_MACHINE, state, 'cancel') }).toEqual({ state, cancel: PAYOUT_OPEN_STATES.includes(state) });
    }
    expect(canTransition(PAYOUT_MACHINE, 'approved', 'reject')).toBe(false);
    expect(() => transition(PAYOUT_MACHINE, 'p1', 'approved', 'cancel')).toThrow(IllegalTransition);
  });

  it('ends in paid, failed, rejected and canceled: nothing leaves them', () => {
    const refused = illegalTransitions(PAYOUT_MACHINE);
    for (const state of ['paid', 'failed', 'rejected', 'canceled'] as const) {
      expect(refused.filter((r) => r.state === state)).toHaveLength(Object.keys(PAYOUT_MACHINE.transitions).length);
    }
  });
});
