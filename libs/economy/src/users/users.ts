import { recordAudit, type Actor } from '@coinops/access';
import { Conflict, NotFound, ValidationFailed } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventData } from '../events/event-schemas';
import type { Queryable } from '../events/event-store';
import { PLATFORM_ID, PLATFORM_ID_MESSAGE } from '../ids';
import { iso, type Page } from '../listing/page';

/** A user as the back office sees it: the platform's profile and the coin wallet from the ledger. */
export interface UserDto {
  id: string;
  country: string | null;
  email: string | null;
  birth_year: number | null;
  device_id: string | null;
  ip: string | null;
  /** False while only a gift named this user (no user.created yet). */
  profile_received: boolean;
  frozen: boolean;
  frozen_at: string | null;
  frozen_reason: string | null;
  created_at: string;
  updated_at: string;
  /** Coins, decimal strings: posted balance, spendable, in pending transactions, and owed after a clawback. */
  balance_coins: string;
  available_coins: string;
  held_coins: string;
  debt_coins: string;
}

/** The balance columns of a wallet joined as `la`; see docs/economy.md for the definitions. */
export const balanceColumns = (unit: 'coins' | 'diamonds') => ({
  [`balance_${unit}`]: 'coalesce(la.posted, 0)',
  [`available_${unit}`]: 'greatest(coalesce(la.posted - la.pending_debits, 0), 0)',
  [`held_${unit}`]: 'coalesce(la.pending_debits + la.pending_credits, 0)',
  [`debt_${unit}`]: 'greatest(-coalesce(la.posted, 0), 0)',
});

const USER_BALANCES = balanceColumns('coins');

