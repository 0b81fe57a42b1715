import { recordAudit, type Actor } from '@coinops/access';
import type { EntityManager } from 'typeorm';

/**
 * Freezes the user of a chargeback unless already frozen: the same columns and audit row as
 * `UsersService.setFrozenIn` (@coinops/economy, which depends on this lib, so it cannot be called from here).
 */
export async function freezeForChargeback(manager: EntityManager, actor: Actor, userId: string, reason: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO users (id, frozen_at, frozen_reason) VALUES ($1, now(), $2)
     ON CONFLICT (id) DO UPDATE SET frozen_at = now(), frozen_reason = EXCLUDED.frozen_reason, updated_at = now() WHERE users.frozen_at IS NULL
     RETURNING id`,
    [userId, reason.slice(0, 1000)],
  );
  if (rows.length === 0) return false;
  await recordAudit(manager, actor, {
    action: 'user.frozen',
    entity: 'user',
    entityId: userId,
    before: { frozen: false },
    after: { frozen: true, frozen_reason: reason.slice(0, 1000) },
    reason: reason.slice(0, 1000),
  });
  return true;
}
