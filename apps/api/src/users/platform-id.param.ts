import { ValidationFailed } from '@coinops/contracts';
import { PLATFORM_ID } from '@coinops/economy';
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

/** `:id` of a user or creator: the platform's own id (letters, digits, `.`, `-`, `_`; at most 64). */
@Injectable()
export class PlatformIdParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!PLATFORM_ID.test(value)) throw ValidationFailed.field(metadata.data ?? 'id', 'must be 1-64 letters, digits, dots, dashes or underscores');
    return value;
  }
}
