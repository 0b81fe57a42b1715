import { systemActor } from '@coinops/access';
import type { DataSource } from 'typeorm';
import { escalateLocked } from '../decisions/assignment';
import { nextState, type LockedItem } from '../items/review-lock';

export const ESCALATION_ACTOR = 'reviews-escalation';

/** Items escalated per transaction, and transactions per run: a backlog is worked off over several runs. */
export const ESCALATION_BATCH_SIZE = 200;
export const ESCALATION_MAX_BATCHES = 25;

export interface EscalationRun {
  escalated: string[];
  /** True when the run stopped at its batch bound with overdue items left. */
  more: boolean;
}

/**
 * Escalates the active items past their SLA (`open` | `in_review` → `escalated`), each with its audit
 * row by the system actor and a notification to its holder, in batches of one transaction each.
 * Idempotent: an escalated item is no longer a candidate, so a run repeated (a redelivered job, two
 * worker replicas) escalates nothing twice; `SKIP LOCKED` lets concurrent runs share the work and steps
 * around an item an operator is acting on right now (it is taken by the next run).
 */
export async function escalateOverdueReviews(dataSource: DataSource, runId: string | null = null, batchSize = ESCALATION_BATCH_SIZE): Promise<EscalationRun> {
  const actor = systemActor(ESCALATION_ACTOR, runId);
  const escalated: string[] = [];
  for (let batch = 0; batch < ESCALATION_MAX_BATCHES; batch++) {
    const done = await dataSource.transaction(async (manager) => {
      const due: LockedItem[] = await manager.query(
        `SELECT ri.id, ri.kind, ri.user_id, ri.state, ri.severity, ri.assigned_to, ri.sla_due_at, o.email AS assigned_email
           FROM review_items ri LEFT JOIN operators o ON o.id = ri.assigned_to
          WHERE ri.state IN ('open', 'in_review') AND ri.sla_due_at <= now()
          ORDER BY ri.sla_due_at, ri.id
          LIMIT $1
          FOR UPDATE OF ri SKIP LOCKED`,
        [batchSize],
      );
      for (const item of due) {
        const overdueMinutes = Math.max(0, Math.floor((Date.now() - new Date(item.sla_due_at).getTime()) / 60_000));
        await escalateLocked(manager, actor, item, nextState(item, 'escalate'), `past its ${item.severity} SLA (due ${new Date(item.sla_due_at).toISOString()}, ${overdueMinutes} min ago)`);
        escalated.push(item.id);
      }
      return due.length;
    });
    if (done < batchSize) return { escalated, more: false };
  }
  return { escalated, more: true };
}
