import { ValidationFailed } from '@coinops/contracts';
import type { SqlRunner } from '../engine/sql-runner';
import type { AccountSpec, OverdraftPolicy } from './account-codes';

export interface AccountRow {
  readonly id: bigint;
  /** The id as PostgreSQL writes it, kept to avoid converting again on every posting. */
  readonly idText: string;
  readonly code: string;
  readonly asset: string;
  readonly kind: string;
  readonly overdraft: OverdraftPolicy;
}

/** Bounds the cache; past it, the cache starts over (an account row never changes, so a miss is only a read). */
const MAX_CACHED_ACCOUNTS = 200_000;

/**
 * Opens accounts on first use and remembers their ids. Accounts are opened in autocommit, outside any
 * batch: an opened account is harmless (zero balance), and a cached id always names a committed row.
 */
export class AccountRegistry {
  private readonly cache = new Map<string, AccountRow>();

  constructor(private readonly autocommit: () => SqlRunner) {}

  /** `wanted`: concrete account code (a shard's code for a sharded account) → the spec it was asked by. */
  async resolve(wanted: ReadonlyMap<string, AccountSpec>): Promise<Map<string, AccountRow>> {
    const resolved = new Map<string, AccountRow>();
    const missing: { code: string; spec: AccountSpec }[] = [];
    for (const [code, spec] of wanted) {
      const cached = this.cache.get(code);
      if (cached) {
        assertSame(cached, spec);
        resolved.set(code, cached);
      } else missing.push({ code, spec });
    }
    if (missing.length === 0) return resolved;

    const runner = this.autocommit();
    const codes = missing.map((m) => m.code);
    await runner.query(
      `INSERT INTO ledger_accounts (code, asset, kind, owner_id, overdraft)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (code) DO NOTHING`,
      [codes, missing.map((m) => m.spec.asset), missing.map((m) => m.spec.kind), missing.map((m) => m.spec.ownerId), missing.map((m) => m.spec.overdraft)],
    );
    const rows = await runner.query<{ id: string; code: string; asset: string; kind: string; overdraft: OverdraftPolicy }>(
      `SELECT id, code, asset, kind, overdraft FROM ledger_accounts WHERE code = ANY($1::text[])`,
      [codes],
    );
    if (this.cache.size + rows.length > MAX_CACHED_ACCOUNTS) this.cache.clear();
    for (const row of rows) {
      const account: AccountRow = { id: BigInt(row.id), idText: row.id, code: row.code, asset: row.asset, kind: row.kind, overdraft: row.overdraft };
      assertSame(account, wanted.get(row.code) as AccountSpec);
      this.cache.set(row.code, account);
      resolved.set(row.code, account);
    }
    return resolved;
  }
}

function assertSame(account: AccountRow, spec: AccountSpec): void {
  if (account.asset !== spec.asset || account.kind !== spec.kind || account.overdraft !== spec.overdraft) {
    throw ValidationFailed.field(
      'account',
      `${account.code} exists as ${account.kind} ${account.asset} (${account.overdraft}), not ${spec.kind} ${spec.asset} (${spec.overdraft})`,
    );
  }
}
