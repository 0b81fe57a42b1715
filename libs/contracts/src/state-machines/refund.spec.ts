import { ADJUSTMENT_MACHINE } from './adjustment';
import { REFUND_MACHINE } from './refund';
import { illegalTransitions, transition } from './state-machine';

describe('the refund and adjustment state machines', () => {
  it('walks a refund along DESIGN §5: requested → approved → processing → succeeded | failed, failed → processing again', () => {
    expect(transition(REFUND_MACHINE, 'r', 'requested', 'approve')).toBe('approved');
    expect(transition(REFUND_MACHINE, 'r', 'approved', 'execute')).toBe('processing');
    expect(transition(REFUND_MACHINE, 'r', 'processing', 'confirm')).toBe('succeeded');
    expect(transition(REFUND_MACHINE, 'r', 'processing', 'fail')).toBe('failed');
    expect(transition(REFUND_MACHINE, 'r', 'failed', 'retry')).toBe('processing');
  });

  it('leaves nothing out of succeeded and rejected, and never approves twice', () => {
    const refused = illegalTransitions(REFUND_MACHINE);
    for (const action of Object.keys(REFUND_MACHINE.transitions)) {
      expect(refused).toContainEqual({ state: 'succeeded', action });
      expect(refused).toContainEqual({ state: 'rejected', action });
    }
    for (const state of ['approved', 'processing', 'failed']) expect(refused).toContainEqual({ state, action: 'approve' });
  });

  it('posts an adjustment only once approved, and never after a reject', () => {
    expect(transition(ADJUSTMENT_MACHINE, 'a', 'requested', 'approve')).toBe('approved');
    expect(transition(ADJUSTMENT_MACHINE, 'a', 'approved', 'post')).toBe('posted');
    const refused = illegalTransitions(ADJUSTMENT_MACHINE);
    expect(refused).toContainEqual({ state: 'requested', action: 'post' });
    expect(refused).toContainEqual({ state: 'rejected', action: 'post' });
    expect(refused).toContainEqual({ state: 'posted', action: 'approve' });
  });
});
