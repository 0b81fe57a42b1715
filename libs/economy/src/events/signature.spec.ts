import { ValidationFailed } from '@coinops/contracts';
import { signEvent, verifySignature } from './signature';

const secret = 'a-secret-of-sixteen-or-more';
const body = Buffer.from('{"id":"evt_1"}');
const now = 1_800_000_000;

const problem = (run: () => void): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).details?.[0].message;
  }
};

describe('the Coinops-Signature scheme', () => {
  it('accepts the signature it makes, within 300 seconds either way', () => {
    expect(problem(() => verifySignature(signEvent(secret, body, now), body, secret, now))).toBeUndefined();
    expect(problem(() => verifySignature(signEvent(secret, body, now - 300), body, secret, now))).toBeUndefined();
    expect(problem(() => verifySignature(signEvent(secret, body, now + 300), body, secret, now))).toBeUndefined();
  });

  it('matches Stripe: v1 is the hex HMAC-SHA256 of "<t>.<raw body>"', () => {
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const expected = createHmac('sha256', secret).update(`${now}.${body.toString()}`).digest('hex');
    expect(signEvent(secret, body, now)).toBe(`t=${now},v1=${expected}`);
  });

  it('refuses a stale, a future, a foreign, a truncated and a missing signature', () => {
    expect(problem(() => verifySignature(signEvent(secret, body, now - 301), body, secret, now))).toMatch(/300 s/);
    expect(problem(() => verifySignature(signEvent(secret, body, now + 301), body, secret, now))).toMatch(/300 s/);
    expect(problem(() => verifySignature(signEvent('another-secret-value', body, now), body, secret, now))).toBe('does not match the body');
    expect(problem(() => verifySignature(signEvent(secret, body, now).slice(0, -2), body, secret, now))).toBe('does not match the body');
    expect(problem(() => verifySignature(undefined, body, secret, now))).toBe('is missing');
    expect(problem(() => verifySignature(['t=1', 't=2'], body, secret, now))).toMatch(/once/);
  });

  it('refuses the right signature over other bytes', () => {
    expect(problem(() => verifySignature(signEvent(secret, body, now), Buffer.from('{"id": "evt_1"}'), secret, now))).toBe('does not match the body');
  });
});
