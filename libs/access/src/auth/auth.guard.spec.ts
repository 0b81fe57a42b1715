import { Forbidden } from '@coinops/contracts';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import type { AuthService } from './auth.service';
import { AllowEnrolment, Public, Roles } from './roles.decorator';

class Undeclared {
  handler() {}
}
class Declared {
  @Roles('admin')
  handler() {}
  @Public('probe')
  open() {}
}

class Enrolling {
  @Roles('admin')
  handler() {}
  @Roles('admin')
  @AllowEnrolment()
  enrol() {}
}

function contextFor(target: object, handler: (...args: unknown[]) => unknown, headers: Record<string, string> = {}): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => target,
    switchToHttp: () => ({ getRequest: () => ({ headers, method: 'GET', path: '/x' }) }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  // The guard must decide these cases before it ever asks who the caller is.
  const neverAsked = { authenticate: () => Promise.reject(new Error('must not authenticate')) } as unknown as AuthService;
  const guard = new AuthGuard(new Reflector(), neverAsked);

  it('refuses a route that declares no roles, whoever calls it', async () => {
    await expect(guard.canActivate(contextFor(Undeclared, Undeclared.prototype.handler))).rejects.toBeInstanceOf(Forbidden);
  });

  it('lets a public route through without a token', async () => {
    await expect(guard.canActivate(contextFor(Declared, Declared.prototype.open))).resolves.toBe(true);
  });

  it('asks for a token on a route with roles', async () => {
    await expect(guard.canActivate(contextFor(Declared, Declared.prototype.handler))).rejects.toThrow('missing bearer token');
  });
});

describe('AuthGuard with an enrolment-only session', () => {
  const enrolling = {
    authenticate: async () => ({ id: 'o1', email: 'a@coinops.dev', name: 'A', role: 'admin', sessionId: 's1', scope: 'enrolment' }),
  } as unknown as AuthService;
  const guard = new AuthGuard(new Reflector(), enrolling);
  const bearer = { authorization: 'Bearer abcdefghijklmnop.qrstuvwxyz' };

  it('refuses every route but the ones marked for enrolment, whatever the role allows', async () => {
    await expect(guard.canActivate(contextFor(Enrolling, Enrolling.prototype.handler, bearer))).rejects.toThrow(/second factor is required/);
    await expect(guard.canActivate(contextFor(Enrolling, Enrolling.prototype.enrol, bearer))).resolves.toBe(true);
  });
});
