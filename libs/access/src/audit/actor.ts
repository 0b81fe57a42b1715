/**
 * Who did something, and in which request: passed explicitly from the edge (controller or
 * job) to every domain service that writes, so each audit row names its actor.
 */
export interface Actor {
  /** null for the system itself (a job, a webhook, a platform event). */
  operatorId: string | null;
  email: string | null;
  role: string | null;
  requestId: string | null;
}

export const systemActor = (source: string, requestId: string | null = null): Actor => ({
  operatorId: null,
  email: `system:${source}`,
  role: null,
  requestId,
});
