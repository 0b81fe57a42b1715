import { recordAudit, type Actor } from '@coinops/access';
import { REVIEW_SEVERITIES, ValidationFailed, type ReviewSeverity } from '@coinops/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SLA_MINUTES, type ReviewSettings } from './sla';

/** Bounds of one SLA: 5 minutes (a shorter one escalates before anyone can look) to 30 days. */
export const SLA_MINUTES_MIN = 5;
export const SLA_MINUTES_MAX = 30 * 24 * 60;

type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

/** The SLA minutes per severity as stored; a severity missing from the table falls back to its default. */
export async function readSlaPolicy(manager: Queryable): Promise<ReviewSettings> {
  const rows: Array<{ severity: ReviewSeverity; sla_minutes: number }> = await manager.query(`SELECT severity, sla_minutes FROM review_sla_policies`);
  const slaMinutes = { ...DEFAULT_SLA_MINUTES };
  for (const row of rows) slaMinutes[row.severity] = row.sla_minutes;
  return { slaMinutes };
}

/**
 * Changes the SLA of some severities for items opened from now on (open items keep their due time).
 * One transaction with its audit row.
 */
export async function updateSlaPolicy(dataSource: DataSource, actor: Actor, changes: Partial<Record<ReviewSeverity, number>>, reason: string): Promise<ReviewSettings> {
  const entries = Object.entries(changes) as Array<[ReviewSeverity, number]>;
  const problems: Array<{ field: string; message: string }> = entries.flatMap(([severity, minutes]) => {
    if (!REVIEW_SEVERITIES.includes(severity)) return [{ field: severity, message: `is not a severity; use ${REVIEW_SEVERITIES.join(', ')}` }];
    if (!Number.isInteger(minutes) || minutes < SLA_MINUTES_MIN || minutes > SLA_MINUTES_MAX) return [{ field: severity, message: `must be whole minutes between ${SLA_MINUTES_MIN} and ${SLA_MINUTES_MAX}` }];
    return [];
  });
  if (!entries.length) problems.push({ field: 'sla_minutes', message: 'must name at least one severity' });
  if (problems.length) throw new ValidationFailed(problems);
  return dataSource.transaction(async (manager) => {
    const before = await readSlaPolicy(manager);
    for (const [severity, minutes] of entries) {
      await manager.query(
        `INSERT INTO review_sla_policies (severity, sla_minutes, updated_by, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (severity) DO UPDATE SET sla_minutes = EXCLUDED.sla_minutes, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [severity, minutes, actor.operatorId],
      );
    }
    const after = await readSlaPolicy(manager);
    await recordAudit(manager, actor, { action: 'review_sla.updated', entity: 'review_sla', entityId: null, before: before.slaMinutes, after: after.slaMinutes, reason });
    return after;
  });
}
