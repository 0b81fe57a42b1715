import type { ErrorDetail } from './errors';

/**
 * Typed errors thrown by domain code. One exception filter in the API maps them to HTTP
 * (DESIGN §7); jobs in the worker log them. Nothing here knows about HTTP beyond the status.
 */
export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  readonly details?: ErrorDetail[];
  /** Extra fields merged into the error body (e.g. `state`, `available`). */
  readonly extra: Record<string, unknown>;

  constructor(message: string, details?: ErrorDetail[], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
    this.extra = extra;
  }
}

export class ValidationFailed extends DomainError {
  readonly statusCode = 400;
  constructor(details: ErrorDetail[], message = details.map((d) => `${d.field}: ${d.message}`).join('; ')) {
    super(message, details);
  }
  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, message }]);
  }
}

export class Unauthenticated extends DomainError {
  readonly statusCode = 401;
}

export class Forbidden extends DomainError {
  readonly statusCode = 403;
}

export class NotFound extends DomainError {
  readonly statusCode = 404;
  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`, undefined, { entity, id });
  }
}

export class Conflict extends DomainError {
  readonly statusCode = 409;
}

/** A state machine refused a transition; the body names the current state. */
export class IllegalTransition extends Conflict {
  constructor(entity: string, id: string, state: string, action: string) {
    super(`${entity} ${id} is ${state}: cannot ${action}`, undefined, { state, entity, id, action });
  }
}

export class IdempotencyConflict extends Conflict {
  constructor(key: string) {
    super(`idempotency key ${key} was already used with a different body`, undefined, { idempotency_key: key });
  }
}

export class TooManyRequests extends DomainError {
  readonly statusCode = 429;
}
