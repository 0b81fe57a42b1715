import { recordAudit, systemActor, type Actor } from '@coinops/access';
import type { Ledger } from '@coinops/ledger';
import type { DataSource, EntityManager } from 'typeorm';
import { ProviderRejected } from '../provider/errors';
import type { PaymentProvider } from '../provider/payment-provider';
import { buildCashLegs } from './payout-entries';
import type { PayoutSettings } from './payout-settings';
import { movePayout, type PayoutRow } from './payout-store';

export const EXECUTION_ACTOR = systemActor('payout-execution');

export interface ExecutionDeps {
  ledger: Ledger;
  provider: PaymentProvider;
  settings: PayoutSettings;
}

/** The provider's idempotency key of a payout: always this one, so a payout is never sent under another key. */
export const providerKey = (payoutId: string) => `payout:${payoutId}`;

/** Batches one run takes at most, and payouts it sends at most (the rest wait for the next run). */
export const MAX_BATCHES_PER_RUN = 10;
export const MAX_SENDS_PER_RUN = 500;
/**
 * Stripe remembers idempotency keys for 24 hours: a payout not known to be accepted after this long is
 * not sent again automatically (a person checks it at the provider), so a forgotten key can never pay twice.
 */
export const RESEND_WINDOW_HOURS = 20;

export interface ClaimedBatch {
  batchId: string;
  method: string;
  payoutIds: string[];
}

/**
 * Takes up to `batchSize` approved payouts of one method (the oldest approved first) into a new batch:
 * `approved` → `processing` with the batch id, in one transaction. Rows locked by a concurrent run are
 * skipped, so two workers never take the same payout.
 */
