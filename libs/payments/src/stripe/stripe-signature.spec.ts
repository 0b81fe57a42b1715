import Stripe from 'stripe';
import { WebhookSignatureInvalid } from '../provider/errors';
import { SimulatedStripe } from '../simulator/simulated-stripe';
import { verifyStripeSignature } from './stripe-signature';

const SECRET = 'whsec_unit_test_secret_0123456789';
const NOW_SECONDS = 1_764_288_400;
const NOW_MS = NOW_SECONDS * 1000;

function signed(timestampSeconds = NOW_SECONDS) {
  const sim = new SimulatedStripe({ secret: SECRET, seed: 'signature', nowSeconds: () => NOW_SECONDS });
  const event = sim.charge({ userId: 'u_1', coins: 70n, amountMinor: 99n, currency: 'USD' });
  return sim.sign(event, timestampSeconds);
}

const verify = (body: string | Buffer | undefined, signature: string | undefined) =>
  verifyStripeSignature(typeof body === 'string' ? Buffer.from(body) : body, signature === undefined ? {} : { 'stripe-signature': signature }, SECRET, 300, NOW_MS);

describe('Stripe signature verification', () => {
  it('accepts what the simulator signs, as the official package checks it', () => {
    const { body, signature } = signed();
    expect(verify(body, signature)).toMatchObject({ type: 'charge.succeeded' });
    expect(() => Stripe.webhooks.constructEvent(body, signature, SECRET, 300, undefined, NOW_MS)).not.toThrow();
  });

  it.each([
    ['a missing header', (b: string) => [b, undefined], /is missing/],
    ['another secret', (b: string) => [b, Stripe.webhooks.generateTestHeaderString({ payload: b, secret: 'whsec_other_secret_00000000', timestamp: NOW_SECONDS })], /does not match/],
    ['a body changed after signing', (b: string, s: string) => [b.replace('"70"', '"7000"'), s], /does not match/],
    ['whitespace added after signing', (b: string, s: string) => [`${b} `, s], /does not match/],
    ['a malformed header', (b: string) => [b, 'sha256=abc'], /t=<unix seconds>/],
    ['an empty body', (_b: string, s: string) => [undefined, s], /signs nothing/],
  ] as const)('refuses %s', (_label, mutate, message) => {
    const { body, signature } = signed();
    const [sentBody, sentSignature] = mutate(body, signature) as [string | undefined, string | undefined];
    expect(() => verify(sentBody, sentSignature)).toThrow(WebhookSignatureInvalid);
    expect(() => verify(sentBody, sentSignature)).toThrow(message);
  });

  it('refuses a timestamp older than the tolerance and one further than it in the future', () => {
    const stale = signed(NOW_SECONDS - 301);
    expect(() => verify(stale.body, stale.signature)).toThrow(/older than 300 s/);
    const ahead = signed(NOW_SECONDS + 301);
    expect(() => verify(ahead.body, ahead.signature)).toThrow(/in the future/);
    const edge = signed(NOW_SECONDS - 299);
    expect(() => verify(edge.body, edge.signature)).not.toThrow();
  });

  it('accepts any one of several v1 signatures, as during a secret roll', () => {
    const { body, signature } = signed();
    const rolled = `${signature},v1=${'0'.repeat(64)}`;
    expect(() => verify(body, rolled)).not.toThrow();
  });
});