export const USERS_LIST: ListSpec = {
  resource: 'users',
  sortable: { id: 'u.id', created_at: 'u.created_at', updated_at: 'u.updated_at', country: 'u.country', ...USER_BALANCES },
  filters: {
    id: { column: 'u.id', type: 'text' },
    country: { column: 'u.country', type: 'text' },
    email: { column: 'u.email', type: 'text', op: 'ilike' },
    device_id: { column: 'u.device_id', type: 'text' },
    ip: { column: 'u.ip', type: 'text' },
    frozen: { column: '(u.frozen_at IS NOT NULL)', type: 'bool' },
    profile_received: { column: 'u.profile_received', type: 'bool' },
    has_debt: { column: '(coalesce(la.posted, 0) < 0)', type: 'bool' },
    created_at_gte: { column: 'u.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'u.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['u.id', 'u.email', 'u.device_id', 'u.ip'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'u.id',
};

interface UserRow {
  id: string;
  country: string | null;
  email: string | null;
  birth_year: number | null;
  device_id: string | null;
  ip: string | null;
  profile_received: boolean;
  frozen_at: Date | null;
  frozen_reason: string | null;
  created_at: Date;
  updated_at: Date;
  balance_coins: string;
  available_coins: string;
  held_coins: string;
  debt_coins: string;
}

function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    country: row.country,
    email: row.email,
    birth_year: row.birth_year,
    device_id: row.device_id,
    ip: row.ip,
    profile_received: row.profile_received,
    frozen: row.frozen_at !== null,
    frozen_at: iso(row.frozen_at),
    frozen_reason: row.frozen_reason,
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
    balance_coins: String(row.balance_coins),
    available_coins: String(row.available_coins),
    held_coins: String(row.held_coins),
    debt_coins: String(row.debt_coins),
  };
}

function usersQuery(dataSource: DataSource) {
  const qb = dataSource
    .createQueryBuilder()
    .from('users', 'u')
    .leftJoin('ledger_accounts', 'la', `la.code = 'user:' || u.id || ':coins'`)
    .select(['u.id AS id', 'u.country AS country', 'u.email AS email', 'u.birth_year AS birth_year', 'u.device_id AS device_id', 'u.ip AS ip'])
    .addSelect(['u.profile_received AS profile_received', 'u.frozen_at AS frozen_at', 'u.frozen_reason AS frozen_reason', 'u.created_at AS created_at', 'u.updated_at AS updated_at']);
  for (const [name, expression] of Object.entries(USER_BALANCES)) qb.addSelect(`(${expression})::text`, name);
  return qb;
}

export function checkPlatformId(id: string, field: string): string {
  if (!PLATFORM_ID.test(id)) throw ValidationFailed.field(field, PLATFORM_ID_MESSAGE);
  return id;
}

export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  list(list: ListQuery): Promise<Page<UserDto>> {
    return rawPage(usersQuery(this.dataSource), list, USERS_LIST, toUserDto);
  }

  async get(id: string): Promise<UserDto> {
    checkPlatformId(id, 'id');
    const row = await usersQuery(this.dataSource).where('u.id = :id', { id }).getRawOne<UserRow>();
    if (!row) throw new NotFound('user', id);
    return toUserDto(row);
  }

  /** Suspends gifting at once (DESIGN §4: reported unauthorized activity, a rejected review). Audited. */
  freeze(actor: Actor, userId: string, reason: string): Promise<UserDto> {
    return this.setFrozen(actor, userId, reason);
  }

  unfreeze(actor: Actor, userId: string, reason: string): Promise<UserDto> {
    return this.setFrozen(actor, userId, null, reason);
  }

  /** For a flow that already has a transaction open (a review decision freezing the user with its ledger entry). */
  async setFrozenIn(manager: EntityManager, actor: Actor, userId: string, frozenReason: string | null, auditReason?: string): Promise<void> {
    checkPlatformId(userId, 'user_id');
    const reason = (frozenReason ?? auditReason ?? '').trim();
    if (reason.length < 3 || reason.length > 1000) throw ValidationFailed.field('reason', 'must be 3-1000 characters');
    // The row may not exist yet (no event named the user): freezing still has to hold for the first gift.
    const [before] = await manager.query(`SELECT frozen_at, frozen_reason FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    const wasFrozen = Boolean(before?.frozen_at);
    if (wasFrozen === (frozenReason !== null)) throw new Conflict(`user ${userId} is ${wasFrozen ? 'already' : 'not'} frozen`, undefined, { state: wasFrozen ? 'frozen' : 'active' });
    await manager.query(
      `INSERT INTO users (id, frozen_at, frozen_reason) VALUES ($1, CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, $2)
       ON CONFLICT (id) DO UPDATE SET frozen_at = EXCLUDED.frozen_at, frozen_reason = EXCLUDED.frozen_reason, updated_at = now()`,
      [userId, frozenReason === null ? null : reason],
    );
    await recordAudit(manager, actor, {
      action: frozenReason === null ? 'user.unfrozen' : 'user.frozen',
      entity: 'user',
      entityId: userId,
      before: { frozen: wasFrozen, frozen_reason: before?.frozen_reason ?? null },
      after: { frozen: frozenReason !== null, frozen_reason: frozenReason === null ? null : reason },
      reason,
    });
  }

  private async setFrozen(actor: Actor, userId: string, frozenReason: string | null, auditReason?: string): Promise<UserDto> {
    await this.dataSource.transaction((manager) => this.setFrozenIn(manager, actor, userId, frozenReason, auditReason));
    return this.get(userId);
  }
}

/**
 * Applies user.created / user.updated: the profile as sent, optional fields kept when absent. An event
 * older than the one last applied changes nothing (events may arrive out of order).
 *
 * `user.created` also says when the account was opened on the platform (its `occurred_at`): that, not the
 * moment coinops first heard of the user, is the account's age for the risk engine (`account_age_hours`,
 * young payers), so `created_at` takes the earlier of the two.
 */
export async function applyUserProfile(manager: Queryable, data: EventData<'user.created'>, occurredAt: Date, accountCreated = false): Promise<void> {
  if (accountCreated) {
    await manager.query(`UPDATE users SET created_at = $2 WHERE id = $1 AND created_at > $2`, [data.user_id, occurredAt.toISOString()]);
  }
  await manager.query(
    `INSERT INTO users (id, country, email, birth_year, device_id, ip, profile_received, profile_occurred_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, true, $7, CASE WHEN $8::boolean THEN LEAST($7::timestamptz, now()) ELSE now() END)
     ON CONFLICT (id) DO UPDATE SET
       country = EXCLUDED.country,
       email = coalesce(EXCLUDED.email, users.email),
       birth_year = coalesce(EXCLUDED.birth_year, users.birth_year),
       device_id = coalesce(EXCLUDED.device_id, users.device_id),
       ip = coalesce(EXCLUDED.ip, users.ip),
       profile_received = true,
       profile_occurred_at = EXCLUDED.profile_occurred_at,
       updated_at = now()
     WHERE users.profile_occurred_at IS NULL OR users.profile_occurred_at <= EXCLUDED.profile_occurred_at`,
    [data.user_id, data.country, data.email?.toLowerCase() ?? null, data.birth_year ?? null, data.device_id ?? null, data.ip ?? null, occurredAt.toISOString(), accountCreated],
  );
}
