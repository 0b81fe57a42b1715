import type { Actor } from '@coinops/access';
import { ValidationFailed } from '@coinops/contracts';
import type { UsersService } from '@coinops/economy';
import type { DataSource } from 'typeorm';

/** A ring frozen in one action: at most the graph's node bound. */
export const MAX_ACCOUNTS_PER_FREEZE = 200;

const PLATFORM_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export interface FreezeOutcome {
  user_id: string;
  /** `frozen` by this action, or `already_frozen` (left as it was, with its first reason). */
  result: 'frozen' | 'already_frozen';
}

/**
 * Freezes several accounts (a ring seen on the graph) with one reason: one transaction, an audit row
 * `user.frozen` per account (written by `UsersService.setFrozenIn`). Accounts already frozen are left
 * alone and reported.
 */
export async function freezeAccounts(dataSource: DataSource, users: UsersService, actor: Actor, userIds: unknown, reason: string): Promise<FreezeOutcome[]> {
  if (!Array.isArray(userIds) || userIds.length < 1 || userIds.length > MAX_ACCOUNTS_PER_FREEZE) throw ValidationFailed.field('user_ids', `must list 1-${MAX_ACCOUNTS_PER_FREEZE} user ids`);
  const bad = userIds.findIndex((id) => typeof id !== 'string' || !PLATFORM_ID.test(id));
  if (bad >= 0) throw ValidationFailed.field(`user_ids[${bad}]`, 'must be a platform id ([A-Za-z0-9_.-], 1-64 characters)');
  const ids = [...new Set(userIds as string[])].sort();
  return dataSource.transaction(async (manager) => {
    // Row locks in id order: two ring freezes sharing accounts cannot deadlock.
    const frozen: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE id = ANY($1::text[]) AND frozen_at IS NOT NULL ORDER BY id FOR UPDATE`, [ids]);
    const already = new Set(frozen.map((r) => r.id));
    const outcomes: FreezeOutcome[] = [];
    for (const id of ids) {
      if (already.has(id)) {
        outcomes.push({ user_id: id, result: 'already_frozen' });
        continue;
      }
      await users.setFrozenIn(manager, actor, id, reason);
      outcomes.push({ user_id: id, result: 'frozen' });
    }
    return outcomes;
  });
}
