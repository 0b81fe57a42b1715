import type { Ledger } from '@coinops/ledger';
import type { EntityManager } from 'typeorm';
import type { ProviderEventHandler } from '../provider-events/dispatch';
import type { PayoutEvent } from '../provider/provider-event';
import { EXECUTION_ACTOR, failPayoutIn, noteProviderEvent, payPayoutIn } from './execute-payouts';
import type { PayoutRow } from './payout-store';

const KEY = /^payout:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** An unmatched confirmation waits this long for the worker to record the provider's payout id, then is noted and dropped. */
export const UNMATCHED_WAIT_MINUTES = 60;

async function findPayout(manager: EntityManager, provider: string, event: PayoutEvent): Promise<PayoutRow | null> {
  const [byProviderId]: PayoutRow[] = event.payoutId
    ? await manager.query(`SELECT * FROM payouts WHERE provider = $1 AND provider_payout_id = $2 FOR UPDATE`, [provider, event.payoutId])
    : [];
  if (byProviderId) return byProviderId;
  // The worker may have been killed between the provider accepting and recording the id: the key names the payout.
  const id = KEY.exec(event.idempotencyKey ?? '')?.[1];
  if (!id) return null;
  const [byKey]: PayoutRow[] = await manager.query(`SELECT * FROM payouts WHERE id = $1 FOR UPDATE`, [id]);
  return byKey ?? null;
}

/**
 * `payout.paid` / `payout.failed` (provider-event kind `payout`), in the transaction that marks the event
 * processed: a processing payout is paid (reservation posted + cash legs) or failed (reservation voided,
 * reason kept), exactly once. A duplicate or late confirmation of a settled payout changes nothing.
 */
export function payoutEventHandler(ledger: Ledger): ProviderEventHandler {
  return async (manager, stored, normalized) => {
    if (normalized.kind !== 'payout') return 'done';
    const payout = await findPayout(manager, stored.provider, normalized);
    if (!payout) {
      const ageMinutes = (Date.now() - new Date(stored.received_at).getTime()) / 60_000;
      if (ageMinutes < UNMATCHED_WAIT_MINUTES && !KEY.test(normalized.idempotencyKey ?? '')) return 'wait';
      await noteProviderEvent(manager, null, 'event_unmatched', { provider: stored.provider, provider_payout_id: normalized.payoutId, event: stored.provider_event_id });
      return 'done';
    }
    if (payout.state !== 'processing') {
      await noteProviderEvent(manager, payout.id, 'event_ignored', { state: payout.state, status: normalized.status, event: stored.provider_event_id });
      return 'done';
    }
    if (normalized.status === 'paid') {
      if (normalized.amountMinor !== BigInt(payout.amount_minor) || normalized.currency !== payout.currency) {
        // Never book cash the payout did not ask for: a person looks at it (the payout stays processing).
        await noteProviderEvent(manager, payout.id, 'amount_mismatch', { expected: `${payout.amount_minor} ${payout.currency}`, reported: `${normalized.amountMinor} ${normalized.currency}`, event: stored.provider_event_id });
        return 'done';
      }
      await payPayoutIn(manager, ledger, EXECUTION_ACTOR, payout, normalized.payoutId || null);
    } else {
      await failPayoutIn(manager, ledger, EXECUTION_ACTOR, payout, `the provider reported the payout failed: ${normalized.failureCode ?? 'no code given'}`);
    }
    return 'done';
  };
}
