import type { OperatorDto, Role } from '@coinops/contracts';
import type { Session } from '../session';

export function operator(role: Role, overrides: Partial<OperatorDto> = {}): OperatorDto {
  return {
    id: `op-${role}`,
    email: `${role}@coinops.dev`,
    name: `The ${role}`,
    role,
    disabled: false,
    created_at: '2026-01-01T00:00:00.000Z',
    last_login_at: null,
    ...overrides,
  };
}

export function session(role: Role, expiresInMs = 3_600_000): Session {
  return {
    token: `token-of-${role}`,
    expires_at: new Date(Date.now() + expiresInMs).toISOString(),
    operator: operator(role),
  };
}
