import { recordAudit, systemActor } from '@coinops/access';
import type { EntityManager } from 'typeorm';
import { ProviderError, ProviderUnavailable } from '../provider/errors';
import type { PaymentProvider } from '../provider/payment-provider';
import { PROVIDER_UNAVAILABLE } from './refund-decisions';
import type { RefundRow } from './refund-records';
import type { RefundSettings } from './refund-settings';
import { moveRefund } from './refund-transitions';

export const REFUND_EXECUTION_ACTOR = 'worker:refund.execute';

export interface RefundExecutionDeps {
  provider: PaymentProvider;
  settings: Pick<RefundSettings, 'maxProviderAttempts'>;
}

export type RefundExecution = 'sent' | 'skipped' | 'failed';

/**
 * The worker's `refund.execute` (docs/refunds.md, "Execution"): asks the provider to refund, with the
 * refund's idempotency key, while holding the refund row (so the provider's `charge.refunded` handler
 * waits until the provider's refund id is stored). Then:
 * - accepted → stays `processing` with the provider's refund id, until the webhook confirms it;
 * - refused (`ProviderRejected`, an idempotency conflict) → `failed`, the reason visible;
 * - unavailable → the call is logged outside this transaction and the error rethrown, so BullMQ retries
 *   with exponential backoff; past `maxProviderAttempts` calls of one attempt → `failed` (retryable).
 * A refund no longer `processing`, or already sent, is left alone (a redelivered job).
 */
export async function executeRefund(manager: EntityManager, deps: RefundExecutionDeps, refundId: string, requestId: string | null = null): Promise<RefundExecution> {
  // NO KEY UPDATE: the attempt log written from another connection must not wait for this lock.
  const [row]: RefundRow[] = await manager.query(`SELECT * FROM refunds WHERE id = $1 FOR NO KEY UPDATE`, [refundId]);
  if (!row || row.state !== 'processing' || row.provider_refund_id !== null) return 'skipped';
  const [recharge]: Array<{ provider_ref: string }> = await manager.query(`SELECT provider_ref FROM recharges WHERE id = $1`, [row.recharge_id]);
  const actor = systemActor(REFUND_EXECUTION_ACTOR, requestId);
  const [{ calls }]: Array<{ calls: number }> = await manager.query(
    `SELECT count(*)::int AS calls FROM refund_attempts WHERE refund_id = $1 AND idempotency_key = $2 AND outcome = 'unavailable'`,
    [refundId, row.idempotency_key],
  );
  try {
    const result = await deps.provider.refundCharge({
      chargeId: recharge.provider_ref,
      amountMinor: BigInt(row.amount_minor),
      currency: row.currency.trim(),
      idempotencyKey: row.idempotency_key,
      reason: row.reason.slice(0, 500),
    });
    await logAttempt(manager, row, 'accepted', result.refundId, null);
    await manager.query(`UPDATE refunds SET provider_refund_id = $2, updated_at = now() WHERE id = $1`, [refundId, result.refundId]);
    await recordAudit(manager, actor, { action: 'refund.sent', entity: 'refund', entityId: refundId, after: { state: 'processing', provider_refund_id: result.refundId, provider_status: result.status, idempotency_key: row.idempotency_key }, reason: 'the provider accepted the refund; its webhook confirms it' });
    return 'sent';
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    if (error instanceof ProviderUnavailable && calls + 1 < deps.settings.maxProviderAttempts) {
      // Kept whatever happens to this transaction: the count of calls decides when to stop retrying.
      await logAttempt(manager.connection.manager, row, 'unavailable', null, error.message);
      throw error;
    }
    const code = error instanceof ProviderUnavailable ? PROVIDER_UNAVAILABLE : (error.providerCode ?? error.name);
    const message = error instanceof ProviderUnavailable ? `the provider did not answer after ${calls + 1} calls: ${error.message}` : error.message;
    await logAttempt(manager, row, error instanceof ProviderUnavailable ? 'unavailable' : 'rejected', null, error.message);
    await moveRefund(manager, actor, row, 'fail', { failure_code: code.slice(0, 100), failure_reason: message.slice(0, 2000) }, message.slice(0, 1000));
    return 'failed';
  }
}

async function logAttempt(manager: EntityManager, row: RefundRow, outcome: 'accepted' | 'unavailable' | 'rejected', providerRefundId: string | null, error: string | null): Promise<void> {
  await manager.query(
    `INSERT INTO refund_attempts (refund_id, attempt, idempotency_key, outcome, provider_refund_id, error) VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.id, row.attempt, row.idempotency_key, outcome, providerRefundId, error?.slice(0, 2000) ?? null],
  );
}
