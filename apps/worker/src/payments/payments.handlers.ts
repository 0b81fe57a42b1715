import { JOBS } from '@coinops/outbox';
import { evaluateRecharge, processProviderEventIn } from '@coinops/payments';
import type { WorkerDomain } from '../domain/domain.providers';
import { handler } from '../job-handlers';
import { providerEventHandlers } from './provider-events.handlers';

/**
 * `recharge.received`: the risk decision and the coins it moves (credit, hold + review item, or
 * nothing while blocked), in the transaction that writes the job's receipt: delivered twice, it acts once.
 */
export const paymentHandlers = (domain: WorkerDomain) => [
  handler(JOBS.rechargeReceived, async (manager, payload, outboxId) => {
    await evaluateRecharge(manager, domain, payload.recharge_id, `outbox-${outboxId}`);
  }),
  // A stored refund, dispute, early fraud warning or payout event: its flow acts on it once. One that must
  // wait (its charge not evaluated yet) or is locked by another worker is left to the sweep.
  handler(JOBS.providerEventReceived, async (manager, payload) => {
    await processProviderEventIn(manager, payload.provider_event_row_id, providerEventHandlers(domain));
  }),
];
