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

export const ENROLMENT_KEY = 'coinops:enrolment';

/**
 * A route that an enrolment-only session may call (its role requires a second factor it has not set up):
 * who am I, enrol, confirm, sign out. Every other route refuses such a session with 403.
 */
export const AllowEnrolment = () => SetMetadata(ENROLMENT_KEY, true);
