import { JOBS } from '@coinops/outbox';
import type { WorkerDomain } from './domain/domain.providers';
import { allHandlers, assertEveryJobHandled } from './worker.module';

// The wiring check never runs a job, so it needs no engines behind the handlers.
const ALL_HANDLERS = allHandlers({} as WorkerDomain);

describe('worker wiring', () => {
  it('has a handler for every job the outbox can carry', () => {
    expect(() => assertEveryJobHandled(ALL_HANDLERS)).not.toThrow();
  });

  it('refuses to start when a job has no handler, naming it', () => {
    const withoutNotifications = ALL_HANDLERS.filter((h) => h.job.name !== JOBS.operatorNotification.name);
    expect(() => assertEveryJobHandled(withoutNotifications)).toThrow(/operator\.notification/);
  });
});
