import { isIP } from 'node:net';
import type { ChargeRefunded, ChargeSucceeded } from '../provider/provider-event';
import { withoutInvalidOptionalFields, type PaymentMethod, type RechargeIntake } from '../recharges/recharge-intake';
import { integer, object, positiveWhole, text, unixSeconds, type Json } from './read';

const WALLET_METHODS: Record<string, PaymentMethod> = { apple_pay: 'apple_pay', google_pay: 'google_pay' };

/**
 * `charge.succeeded` → the recharge intake. coinops' fields come from `metadata` (user_id, coins,
 * package_id, device_id, ip); the card's fingerprint, brand, issuing country, last4 and wallet from
 * `payment_method_details.card`. Required fields missing → no intake, the problems say why; a malformed
 * optional field is left out, so a paid recharge is never lost to a bad device id.
 */
export function chargeSucceeded(charge: Json, eventId: string, provider: string): ChargeSucceeded {
  const chargeId = text(charge.id) ?? '';
  const problems: string[] = [];
  const metadata = object(charge.metadata);
  const details = object(charge.payment_method_details);
  const card = details.type === 'card' ? object(details.card) : null;
  const walletType = card ? text(object(card.wallet).type, 40) : null;

  let method: PaymentMethod | null = null;
  if (details.type === 'card') method = (walletType && WALLET_METHODS[walletType]) || 'card';
  else if (details.type === 'paypal') method = 'paypal';
  else problems.push(`payment_method_details.type ${String(details.type ?? 'missing').slice(0, 40)} is not a recharge method`);

  if (charge.status !== 'succeeded' || charge.paid === false) problems.push(`charge status is ${String(charge.status).slice(0, 40)}, not succeeded`);
  const userId = text(metadata.user_id, 64);
  if (!userId) problems.push('metadata.user_id is missing');
  const coins = positiveWhole(metadata.coins);
  if (coins === null) problems.push('metadata.coins is not a positive whole number');
  const amountMinor = integer(charge.amount);
  if (amountMinor === null || amountMinor <= 0n) problems.push('amount is not a positive whole number');
  const currency = text(charge.currency, 3)?.toUpperCase() ?? null;
  if (!currency) problems.push('currency is missing');
  const occurredAt = unixSeconds(charge.created);
  if (!occurredAt) problems.push('created is not a time');
  if (!chargeId) problems.push('id is missing');

  if (problems.length || !method || !userId || coins === null || amountMinor === null || !currency || !occurredAt) {
    return { kind: 'charge_succeeded', chargeId, recharge: null, problems };
  }
  const ip = text(metadata.ip, 64);
  const recharge: RechargeIntake = {
    provider,
    providerRef: chargeId,
    userId,
    method,
    coins,
    amountMinor,
    currency,
    packageId: text(metadata.package_id, 64),
    cardFingerprint: card ? text(card.fingerprint, 64) : null,
    cardBrand: card ? text(card.brand, 40) : null,
    cardLast4: card && typeof card.last4 === 'string' && /^\d{4}$/.test(card.last4) ? card.last4 : null,
    binCountry: card ? text(card.country, 2)?.toUpperCase() ?? null : null,
    wallet: walletType,
    deviceId: text(metadata.device_id, 200),
    ip: ip && isIP(ip) ? ip : null,
    occurredAt,
    sourceEventId: eventId,
  };
  return { kind: 'charge_succeeded', chargeId, recharge: withoutInvalidOptionalFields(recharge).intake, problems: [] };
}

/** `charge.refunded`: the charge object's refund state at the event's time (cumulative, not a delta). */
export function chargeRefunded(charge: Json): ChargeRefunded {
  const refunds = object(charge.refunds);
  const refundIds = Array.isArray(refunds.data)
    ? refunds.data.slice(0, 100).map((r) => text(object(r).id)).filter((id): id is string => id !== null)
    : [];
  return {
    kind: 'charge_refunded',
    chargeId: text(charge.id) ?? '',
    amountRefundedMinor: integer(charge.amount_refunded) ?? 0n,
    amountMinor: integer(charge.amount) ?? 0n,
    currency: text(charge.currency, 3)?.toUpperCase() ?? '',
    refunded: charge.refunded === true,
    refundIds,
  };
}