export async function claimPayoutBatch(dataSource: DataSource, deps: Pick<ExecutionDeps, 'provider' | 'settings'>, actor: Actor = EXECUTION_ACTOR): Promise<ClaimedBatch | null> {
  return dataSource.transaction(async (manager) => {
    const [oldest] = await manager.query(`SELECT method FROM payouts WHERE state = 'approved' ORDER BY approved_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`);
    if (!oldest) return null;
    const rows: PayoutRow[] = await manager.query(
      `SELECT * FROM payouts WHERE state = 'approved' AND method = $1 ORDER BY approved_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [oldest.method, deps.settings.batchSize],
    );
    if (rows.length === 0) return null;
    const [{ id: batchId }] = await manager.query(
      `INSERT INTO payout_batches (method, payout_count, created_by) VALUES ($1, $2, $3) RETURNING id`,
      [oldest.method, rows.length, actor.email ?? 'system'],
    );
    for (const payout of rows) {
      await movePayout(manager, actor, payout, 'process', { batch_id: batchId, processing_at: new Date(), provider: deps.provider.name }, { after: { batch_id: batchId } });
    }
    return { batchId, method: oldest.method, payoutIds: rows.map((r) => r.id) };
  });
}

export interface SendOutcome {
  accepted: number;
  retryLater: number;
  failed: number;
}

/**
 * Sends every processing payout not yet accepted by the provider (this run's batches, and any a killed
 * run left behind), one call each with the key `payout:<id>`. An accepted payout records the provider's
 * id with a conditional update; a refused one fails (reservation voided); a transient error waits for the
 * next run, which sends the same key again.
 */
export async function sendProcessingPayouts(dataSource: DataSource, deps: ExecutionDeps, options: { batchId?: string; limit?: number; onSent?: (payoutId: string) => void } = {}): Promise<SendOutcome> {
  const rows: PayoutRow[] = await dataSource.query(
    `SELECT * FROM payouts
      WHERE state = 'processing' AND submitted_at IS NULL AND processing_at > now() - make_interval(hours => $3)
        AND ($1::uuid IS NULL OR batch_id = $1)
      ORDER BY processing_at, id LIMIT $2`,
    [options.batchId ?? null, Math.min(options.limit ?? MAX_SENDS_PER_RUN, MAX_SENDS_PER_RUN), RESEND_WINDOW_HOURS],
  );
  const outcome: SendOutcome = { accepted: 0, retryLater: 0, failed: 0 };
  if (rows.length === 0) return outcome;
  // One connection holds a session advisory lock per payout while its call is in flight: a concurrent run
  // (another replica, a redelivered job) skips it, and a killed process's locks vanish with its connection.
  const locks = dataSource.createQueryRunner();
  await locks.connect();
  try {
    for (const payout of rows) {
      const [{ locked }] = await locks.query(`SELECT pg_try_advisory_lock(hashtext('payout-send'), hashtext($1)) AS locked`, [payout.id]);
      if (!locked) continue;
      try {
        const result = await sendOne(dataSource, deps, payout);
        if (result !== 'skipped') outcome[result]++;
        if (result === 'accepted') options.onSent?.(payout.id);
      } finally {
        await locks.query(`SELECT pg_advisory_unlock(hashtext('payout-send'), hashtext($1))`, [payout.id]);
      }
    }
  } finally {
    await locks.release();
  }
  return outcome;
}

async function sendOne(dataSource: DataSource, deps: ExecutionDeps, payout: PayoutRow): Promise<keyof SendOutcome | 'skipped'> {
  // Under the lock: another run may have sent it between our read and the lock.
  const [fresh] = await dataSource.query(`SELECT state, submitted_at FROM payouts WHERE id = $1`, [payout.id]);
  if (fresh?.state !== 'processing' || fresh.submitted_at !== null) return 'skipped';
  try {
    const result = await deps.provider.payout({
      creatorId: payout.creator_id,
      amountMinor: BigInt(payout.amount_minor),
      currency: payout.currency,
      method: payout.method,
      idempotencyKey: providerKey(payout.id),
    });
    await dataSource.query(
      `UPDATE payouts SET provider_payout_id = coalesce(provider_payout_id, $2), submitted_at = now(), provider_attempts = provider_attempts + 1,
              last_provider_error = NULL, updated_at = now()
        WHERE id = $1 AND submitted_at IS NULL`,
      [payout.id, result.payoutId],
    );
    if (result.status === 'failed') await failPayout(dataSource, deps.ledger, payout.id, 'the provider reversed the transfer');
    return 'accepted';
  } catch (error) {
    const message = (error as Error)?.message?.slice(0, 1000) || 'provider call failed';
    // Only a refusal is final. An idempotency conflict means the key was used with other values: a person
    // must look (the money may have moved), so the payout stays processing with the error shown.
    if (error instanceof ProviderRejected) {
      await failPayout(dataSource, deps.ledger, payout.id, `refused by the provider: ${message}`);
      return 'failed';
    }
    await dataSource.query(
      `UPDATE payouts SET provider_attempts = provider_attempts + 1, last_provider_error = $2, updated_at = now() WHERE id = $1 AND state = 'processing'`,
      [payout.id, message],
    );
    return 'retryLater';
  }
}

export interface ExecutionRun extends SendOutcome {
  batches: ClaimedBatch[];
}

/** One scheduled run: claim batches of approved payouts, then send every processing payout not yet accepted. */
export async function runPayoutExecution(dataSource: DataSource, deps: ExecutionDeps, options: { onSent?: (payoutId: string) => void } = {}): Promise<ExecutionRun> {
  const batches: ClaimedBatch[] = [];
  for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
    const batch = await claimPayoutBatch(dataSource, deps);
    if (!batch) break;
    batches.push(batch);
  }
  const sent = await sendProcessingPayouts(dataSource, deps, { onSent: options.onSent });
  return { batches, ...sent };
}

/** A processing payout failed (refused, or bounced by the bank): the reservation is voided, the reason kept. */
export async function failPayout(dataSource: DataSource, ledger: Ledger, payoutId: string, reason: string, actor: Actor = EXECUTION_ACTOR): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const [payout]: PayoutRow[] = await manager.query(`SELECT * FROM payouts WHERE id = $1 FOR UPDATE`, [payoutId]);
    if (!payout || payout.state !== 'processing') return false;
    await failPayoutIn(manager, ledger, actor, payout, reason);
    return true;
  });
}

export async function failPayoutIn(manager: EntityManager, ledger: Ledger, actor: Actor, payout: PayoutRow, reason: string): Promise<void> {
  const voided = await ledger.voidPending(payout.reservation_transaction_id, { manager, reason: `payout failed: ${reason}`.slice(0, 500) });
  await movePayout(manager, actor, payout, 'fail', { resolution_transaction_id: voided.id, failed_at: new Date(), closed_at: new Date(), failure_reason: reason.slice(0, 1000) }, {
    reason,
    after: { resolution_transaction_id: voided.id },
  });
}

/** The provider confirmed it paid: the reservation posted and the cash legs booked, once (state + ledger keys). */
export async function payPayoutIn(manager: EntityManager, ledger: Ledger, actor: Actor, payout: PayoutRow, providerPayoutId: string | null): Promise<void> {
  const posted = await ledger.postPending(payout.reservation_transaction_id, { manager, idempotencyKey: `payout:${payout.id}:post`, metadata: { payout_id: payout.id } });
  const cash = await ledger.post(
    buildCashLegs({ id: payout.id, provider: payout.provider ?? 'stripe', amountMinor: BigInt(payout.amount_minor), currency: payout.currency, providerPayoutId: providerPayoutId ?? payout.provider_payout_id }),
    { manager },
  );
  await movePayout(
    manager,
    actor,
    payout,
    'pay',
    { resolution_transaction_id: posted.id, cash_transaction_id: cash.id, paid_at: new Date(), closed_at: new Date(), provider_payout_id: payout.provider_payout_id ?? providerPayoutId },
    { after: { resolution_transaction_id: posted.id, cash_transaction_id: cash.id, provider_payout_id: payout.provider_payout_id ?? providerPayoutId } },
  );
}

/** Audit of a provider event that did not change anything (late, duplicate or unknown), so finance can see it. */
export async function noteProviderEvent(manager: EntityManager, payoutId: string | null, what: string, detail: Record<string, unknown>): Promise<void> {
  await recordAudit(manager, EXECUTION_ACTOR, { action: `payout.provider_${what}`, entity: 'payout', entityId: payoutId, after: detail });
}
