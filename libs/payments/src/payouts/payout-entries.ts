import { ValidationFailed } from '@coinops/contracts';
import {
  cashForDiamonds, creatorDiamonds, DEFAULT_ECONOMY, platformAccount, providerClearing, ratio, sourceFor,
  type AccountSpec, type IntegerRatio, type TransactionInput,
} from '@coinops/ledger';
import type { EntityManager } from 'typeorm';

/**
 * The payout's ledger entries (DESIGN §3, docs/payouts.md "Ledger"):
 * - request: a hold (pending) moving the diamonds from the creator to `platform:payouts:diamonds`
 *   (the diamonds that buy the cash) and `platform:payouts:rounding:<cur>` (what rounding the cash down left);
 * - paid: that hold posted, and the cash legs `provider:<p>:clearing:<cur>` −cash, `platform:payouts:paid:<cur>` +cash;
 * - rejected, canceled or failed: the hold voided.
 * Each asset sums to zero in each transaction.
 */
export interface PayoutQuote {
  readonly diamonds: bigint;
  readonly diamondsForCash: bigint;
  readonly roundingDiamonds: bigint;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly usdEquivalentMinor: bigint;
  /** The platform account named by the rate's configuration for what rounding leaves. */
  readonly roundingAccount: string;
}

interface RatioRow {
  key: string;
  numerator: string;
  denominator: string;
  remainder_account: string;
}

/** Diamonds → cash at the configured rate (`economy_ratios`, integer fractions), rounding down. */
export async function quotePayout(manager: EntityManager, diamonds: bigint, currency: string): Promise<PayoutQuote> {
  const rows: RatioRow[] = await manager.query(
    `SELECT key, numerator::text, denominator::text, remainder_account FROM economy_ratios WHERE key = ANY($1::text[])`,
    [[`cash_minor_per_diamond:${currency}`, 'cash_minor_per_diamond:USD']],
  );
  const rates = new Map(rows.map((row) => [row.key.slice('cash_minor_per_diamond:'.length), row]));
  const own = rates.get(currency);
  if (!own) throw ValidationFailed.field('currency', `no payout rate is configured for ${currency}`);
  const toRatio = (row: RatioRow): IntegerRatio => ratio(BigInt(row.numerator), BigInt(row.denominator));
  const economy = { ...DEFAULT_ECONOMY, cashMinorPerDiamond: Object.fromEntries([...rates].map(([code, row]) => [code, toRatio(row)])) };
  const amountMinor = cashForDiamonds(diamonds, currency, economy).cashMinor;
  if (amountMinor <= 0n) throw ValidationFailed.field('diamonds', 'are worth less than one minor unit of cash');
  const diamondsForCash = sourceFor(amountMinor, toRatio(own));
  const usd = rates.get('USD');
  return {
    diamonds,
    diamondsForCash,
    roundingDiamonds: diamonds - diamondsForCash,
    amountMinor,
    currency,
    usdEquivalentMinor: usd ? cashForDiamonds(diamondsForCash, 'USD', economy).cashMinor : amountMinor,
    roundingAccount: own.remainder_account,
  };
}

export const PAYOUT_DIAMONDS = (): AccountSpec => platformAccount('payouts:diamonds', 'DIAMOND');
export const payoutsPaid = (currency: string): AccountSpec => platformAccount(`payouts:paid:${currency.toLowerCase()}`, currency);

function roundingAccount(code: string): AccountSpec {
  return platformAccount(code.replace(/^platform:/, ''), 'DIAMOND');
}

export interface ReservationInput {
  readonly payoutId: string;
  readonly creatorId: string;
  readonly diamondsForCash: bigint;
  readonly roundingDiamonds: bigint;
  readonly roundingAccount: string;
}

export const reservationKey = (payoutId: string) => `payout:${payoutId}:reserve`;
export const cashKey = (payoutId: string) => `payout:${payoutId}:cash`;

/** The hold that reserves the creator's diamonds on request. */
export function buildReservation(input: ReservationInput): TransactionInput {
  const legs = [
    { account: creatorDiamonds(input.creatorId), amount: -(input.diamondsForCash + input.roundingDiamonds) },
    { account: PAYOUT_DIAMONDS(), amount: input.diamondsForCash },
  ];
  if (input.roundingDiamonds > 0n) legs.push({ account: roundingAccount(input.roundingAccount), amount: input.roundingDiamonds });
  return {
    idempotencyKey: reservationKey(input.payoutId),
    type: 'payout',
    pending: true,
    postings: legs,
    reference: { type: 'payout', id: input.payoutId },
    metadata: { creator_id: input.creatorId },
  };
}

/** The cash that left the provider balance for the creator, booked when the provider confirms it paid. */
export function buildCashLegs(payout: { id: string; provider: string; amountMinor: bigint; currency: string; providerPayoutId: string | null }): TransactionInput {
  return {
    idempotencyKey: cashKey(payout.id),
    type: 'payout',
    postings: [
      { account: providerClearing(payout.provider, payout.currency), amount: -payout.amountMinor },
      { account: payoutsPaid(payout.currency), amount: payout.amountMinor },
    ],
    reference: { type: 'payout', id: payout.id },
    metadata: { provider_payout_id: payout.providerPayoutId },
  };
}
