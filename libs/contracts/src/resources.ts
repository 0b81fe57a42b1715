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
}
