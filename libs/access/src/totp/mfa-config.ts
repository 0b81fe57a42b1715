import type { Config } from '@coinops/config';
import { ROLES, type Role } from '@coinops/contracts';

/**
 * The roles that must sign in with a second factor: MFA_REQUIRED_ROLES (comma separated, `none` for
 * none), else `admin,finance` when NODE_ENV=production and none elsewhere, so the demo operators sign
 * in with their password alone and are offered enrolment.
 */
export function mfaRequiredRoles(config: Pick<Config, 'NODE_ENV'> & Partial<Pick<Config, 'MFA_REQUIRED_ROLES'>>): ReadonlySet<Role> {
  const raw = config.MFA_REQUIRED_ROLES ?? (config.NODE_ENV === 'production' ? 'admin,finance' : '');
  const names = raw.split(',').map((r) => r.trim()).filter((r) => r && r !== 'none');
  const unknown = names.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`MFA_REQUIRED_ROLES: unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  return new Set(names as Role[]);
}
