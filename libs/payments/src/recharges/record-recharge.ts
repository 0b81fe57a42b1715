import { JOBS, enqueue } from '@coinops/outbox';
import type { EntityManager } from 'typeorm';
import { assertRechargeIntake, type RechargeIntake } from './recharge-intake';
import type { RechargeState } from './recharge-states';

export interface RecordedRecharge {
  rechargeId: string;
  /** false when the (provider, provider_ref) was stored before: nothing was written this time. */
  created: boolean;
  state: RechargeState;
}

/**
 * Stores a recharge exactly once per (provider, provider_ref) and, in the same transaction, enqueues
 * `recharge.received` for the worker's evaluation. A duplicate is a no-op that returns the first row;
 * two concurrent callers are serialized by the unique index, so one inserts and the other reads it.
 * Must run inside the caller's transaction: the row and its job commit together or not at all.
 */
export async function recordRecharge(manager: EntityManager, intake: RechargeIntake): Promise<RecordedRecharge> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('recordRecharge must run inside a transaction');
  assertRechargeIntake(intake);
  const inserted: Array<{ id: string; state: RechargeState }> = await manager.query(
    `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, package_id,
       card_fingerprint, card_brand, card_last4, bin_country, wallet, device_id, ip, occurred_at, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (provider, provider_ref) DO NOTHING
     RETURNING id, state`,
    [
      intake.provider,
      intake.providerRef,
      intake.userId,
      intake.method,
      intake.coins.toString(),
      intake.amountMinor.toString(),
      intake.currency,
      intake.packageId ?? null,
      intake.cardFingerprint ?? null,
      intake.cardBrand ?? null,
      intake.cardLast4 ?? null,
      intake.binCountry ?? null,
      intake.wallet ?? null,
      intake.deviceId ?? null,
      intake.ip ?? null,
      intake.occurredAt,
      intake.sourceEventId ?? null,
    ],
  );
  if (inserted.length === 1) {
    const { id, state } = inserted[0];
    await enqueue(manager, JOBS.rechargeReceived, { recharge_id: id, provider: intake.provider, provider_ref: intake.providerRef });
    return { rechargeId: id, created: true, state };
  }
  const [existing]: Array<{ id: string; state: RechargeState }> = await manager.query(
    `SELECT id, state FROM recharges WHERE provider = $1 AND provider_ref = $2`,
    [intake.provider, intake.providerRef],
  );
  return { rechargeId: existing.id, created: false, state: existing.state };
}
