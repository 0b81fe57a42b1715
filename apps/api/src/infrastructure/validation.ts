import { ValidationFailed, type ErrorDetail } from '@coinops/contracts';
import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: message.replace(/^\S+ /, '') }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator on every body: unknown fields, wrong types and oversized strings are a 400
 * naming each field. A body that is not a JSON object is refused before that.
 */
@Injectable()
export class BodyValidationPipe implements PipeTransform {
  private readonly inner = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw ValidationFailed.field('body', 'must be a JSON object');
      }
    }
    return this.inner.transform(value, metadata);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `:id` route params: opaque on the wire, but each resource knows its shape and says so on a 400. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!UUID.test(value)) throw ValidationFailed.field(metadata.data ?? 'id', 'must be a UUID');
    return value.toLowerCase();
  }
}

@Injectable()
export class BigintIdParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!/^[1-9]\d{0,18}$/.test(value) || BigInt(value) > 9223372036854775807n) {
      throw ValidationFailed.field(metadata.data ?? 'id', 'must be a positive integer id');
    }
    return value;
  }
}
