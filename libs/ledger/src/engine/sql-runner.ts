import type { Pool, PoolClient } from 'pg';
import type { EntityManager, QueryRunner } from 'typeorm';

/** The one thing the engine needs from a connection: run SQL with parameters, get rows. */
export interface SqlRunner {
  /**
   * `name`: a hot statement, prepared once per connection where the driver allows it (its plan is not
   * redone on every call: that is most of the cost of a one-gift batch).
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
}

export function clientRunner(client: Pool | PoolClient): SqlRunner {
  return {
    query: async <Row>(sql: string, params?: readonly unknown[], name?: string) =>
      (await client.query<Row & object>(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] })).rows as Row[],
  };
}

export function queryRunnerRunner(queryRunner: QueryRunner): SqlRunner {
  return {
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await queryRunner.query(sql, params as unknown[], true)).records as Row[],
  };
}

/** The caller's open transaction, e.g. from `dataSource.transaction(manager => ...)`. */
export function callerQueryRunner(manager: EntityManager): QueryRunner {
  const queryRunner = manager.queryRunner;
  if (!queryRunner || !queryRunner.isTransactionActive) {
    throw new Error('ledger: a manager passed to the ledger must belong to an open transaction');
  }
  return queryRunner;
}

/**
 * Runs `work` atomically: in a transaction of its own on a pooled connection, or inside the caller's
 * transaction under a savepoint (so a retried attempt undoes only the ledger's part).
 */
export async function atomically<T>(pool: Pool, manager: EntityManager | undefined, work: (runner: SqlRunner) => Promise<T>): Promise<T> {
  if (manager) {
    const queryRunner = callerQueryRunner(manager);
    const runner = queryRunnerRunner(queryRunner);
    await queryRunner.query('SAVEPOINT coinops_ledger');
    try {
      const result = await work(runner);
      await queryRunner.query('RELEASE SAVEPOINT coinops_ledger');
      return result;
    } catch (error) {
      await queryRunner.query('ROLLBACK TO SAVEPOINT coinops_ledger');
      throw error;
    }
  }
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(clientRunner(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
