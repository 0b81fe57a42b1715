import { CONFIG, type Config } from '@coinops/config';
import { Unauthenticated } from '@coinops/contracts';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Any printable token (the configured one may hold base64 characters), bounded in length. */
const BEARER = /^Bearer ([\x21-\x7e]{1,1024})$/;

/**
 * Checks an `Authorization` header against the risk service token; throws Unauthenticated (401).
 * Both sides are hashed first so the comparison takes the same time whatever the length or content
 * of the presented token. Shared by the guard and the API's machine-route fast path.
 */
export function serviceTokenCheck(expectedToken: string): (header: unknown) => void {
  const expected = digest(expectedToken);
  return (header) => {
    const token = typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : undefined;
    if (!token) throw new Unauthenticated('missing bearer token: this endpoint takes the risk service token');
    if (!timingSafeEqual(digest(token), expected)) throw new Unauthenticated('invalid risk service token');
  };
}

/** The payments service authenticates with `Authorization: Bearer <RISK_SERVICE_TOKEN>`, not an operator JWT. */
@Injectable()
export class RiskServiceTokenGuard implements CanActivate {
  private readonly check: (header: unknown) => void;

  constructor(@Inject(CONFIG) config: Config) {
    this.check = serviceTokenCheck(config.RISK_SERVICE_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    this.check(context.switchToHttp().getRequest<Request>().headers.authorization);
    return true;
  }
}
