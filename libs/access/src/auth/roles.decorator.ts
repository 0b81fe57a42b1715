import type { Role } from '@coinops/contracts';
import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'coinops:roles';
export const PUBLIC_KEY = 'coinops:public';

/** The roles a route allows. A route without `@Roles` or `@Public` is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * A route anyone may call: login, health, metrics, and the signed webhook/event endpoints,
 * which authenticate by signature instead. `why` is required so each exemption explains itself.
 */
export const Public = (why: string) => SetMetadata(PUBLIC_KEY, why);
