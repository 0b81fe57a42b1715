export * from './audit/actor';
export * from './audit/audit';
export * from './audit/audit-event.entity';
export * from './audit/audit-query';
export * from './auth/auth.guard';
export * from './four-eyes/four-eyes';
export * from './auth/auth.service';
export * from './auth/roles.decorator';
export * from './operators/operator.entity';
export * from './operators/operators.service';
export * from './operators/passwords';
export * from './seed';
export * from './passwords/breached';
export * from './passwords/policy';
export * from './sessions/sessions';
export * from './totp/mfa-config';
export * from './totp/mfa.service';
export * from './totp/totp';

import { AuditEventEntity } from './audit/audit-event.entity';
import { OperatorEntity } from './operators/operator.entity';

/** TypeORM entities of this lib, for the apps' data sources. */
export const accessEntities = [OperatorEntity, AuditEventEntity];
