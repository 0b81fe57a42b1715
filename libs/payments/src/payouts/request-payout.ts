import { recordAudit, type Actor } from '@coinops/access';
import { Conflict, NotFound, PAYOUT_MACHINE, transition, ValidationFailed } from '@coinops/contracts';
import { assertPositive, formatMajor, type Ledger } from '@coinops/ledger';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { buildReservation, quotePayout } from './payout-entries';
import { reconcileHolds } from './payout-holds';
import type { PayoutSettings } from './payout-settings';
import { checkReason, lockPayoutByExternalId, movePayout, type PayoutRow } from './payout-store';

export interface PayoutDeps {
  ledger: Ledger;
  settings: PayoutSettings;
}

export interface PayoutRequestInput {
  /** The platform's payout id (idempotency: the same id twice is one payout). */
  payoutId: string;
  creatorId: string;
  diamonds: bigint;
  method?: string | null;
  via: 'platform' | 'console';
  /** Why support asked on the creator's behalf (console requests). */
  reason?: string | null;
}

/** The payout method when the request names none: the creator's default payout account at the provider. */
export const DEFAULT_PAYOUT_METHOD = 'default';
const EXTERNAL_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const METHOD = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * A payout request (DESIGN §5), in the caller's transaction: the diamonds converted to cash at the
 * configured rate in the creator's payout currency, at least the minimum; the diamonds reserved by a
 * ledger hold (409 with `available` when they are not there); then its holds evaluated at once, so it
 * leaves `requested` for `on_hold` or `pending_approval`. The same payout id again returns the first payout.
 */
export async function requestPayoutIn(manager: EntityManager, deps: PayoutDeps, actor: Actor, input: PayoutRequestInput): Promise<PayoutRow> {
  // A platform event names its fields `data.<field>` (like every other event refusal).
  const field = (name: string) => (input.via === 'platform' ? `data.${name}` : name);
  if (!EXTERNAL_ID.test(input.payoutId ?? '')) throw ValidationFailed.field(field('payout_id'), 'must be 1-100 letters, digits, dots, colons, dashes or underscores');
  assertPositive(input.diamonds, field('diamonds'));
  const method = input.method ?? DEFAULT_PAYOUT_METHOD;
  if (!METHOD.test(method)) throw ValidationFailed.field(field('method'), 'must be 1-100 letters, digits, dots, colons, dashes or underscores');
  const reason = input.via === 'console' ? checkReason(input.reason) : null;

  const existing = await lockPayoutByExternalId(manager, input.payoutId);
  if (existing) {
    if (existing.creator_id === input.creatorId && BigInt(existing.diamonds) === input.diamonds) return existing;
    throw new Conflict(`payout ${input.payoutId} was requested before with other values`, undefined, { payout_id: input.payoutId, id: existing.id });
  }
  const [creator] = await manager.query(`SELECT id, payout_currency FROM creators WHERE id = $1`, [input.creatorId]);
  if (!creator) throw new NotFound('creator', input.creatorId);
  if (!creator.payout_currency) throw ValidationFailed.field(field('creator_id'), 'the creator has no payout currency yet (no creator.created received)');

  const quote = await quotePayout(manager, input.diamonds, creator.payout_currency);
  if (quote.amountMinor < deps.settings.minAmountMinor) {
    throw ValidationFailed.field(field('diamonds'), `pay ${formatMajor(quote.amountMinor, quote.currency)} ${quote.currency}, below the minimum payout of ${formatMajor(deps.settings.minAmountMinor, quote.currency)} ${quote.currency}`);
  }
  const id = randomUUID();
  const reservation = await deps.ledger.post(
    buildReservation({ payoutId: id, creatorId: input.creatorId, diamondsForCash: quote.diamondsForCash, roundingDiamonds: quote.roundingDiamonds, roundingAccount: quote.roundingAccount }),
    { manager },
  );
  const [payout]: PayoutRow[] = await manager.query(
    `INSERT INTO payouts (id, payout_id, creator_id, state, diamonds, diamonds_for_cash, rounding_diamonds, amount_minor, currency, usd_equivalent_minor,
                          approvals_required, method, requested_by, requested_via, request_reason, reservation_transaction_id)
     VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     RETURNING *`,
    [
      id, input.payoutId, input.creatorId, quote.diamonds, quote.diamondsForCash, quote.roundingDiamonds, quote.amountMinor, quote.currency, quote.usdEquivalentMinor,
      quote.usdEquivalentMinor > deps.settings.dualApprovalUsdMinor ? 2 : 1, method, actor.operatorId, input.via, reason, reservation.id,
    ],
  );
  await recordAudit(manager, actor, {
    action: 'payout.requested',
    entity: 'payout',
    entityId: id,
    after: { state: 'requested', payout_id: input.payoutId, creator_id: input.creatorId, diamonds: String(quote.diamonds), amount_minor: String(quote.amountMinor), currency: quote.currency, reservation_transaction_id: reservation.id },
    reason,
  });
  await reconcileHolds(manager, actor, payout, deps.settings);
  return payout;
}

/**
 * Canceled by the creator (payout.canceled) or by support for them, before approval: the reservation is
 * voided. After approval it is an IllegalTransition (409 naming the state).
 */
export async function cancelPayoutIn(manager: EntityManager, ledger: Ledger, actor: Actor, payout: PayoutRow, reason: string): Promise<PayoutRow> {
  transition(PAYOUT_MACHINE, payout.id, payout.state, 'cancel');
  const voided = await ledger.voidPending(payout.reservation_transaction_id, { manager, reason: `payout canceled: ${reason}`.slice(0, 500) });
  await movePayout(manager, actor, payout, 'cancel', { resolution_transaction_id: voided.id, closed_at: new Date(), decision_reason: reason.slice(0, 1000) }, { reason, after: { resolution_transaction_id: voided.id } });
  return payout;
}

/** payout.canceled: the platform's payout id and creator must match a payout. */
export async function cancelPayoutFromEvent(manager: EntityManager, ledger: Ledger, actor: Actor, data: { payout_id: string; creator_id: string }): Promise<PayoutRow> {
  const payout = await lockPayoutByExternalId(manager, data.payout_id);
  if (!payout || payout.creator_id !== data.creator_id) throw new NotFound('payout', data.payout_id);
  return cancelPayoutIn(manager, ledger, actor, payout, 'canceled by the creator');
}
