import type { SqlRunner } from './engine/sql-runner';

export interface Balance {
  readonly posted: bigint;
  readonly pendingDebits: bigint;
  readonly pendingCredits: bigint;
  /** What can be spent: posted − pending debits. */
  readonly available: bigint;
}

/** An account and, for a sharded platform account, its shards `<code>#<n>`. */
const ACCOUNT_AND_SHARDS = `(code = $1 OR starts_with(code, $1 || '#'))`;

export async function accountBalance(runner: SqlRunner, code: string): Promise<Balance> {
  const [row] = await runner.query<{ posted: string; pending_debits: string; pending_credits: string }>(
    `SELECT coalesce(sum(posted), 0) AS posted, coalesce(sum(pending_debits), 0) AS pending_debits, coalesce(sum(pending_credits), 0) AS pending_credits
     FROM ledger_accounts WHERE ${ACCOUNT_AND_SHARDS}`,
    [code],
  );
  const posted = BigInt(row.posted);
  const pendingDebits = BigInt(row.pending_debits);
  return { posted, pendingDebits, pendingCredits: BigInt(row.pending_credits), available: posted - pendingDebits };
}

export async function accountBalanceAt(runner: SqlRunner, code: string, at: Date): Promise<bigint> {
  const [row] = await runner.query<{ posted: string }>(
    `SELECT coalesce(sum(last.running_balance), 0) AS posted
     FROM ledger_accounts a
     CROSS JOIN LATERAL (
       SELECT p.running_balance FROM ledger_postings p
       WHERE p.account_id = a.id AND p.created_at <= $2
       ORDER BY p.created_at DESC, p.id DESC LIMIT 1
     ) last
     WHERE a.code = $1 OR starts_with(a.code, $1 || '#')`,
    [code, at],
  );
  return BigInt(row.posted);
}
