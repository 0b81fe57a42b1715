import { ValidationFailed } from '@coinops/contracts';
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RULE_KEY = /^[a-z][a-z0-9_]{0,62}$/;

/** A rule is named by its id or by its key (`/api/rules/under_18`): both are stable. */
@Injectable()
export class RuleIdParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (UUID.test(value)) return value.toLowerCase();
    if (RULE_KEY.test(value)) return value;
    throw ValidationFailed.field(metadata.data ?? 'id', 'must be a rule id (UUID) or a rule key');
  }
}
