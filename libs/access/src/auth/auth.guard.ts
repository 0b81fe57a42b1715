import { ALL_ROLES, Forbidden, Unauthenticated, type Role } from '@coinops/contracts';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AuthenticatedOperator, AuthService } from './auth.service';
import { ENROLMENT_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

export interface AuthenticatedRequest extends Request {
  operator?: AuthenticatedOperator;
}

export const AUTH_SERVICE = Symbol('AUTH_SERVICE');

/** Deny by default: a route must declare `@Roles(...)` or `@Public(why)`, else nobody passes. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<string>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) throw new Forbidden('this route declares no roles, so it is refused to everyone');

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new Unauthenticated('missing bearer token');
    const operator = await this.auth.authenticate(token);
    request.operator = operator;
    if (operator.scope === 'enrolment' && !this.reflector.getAllAndOverride<boolean>(ENROLMENT_KEY, targets)) {
      throw new Forbidden(`a second factor is required for the ${operator.role} role: enrol one (POST /api/auth/totp/enrol) before anything else`, undefined, { mfa_enrolment: 'required' });
    }
    if (!roles.includes(operator.role)) {
      throw new Forbidden(`role ${operator.role} may not ${request.method} ${request.route?.path ?? request.path}`);
    }
    return true;
  }
}

export function bearerToken(request: Pick<Request, 'headers'>): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9_.-]{10,4096})$/.exec(header.trim());
  return match ? match[1] : null;
}

export { ALL_ROLES };
