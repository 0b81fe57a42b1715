import { JOBS } from '@coinops/outbox';
import { ALL_HANDLERS, assertEveryJobHandled } from './worker.module';

describe('worker wiring', () => {
  it('has a handler for every job the outbox can carry', () => {
    expect(() => assertEveryJobHandled(ALL_HANDLERS)).not.toThrow();
  });

  it('refuses to start when a job has no handler, naming it', () => {
    const withoutNotifications = ALL_HANDLERS.filter((h) => h.job.name !== JOBS.operatorNotification.name);
    expect(() => assertEveryJobHandled(withoutNotifications)).toThrow(/operator\.notification/);
  });
});
