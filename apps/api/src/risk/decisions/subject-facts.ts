import type { SubjectFacts } from '@coinops/risk';
import type { DataSource } from 'typeorm';
import type { KnownSubjectFacts } from './decision-request';

interface UserRow {
  country: string | null;
  email: string | null;
  birth_year: number | null;
  created_at: Date;
  frozen: boolean;
}

const SELECT_USER = `SELECT country, email, birth_year, created_at, frozen_at IS NOT NULL AS frozen FROM users WHERE id = $1`;

type Query = (userId: string) => Promise<UserRow[]>;
type PgPool = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: UserRow[] }> };
const queries = new WeakMap<DataSource, Query>();

/**
 * The decision endpoint is the API's hot path: this read goes to TypeORM's pg pool directly,
 * skipping the query runner TypeORM builds around each `dataSource.query` (measured with
 * tools/bench/risk/http-profile.ts), as a named statement that each connection plans once. Without
 * a pg pool (another driver), it falls back to `dataSource.query`.
 */
function usersQuery(dataSource: DataSource): Query {
  let query = queries.get(dataSource);
  if (!query) {
    const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
    query =
      typeof pool?.query === 'function'
        ? async (userId) => (await pool.query({ name: 'risk-subject-facts', text: SELECT_USER, values: [userId] })).rows
        : (userId) => dataSource.query(SELECT_USER, [userId]);
    queries.set(dataSource, query);
  }
  return query;
}

/**
 * The buyer as coinops knows them, from the platform's user events (`users`, libs/economy's
 * table; one primary-key read). What the payments service sent wins; the table fills the gaps and
 * is the only source of `frozen` (a reported account takeover freezes the account here, not there).
 * A user coinops has never heard of counts as an account created now: the cautious reading.
 */
export async function subjectFacts(dataSource: DataSource, userId: string, known: KnownSubjectFacts, now: Date): Promise<SubjectFacts> {
  const [row] = await usersQuery(dataSource)(userId);
  const emailDomain = known.emailDomain ?? row?.email?.split('@').pop()?.toLowerCase();
  const country = known.country ?? row?.country ?? undefined;
  const birthYear = known.birthYear ?? (row?.birth_year === null || row?.birth_year === undefined ? undefined : Number(row.birth_year));
  return {
    createdAt: known.createdAt ?? (row ? new Date(row.created_at) : now),
    frozen: row?.frozen ?? false,
    ...(country !== undefined && { country }),
    ...(birthYear !== undefined && { birthYear }),
    ...(emailDomain && emailDomain.length <= 200 && { emailDomain }),
  };
}
