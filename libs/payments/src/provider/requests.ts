import { isCurrency } from '@coinops/ledger';
import { ProviderRejected } from './errors';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,255}$/;

/** The common checks of every provider call: a usable idempotency key, a positive amount, a currency. */
export function checkCallRequest(provider: string, request: { amountMinor: bigint; currency: string; idempotencyKey: string }): void {
  if (!IDEMPOTENCY_KEY.test(request.idempotencyKey ?? '')) throw new ProviderRejected(provider, 'idempotency key must be 8-255 letters, digits, dots, colons, dashes or underscores');
  if (typeof request.amountMinor !== 'bigint' || request.amountMinor <= 0n) throw new ProviderRejected(provider, 'amount must be a positive bigint of minor units');
  if (!/^[A-Z]{3}$/.test(request.currency ?? '') || !isCurrency(request.currency)) throw new ProviderRejected(provider, 'currency must be an ISO 4217 code in upper case');
}

/** Provider APIs take JSON numbers: the one place a bigint amount becomes a number, checked to be exact. */
export function toProviderAmount(provider: string, amountMinor: bigint): number {
  if (amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProviderRejected(provider, 'amount is too large for the provider');
  return Number(amountMinor);
}
