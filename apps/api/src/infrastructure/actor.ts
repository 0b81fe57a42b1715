import type { Actor, AuthenticatedRequest } from '@coinops/access';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The signed-in operator as the domain's `Actor`, with the request id for the audit row. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const operator = request.operator;
  return {
    operatorId: operator?.id ?? null,
    email: operator?.email ?? null,
    role: operator?.role ?? null,
    requestId: request.id ? String(request.id) : null,
  };
});

export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string | null => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return request.id ? String(request.id) : null;
});
