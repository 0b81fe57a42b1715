import { JOBS } from '@coinops/outbox';
import { handler } from '../job-handlers';

/** Writes the operator's in-console notification; the unique source_outbox_id makes it once-only. */
export const notificationHandlers = [
  handler(JOBS.operatorNotification, async (manager, payload, outboxId) => {
    await manager.query(
      `INSERT INTO operator_notifications (operator_id, kind, message, source_outbox_id) VALUES ($1, $2, $3, $4)`,
      [payload.operator_id, payload.kind.slice(0, 100), payload.message.slice(0, 2000), outboxId],
    );
  }),
];
