import { ValidationFailed } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { parseDay, reconcileDay, reconciledProviders, type Difference, type ReconciliationSummary } from './reconcile';

/** Rows per INSERT of differences: bounded statements whatever the number of differences. */
const INSERT_BATCH = 1_000;
const PROVIDER = /^[a-z][a-z0-9_]{0,31}$/;

export interface ReconciliationReportDto {
  id: string;
  provider: string;
  day: string;
  summary: ReconciliationSummary;
  differences: number;
  generated_at: string;
  generated_by: string;
}

export interface DifferenceDto extends Difference {
  provider: string;
  day: string;
}

export function parseProvider(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !PROVIDER.test(raw)) throw ValidationFailed.field('provider', 'must be a provider name such as stripe');
  return raw;
}

/**
 * Reconciles one provider's day and stores the report, replacing the day's previous one in the same
 * transaction: regenerating is idempotent, and readers see the old report or the new, never half.
 */
export async function generateReconciliation(dataSource: DataSource, provider: string, day: string, generatedBy: string): Promise<ReconciliationReportDto> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const result = await reconcileDay(manager, provider, day);
    await manager.query(`DELETE FROM reconciliation_reports WHERE provider = $1 AND day = $2`, [provider, day]);
    const [report]: Array<{ id: string; generated_at: Date }> = await manager.query(
      `INSERT INTO reconciliation_reports (provider, day, summary, differences, generated_by) VALUES ($1, $2, $3, $4, $5) RETURNING id::text, generated_at`,
      [provider, day, JSON.stringify(result.summary), result.differences.length, generatedBy],
    );
    for (let start = 0; start < result.differences.length; start += INSERT_BATCH) {
      const batch = result.differences.slice(start, start + INSERT_BATCH);
      const column = <K extends keyof Difference>(key: K) => batch.map((d) => d[key]);
      await manager.query(
        `INSERT INTO reconciliation_differences (report_id, kind, difference, reference, currency, provider_amount_minor, ledger_amount_minor, provider_event_id, ledger_transaction_id, detail)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[])`,
        [report.id, column('kind'), column('difference'), column('reference'), column('currency'), column('provider_amount'), column('ledger_amount'),
          column('provider_event_id'), column('ledger_transaction_id'), column('detail')],
      );
    }
    return { id: report.id, provider, day, summary: result.summary, differences: result.differences.length, generated_at: report.generated_at.toISOString(), generated_by: generatedBy };
  });
}

/** The scheduled run: yesterday (UTC) for every provider that ever sent an event. Redone hourly, so late events land. */
export async function reconcileYesterday(dataSource: DataSource, now = new Date(), generatedBy = 'system:reporting.reconcile'): Promise<ReconciliationReportDto[]> {
  const day = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const reports: ReconciliationReportDto[] = [];
  for (const provider of await reconciledProviders(dataSource)) reports.push(await generateReconciliation(dataSource, provider, day, generatedBy));
  return reports;
}

type ReportRow = Omit<ReconciliationReportDto, 'generated_at' | 'day'> & { day: string; generated_at: Date };

/** The stored reports of a day (one per provider), optionally of one provider. */
export async function readReconciliation(dataSource: DataSource, day: string, provider?: string): Promise<ReconciliationReportDto[]> {
  const rows: ReportRow[] = await dataSource.query(
    `SELECT id::text, provider, to_char(day, 'YYYY-MM-DD') AS day, summary, differences, generated_at, generated_by
     FROM reconciliation_reports WHERE day = $1 AND ($2::text IS NULL OR provider = $2) ORDER BY provider`,
    [parseDay(day), provider ?? null],
  );
  return rows.map((r) => ({ ...r, generated_at: r.generated_at.toISOString() }));
}

/** A day's differences in pages (by id), for the JSON answer and the streamed CSV alike. */
export async function readDifferences(dataSource: DataSource, day: string, provider: string | undefined, afterId: string, limit: number): Promise<Array<DifferenceDto & { id: string }>> {
  return dataSource.query(
    `SELECT d.id::text, r.provider, to_char(r.day, 'YYYY-MM-DD') AS day, d.kind, d.difference, d.reference, trim(d.currency) AS currency,
            d.provider_amount_minor::text AS provider_amount, d.ledger_amount_minor::text AS ledger_amount, d.provider_event_id, d.ledger_transaction_id, d.detail
     FROM reconciliation_reports r JOIN reconciliation_differences d ON d.report_id = r.id
     WHERE r.day = $1 AND ($2::text IS NULL OR r.provider = $2) AND d.id > $3::bigint
     ORDER BY d.id LIMIT $4`,
    [parseDay(day), provider ?? null, afterId, limit],
  );
}
