import { assertFourEyes, recordAudit, type Actor } from '@coinops/access';
import { DomainError, PAYOUT_MACHINE, transition } from '@coinops/contracts';
import type { ListQuery } from '@coinops/db';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { creatorEarnings, creatorGiftSources } from './creator-insights';
import { releaseHold, reevaluateOpenPayouts } from './payout-holds';
import {
  assertBulkIds, getPayout, getPayoutBatch, listPayoutBatches, listPayouts, payoutBatchCsv, payoutTotals, type PayoutDetail,
} from './payout-query';
import { checkReason, lockPayout, movePayout, type PayoutRow } from './payout-store';
import { cancelPayoutIn, requestPayoutIn, type PayoutDeps } from './request-payout';

export const MAX_BULK_PAYOUTS = 100;

export interface BulkPayoutResult {
  id: string;
  ok: boolean;
  state?: string;
  error?: { statusCode: number; message: string; [key: string]: unknown };
}

/**
 * Payouts for the API (docs/payouts.md): every write is one transaction with its ledger entry and audit
 * rows; every illegal transition is a 409 naming the current state.
 */
export class PayoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deps: PayoutDeps,
  ) {}

  /** Support (or finance, admin) asks for a payout on a creator's behalf, with a reason. */
  async request(actor: Actor, input: { creatorId: string; diamonds: bigint; method?: string | null; payoutId?: string | null; reason: string }): Promise<PayoutDetail> {
    const payout = await this.dataSource.transaction((manager) =>
      requestPayoutIn(manager, this.deps, actor, {
        payoutId: input.payoutId ?? `console-${randomUUID()}`,
        creatorId: input.creatorId,
        diamonds: input.diamonds,
        method: input.method,
        via: 'console',
        reason: input.reason,
      }),
    );
    return getPayout(this.dataSource, payout.id);
  }

  /**
   * One approval. Below the threshold it approves; above it the first approval is recorded and the
   * second, by another operator (never the requester), approves. The row lock makes racing approvals
   * serial: the second sees the first.
   */
  async approve(actor: Actor, id: string, reason: string): Promise<PayoutDetail> {
    const why = checkReason(reason);
    await this.dataSource.transaction((manager) => this.approveIn(manager, actor, id, why));
    return getPayout(this.dataSource, id);
  }

  async bulkApprove(actor: Actor, ids: unknown, reason: string): Promise<BulkPayoutResult[]> {
    const why = checkReason(reason);
    const results: BulkPayoutResult[] = [];
    for (const id of assertBulkIds(ids, MAX_BULK_PAYOUTS)) {
      try {
        const state = await this.dataSource.transaction((manager) => this.approveIn(manager, actor, id, why));
        results.push({ id, ok: true, state });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ id, ok: false, error: { ...error.extra, statusCode: error.statusCode, message: error.message } });
      }
    }
    return results;
  }

  async reject(actor: Actor, id: string, reason: string): Promise<PayoutDetail> {
    const why = checkReason(reason);
    await this.dataSource.transaction(async (manager) => {
      const payout = await lockPayout(manager, id);
      transition(PAYOUT_MACHINE, payout.id, payout.state, 'reject');
      const voided = await this.deps.ledger.voidPending(payout.reservation_transaction_id, { manager, reason: `payout rejected: ${why}`.slice(0, 500) });
      await movePayout(manager, actor, payout, 'reject', { resolution_transaction_id: voided.id, decided_by: actor.operatorId, decision_reason: why, closed_at: new Date() }, {
        reason: why,
        after: { resolution_transaction_id: voided.id },
      });
      return payout.creator_id;
    }).then((creatorId) => this.afterRelease(creatorId));
    return getPayout(this.dataSource, id);
  }

  async cancel(actor: Actor, id: string, reason: string): Promise<PayoutDetail> {
    const why = checkReason(reason);
    const payout = await this.dataSource.transaction(async (manager) => cancelPayoutIn(manager, this.deps.ledger, actor, await lockPayout(manager, id), why));
    await this.afterRelease(payout.creator_id);
    return getPayout(this.dataSource, id);
  }

  async releaseHold(actor: Actor, id: string, holdId: string, reason: string): Promise<PayoutDetail> {
    await releaseHold(this.dataSource, actor, id, holdId, reason, this.deps.settings);
    return getPayout(this.dataSource, id);
  }

  /**
   * Diamonds given back to a creator may clear another payout's reserve-window or chargeback hold: that
   * creator's open payouts are re-evaluated at once (after the commit; the schedule would within a minute).
   */
  private async afterRelease(creatorId: string): Promise<void> {
    await reevaluateOpenPayouts(this.dataSource, this.deps.settings, { creatorId }).catch(() => undefined);
  }

  /** Re-evaluates one creator's open payouts now (the schedule does all of them every minute). */
  reevaluate(creatorId?: string) {
    return reevaluateOpenPayouts(this.dataSource, this.deps.settings, { creatorId });
  }

  list(list: ListQuery) {
    return listPayouts(this.dataSource, list);
  }
  get(id: string) {
    return getPayout(this.dataSource, id);
  }
  totals(query: Record<string, unknown>) {
    return payoutTotals(this.dataSource, query);
  }
  batches(list: ListQuery) {
    return listPayoutBatches(this.dataSource, list);
  }
  batch(id: string) {
    return getPayoutBatch(this.dataSource, id);
  }
  batchCsv(id: string) {
    return payoutBatchCsv(this.dataSource, id);
  }
  creatorEarnings(creatorId: string, days?: number) {
    return creatorEarnings(this.dataSource, creatorId, days);
  }
  creatorGiftSources(creatorId: string) {
    return creatorGiftSources(this.dataSource, creatorId, this.deps.settings);
  }

  private async approveIn(manager: EntityManager, actor: Actor, id: string, reason: string): Promise<PayoutRow['state']> {
    const payout = await lockPayout(manager, id);
    transition(PAYOUT_MACHINE, payout.id, payout.state, 'approve');
    const given: Array<{ operator_id: string }> = await manager.query(
      `SELECT operator_id FROM payout_approvals WHERE payout_id = $1 AND approval_round = $2 ORDER BY id`,
      [payout.id, payout.approval_round],
    );
    assertFourEyes({ requestedBy: payout.requested_by, approver: actor, approvedBy: given.map((a) => a.operator_id), entity: 'payout', entityId: payout.id });
    await manager.query(
      `INSERT INTO payout_approvals (payout_id, approval_round, operator_id, operator_email, reason) VALUES ($1, $2, $3, $4, $5)`,
      [payout.id, payout.approval_round, actor.operatorId, actor.email ?? actor.operatorId, reason],
    );
    const approvals = given.length + 1;
    if (approvals < payout.approvals_required) {
      await recordAudit(manager, actor, {
        action: 'payout.approval_recorded',
        entity: 'payout',
        entityId: payout.id,
        before: { state: payout.state, approvals: given.length },
        after: { state: payout.state, approvals, approvals_required: payout.approvals_required },
        reason,
      });
      return payout.state;
    }
    return movePayout(manager, actor, payout, 'approve', { approved_at: new Date(), decided_by: actor.operatorId, decision_reason: reason }, {
      reason,
      after: { approvals, approvals_required: payout.approvals_required },
    });
  }
}
