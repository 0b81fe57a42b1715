import type { GiftConsumption, Ledger } from '@coinops/ledger';
import type { EntityManager } from 'typeorm';
import { buildDiamondClawback } from './chargeback-entries';
import type { ChargebackDiamondsPolicy } from './chargeback-settings';

/** Gifts of one disputed recharge written at most; a recharge spent on more is summed into its last row per creator. */
export const MAX_AT_RISK_ROWS = 1_000;

/**
 * Diamonds the disputed coins earned, per gift (docs/chargebacks.md, "Gifted coins"). `hold`: rows stay
 * open (released_at NULL) and payouts hold them; `claw_back`: each creator's diamonds go back to
 * issuance at once and the rows are closed as `clawed_back`; `ignore`: nothing is written.
 */
export async function markDiamondsAtRisk(
  manager: EntityManager,
  ledger: Ledger,
  chargebackId: string,
  gifts: readonly GiftConsumption[],
  policy: ChargebackDiamondsPolicy,
): Promise<{ rows: number; diamonds: bigint }> {
  if (policy === 'ignore') return { rows: 0, diamonds: 0n };
  const earning = gifts.filter((g) => g.creator_id !== null && g.diamonds > 0n).slice(0, MAX_AT_RISK_ROWS);
  const perCreator = new Map<string, bigint>();
  for (const gift of earning) perCreator.set(gift.creator_id!, (perCreator.get(gift.creator_id!) ?? 0n) + gift.diamonds);
  const clawbacks = new Map<string, string>();
  if (policy === 'claw_back') {
    for (const [creatorId, diamonds] of perCreator) clawbacks.set(creatorId, (await ledger.post(buildDiamondClawback(chargebackId, creatorId, diamonds), { manager })).id);
  }
  for (const gift of earning) {
    const clawback = clawbacks.get(gift.creator_id!) ?? null;
    await manager.query(
      `INSERT INTO creator_diamonds_at_risk (creator_id, chargeback_id, gift_id, coins, diamonds, policy, resolution, ledger_transaction_id, released_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END)
       ON CONFLICT (chargeback_id, gift_id) DO NOTHING`,
      [gift.creator_id, chargebackId, gift.gift_id, gift.coins.toString(), gift.diamonds.toString(), policy, clawback ? 'clawed_back' : null, clawback],
    );
  }
  return { rows: earning.length, diamonds: [...perCreator.values()].reduce((a, b) => a + b, 0n) };
}

/** A won dispute: held diamonds are released; clawed-back diamonds are given back (the clawback reversed). */
export async function releaseDiamondsAtRisk(manager: EntityManager, ledger: Ledger, chargebackId: string): Promise<void> {
  const clawed: Array<{ ledger_transaction_id: string }> = await manager.query(
    `SELECT DISTINCT ledger_transaction_id FROM creator_diamonds_at_risk WHERE chargeback_id = $1 AND resolution = 'clawed_back'`,
    [chargebackId],
  );
  for (const { ledger_transaction_id: id } of clawed) {
    await ledger.reverse(id, `chargeback ${chargebackId} won`, { manager, type: 'chargeback_reversal', idempotencyKey: `chargeback:${chargebackId}:diamonds-returned:${id}` });
  }
  await manager.query(
    `UPDATE creator_diamonds_at_risk SET resolution = 'released', released_at = now() WHERE chargeback_id = $1 AND (released_at IS NULL OR resolution = 'clawed_back')`,
    [chargebackId],
  );
}

/**
 * A lost dispute under `hold`: the exposure is written off. The creator keeps the diamonds (they were
 * earned in good faith) and the platform bears the loss already booked to `platform:chargeback:losses`;
 * the rows close, so payouts stop holding them.
 */
export async function writeOffDiamondsAtRisk(manager: EntityManager, chargebackId: string): Promise<void> {
  await manager.query(`UPDATE creator_diamonds_at_risk SET resolution = 'written_off', released_at = now() WHERE chargeback_id = $1 AND released_at IS NULL`, [chargebackId]);
}
