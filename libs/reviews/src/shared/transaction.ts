import type { DataSource, EntityManager } from 'typeorm';

/** deadlock_detected, serialization_failure: the transaction did nothing and may simply run again. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);
export const TRANSACTION_ATTEMPTS = 3;

function sqlState(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return e?.code ?? e?.driverError?.code;
}

/**
 * One business fact, one transaction, retried when PostgreSQL aborted it for a deadlock. A decision locks
 * the item, then its recharges and their ledger accounts; the worker's recharge evaluation locks a
 * user's ledger account before joining the user's item: for one user at one moment the two can meet in
 * opposite order. PostgreSQL breaks the cycle; the loser runs again and then sees the winner's result.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= TRANSACTION_ATTEMPTS || !RETRYABLE_CODES.has(sqlState(error) ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.floor(Math.random() * 30)));
    }
  }
}
