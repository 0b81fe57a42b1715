import { JOBS } from '@coinops/outbox';
import { evaluateRecharge } from '@coinops/payments';
import type { WorkerDomain } from '../domain/domain.providers';
import { handler } from '../job-handlers';

/**
 * `recharge.received`: the risk decision and the coins it moves (credit, hold + review item, or
 * nothing while blocked), in the transaction that writes the job's receipt: delivered twice, it acts once.
 */
export const paymentHandlers = (domain: WorkerDomain) => [
  handler(JOBS.rechargeReceived, async (manager, payload, outboxId) => {
    await evaluateRecharge(manager, domain, payload.recharge_id, `outbox-${outboxId}`);
  }),
];
