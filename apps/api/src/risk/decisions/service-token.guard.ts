import { CONFIG, type Config } from '@coinops/config';
import { Unauthenticated } from '@coinops/contracts';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Any printable token (the configured one may hold base64 characters), bounded in length. */
const BEARER = /^Bearer ([\x21-\x7e]{1,1024})$/;

/**
 * The payments service authenticates with `Authorization: Bearer <RISK_SERVICE_TOKEN>`, not an
 * operator JWT. Both sides are hashed first so the comparison takes the same time whatever the
 * length or content of the presented token.
 */
@Injectable()
export class RiskServiceTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(CONFIG) config: Config) {
    this.expected = digest(config.RISK_SERVICE_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : undefined;
    if (!token) throw new Unauthenticated('missing bearer token: this endpoint takes the risk service token');
    if (!timingSafeEqual(digest(token), this.expected)) throw new Unauthenticated('invalid risk service token');
    return true;
  }
}
