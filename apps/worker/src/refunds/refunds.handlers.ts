import { JOBS } from '@coinops/outbox';
import { systemActor } from '@coinops/access';
import { DEFAULT_REFUND_SETTINGS, executeRefund, requestAutomaticRefund } from '@coinops/payments';
import type { WorkerDomain } from '../domain/domain.providers';
import { handler } from '../job-handlers';

/**
 * `refund.execute`: the provider call of an approved (or retried) refund (docs/refunds.md, "Execution").
 * A transient provider failure rethrows, so BullMQ retries with exponential backoff (the relayer's
 * attempts); the refund's own idempotency key makes every retry safe at the provider.
 */
export const refundHandlers = (domain: WorkerDomain) => [
  handler(JOBS.refundExecute, async (manager, payload, outboxId) => {
    await executeRefund(manager, { provider: domain.provider, settings: domain.refunds ?? DEFAULT_REFUND_SETTINGS }, payload.refund_id, `outbox-${outboxId}`);
  }),
  // A review rejected a held recharge: its automatic refund starts now rather than at the next sweep
  // (the sweep stays as the backstop; one automatic refund per recharge whoever asks first).
  handler(JOBS.rechargeRejected, async (manager, payload, outboxId) => {
    await requestAutomaticRefund(manager, systemActor('worker:recharge.rejected', `outbox-${outboxId}`), payload.recharge_id, payload.reason);
  }),
];
