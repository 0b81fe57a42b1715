import type { Role } from './access/roles';

/** Wire shapes (snake_case, DESIGN §7) shared by the API and the console. */
export interface OperatorDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
  /** True once the operator has enrolled a TOTP second factor. */
  mfa_enabled?: boolean;
}

export interface AuditEventDto {
  id: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
  created_at: string;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  operator: OperatorDto;
  /**
   * `required`: the token only opens two-factor enrolment (the role requires it and none is set up);
   * `offered`: the operator may enrol one. Absent once enrolled.
   */
  mfa_enrolment?: 'required' | 'offered';
}

/** The password was right and a TOTP code is needed: `POST /api/auth/mfa {mfa_token, code}`. */
export interface MfaChallengeResponse {
  mfa_required: true;
  mfa_token: string;
  expires_at: string;
}
