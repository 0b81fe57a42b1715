import { DomainError, ValidationFailed } from '@coinops/contracts';

/**
 * A webhook whose signature is missing, wrong or stale: a 400 at the edge, and nothing is stored.
 * `header` names the signature header, so the error body says which one failed.
 */
export class WebhookSignatureInvalid extends ValidationFailed {
  constructor(header: string, problem: string) {
    super([{ field: header, message: problem }], `${header} ${problem}`);
  }
}

/**
 * A provider call failed. `retryable` tells the worker whether the same call, with the same
 * idempotency key, may succeed later (network, 5xx, rate limit) or never will (a refused request).
 */
export abstract class ProviderError extends DomainError {
  abstract readonly retryable: boolean;
  constructor(
    readonly provider: string,
    message: string,
    readonly providerCode: string | null = null,
  ) {
    super(`${provider}: ${message}`, undefined, { provider, ...(providerCode ? { provider_code: providerCode } : {}) });
  }
}

/** Worth retrying with the same idempotency key: timeout, connection error, 5xx, 429, a concurrent call. */
export class ProviderUnavailable extends ProviderError {
  readonly statusCode = 503;
  readonly retryable = true;
}

/** The provider refused the request (unknown charge, amount above the refundable rest, invalid account). */
export class ProviderRejected extends ProviderError {
  readonly statusCode = 422;
  readonly retryable = false;
}

/** The idempotency key was used before with other parameters: a bug in the caller, never retried. */
export class ProviderIdempotencyConflict extends ProviderError {
  readonly statusCode = 409;
  readonly retryable = false;
}
