import { disputeHandler, earlyFraudWarningHandler, type ProviderEventHandlers } from '@coinops/payments';
import { refundEventHandler } from '@coinops/payments';
import { payoutEventHandler } from '@coinops/payments';
import type { WorkerDomain } from '../domain/domain.providers';

/**
 * The flow that takes each kind of stored provider event (docs/payments.md, "Provider events"): one
 * handler per normalized kind, run in the transaction that marks the event processed. Each flow adds
 * its own entry here: `charge_refunded` (refunds), `dispute` and `early_fraud_warning` (chargebacks),
 * `payout` (payouts). A kind without a handler stays stored, unprocessed, until one exists.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function providerEventHandlers(domain: WorkerDomain): ProviderEventHandlers {
  return {
    charge_refunded: refundEventHandler({ ledger: domain.ledger }),
    dispute: disputeHandler({ ledger: domain.ledger, risk: domain.risk, settings: domain.chargebacks }),
    early_fraud_warning: earlyFraudWarningHandler(),
    payout: payoutEventHandler(domain.ledger),
  };
}
