import { ValidationFailed } from '@coinops/contracts';
import { SimulatedStripe } from '../simulator/simulated-stripe';
import { normalizeStripeEvent } from './stripe-event';

const SECRET = 'whsec_unit_test_secret_0123456789';

function stripe() {
  return new SimulatedStripe({ secret: SECRET, seed: 'normalize', nowSeconds: () => 1_764_288_400 });
}

const buyer = { userId: 'u_42', coins: 1400n, amountMinor: 1999n, currency: 'usd', packageId: 'coins_1400', deviceId: 'dev-9', ip: '203.0.113.7' };

describe('Stripe event normalization', () => {
  it('turns charge.succeeded into a recharge intake from metadata and the card details', () => {
    const event = stripe().charge({ ...buyer, card: { fingerprint: 'Fp1234567890abcd', brand: 'visa', country: 'BR', last4: '4242', wallet: null } });
    const normalized = normalizeStripeEvent(event);
    expect(normalized).toMatchObject({ provider: 'stripe', type: 'charge.succeeded', handled: true, createdAt: new Date(1_764_288_400_000) });
    expect(normalized.chargeId).toMatch(/^ch_/);
    expect(normalized.normalized).toEqual({
      kind: 'charge_succeeded',
      chargeId: normalized.chargeId,
      problems: [],
      recharge: {
        provider: 'stripe',
        providerRef: normalized.chargeId,
        userId: 'u_42',
        method: 'card',
        coins: 1400n,
        amountMinor: 1999n,
        currency: 'USD',
        packageId: 'coins_1400',
        cardFingerprint: 'Fp1234567890abcd',
        cardBrand: 'visa',
        cardLast4: '4242',
        binCountry: 'BR',
        wallet: null,
        deviceId: 'dev-9',
        ip: '203.0.113.7',
        occurredAt: new Date(1_764_288_400_000),
        sourceEventId: normalized.id,
      },
    });
  });

  it('names the wallet as the method for Apple Pay and Google Pay cards', () => {
    const sim = stripe();
    for (const wallet of ['apple_pay', 'google_pay'] as const) {
      const normalized = normalizeStripeEvent(sim.charge({ ...buyer, card: { wallet } })).normalized;
      expect(normalized).toMatchObject({ recharge: { method: wallet, wallet } });
    }
  });

  it('keeps a charge without coinops metadata as unusable, naming what is missing', () => {
    const event = stripe().charge({ ...buyer, metadata: { user_id: '', coins: 'many' } });
    expect(normalizeStripeEvent(event).normalized).toMatchObject({ recharge: null, problems: ['metadata.user_id is missing', 'metadata.coins is not a positive whole number'] });
  });

  it('leaves out a malformed optional field instead of losing the recharge', () => {
    const event = stripe().charge({ ...buyer, ip: 'not-an-ip', deviceId: 'bad\u0000device' });
    expect(normalizeStripeEvent(event).normalized).toMatchObject({ recharge: { ip: null, deviceId: null, userId: 'u_42' }, problems: [] });
  });

  it('normalizes refunds as cumulative charge state, disputes with their status, warnings and payouts', () => {
    const sim = stripe();
    const charge = normalizeStripeEvent(sim.charge(buyer));
    const chargeId = charge.chargeId!;
    expect(normalizeStripeEvent(sim.refund(chargeId, 500n).event).normalized).toMatchObject({ kind: 'charge_refunded', chargeId, amountRefundedMinor: 500n, refunded: false });
    expect(normalizeStripeEvent(sim.refund(chargeId, 1499n).event).normalized).toMatchObject({ amountRefundedMinor: 1999n, refunded: true });
    const created = normalizeStripeEvent(sim.openDispute(chargeId));
    expect(created).toMatchObject({ chargeId, normalized: { kind: 'dispute', phase: 'created', status: 'needs_response', reason: 'fraudulent', currency: 'USD' } });
    const disputeId = created.objectId!;
    expect(normalizeStripeEvent(sim.updateDispute(disputeId)).normalized).toMatchObject({ phase: 'updated', status: 'under_review', disputeId });
    expect(normalizeStripeEvent(sim.closeDispute(disputeId, 'lost')).normalized).toMatchObject({ phase: 'closed', status: 'lost' });
    expect(normalizeStripeEvent(sim.earlyFraudWarning(chargeId)).normalized).toMatchObject({ kind: 'early_fraud_warning', chargeId, fraudType: 'made_with_stolen_card', actionable: true });
    const payout = sim.payoutSettled({ id: 'po_1', amountMinor: 10_000n, currency: 'EUR', creatorId: 'c_7', method: 'bank', status: 'failed', idempotencyKey: 'payout-p1-attempt' });
    expect(normalizeStripeEvent(payout)).toMatchObject({ chargeId: null, normalized: { kind: 'payout', payoutId: 'po_1', status: 'failed', amountMinor: 10_000n, currency: 'EUR', creatorId: 'c_7', idempotencyKey: 'payout-p1-attempt', failureCode: 'account_closed' } });
  });

  it('records an unknown type as seen without keeping its payload', () => {
    const event = stripe().emit('customer.created', { id: 'cus_1', object: 'customer', email: 'someone@example.com' });
    expect(normalizeStripeEvent(event)).toMatchObject({ handled: false, type: 'customer.created', objectId: 'cus_1', normalized: null, payload: null });
  });

  it('refuses an event without id, type, created or data.object', () => {
    expect(() => normalizeStripeEvent({ id: 'evt_1', type: 'charge.succeeded', created: 'yesterday', data: {} })).toThrow(ValidationFailed);
    expect(() => normalizeStripeEvent([])).toThrow(ValidationFailed);
  });
});
