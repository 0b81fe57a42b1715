import { breachedListSize, isBreachedPassword } from './breached';
import { passwordProblem } from './policy';

describe('password policy', () => {
  it('ships the breached list: tens of thousands of entries, common ones included', () => {
    expect(breachedListSize()).toBeGreaterThan(40_000);
    expect(isBreachedPassword('password')).toBe(true);
    expect(isBreachedPassword('Qwertyuiop123')).toBe(isBreachedPassword('qwertyuiop123'));
  });

  it('refuses a short password, naming the minimum', () => {
    expect(passwordProblem('short-pass', 12)).toBe('must be at least 12 characters');
    expect(passwordProblem('a-long-enough-one', 20)).toBe('must be at least 20 characters');
  });

  it('refuses a long-enough password that is on the breached list, whatever its case', () => {
    expect(passwordProblem('1q2w3e4r5t6y')).toMatch(/breached/);
    expect(passwordProblem('1Q2W3E4R5T6Y')).toMatch(/breached/);
  });

  it('accepts a long uncommon password, and the demo operators password passes on its own merits', () => {
    expect(passwordProblem('correct-horse-battery-staple')).toBeNull();
    expect(passwordProblem('coinops-demo')).toBeNull();
  });
});
