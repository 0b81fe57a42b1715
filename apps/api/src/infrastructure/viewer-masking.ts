import type { AuthenticatedRequest } from '@coinops/access';
import { Forbidden } from '@coinops/contracts';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';

/**
 * Privacy for the viewer role (docs/security.md): every answer a viewer gets has its email addresses and IP
 * addresses masked, by key (`email`, `*_email`, `ip`, `*_ip`, `ips`, `remote_address`) and by value (an
 * address anywhere in a string: notes, evidence labels, audit before/after), in one place for every
 * controller. A viewer may not filter lists by email or IP either, which would confirm an address.
 * The caller's own account (/api/auth/*) is not masked, nor are the emails of operators named as who did
 * something (`actor_email`, `author_email`, `*_by_email`): staff are accountable by name to each other,
 * which is what an audit trail and notes are for. The masking protects the platform's users.
 */
const STAFF_EMAIL_KEY = /^(actor|author|operator|[a-z]+_by|assigned_to)_email$/;
const UNMASKED_KEYS = { has: (key: string) => STAFF_EMAIL_KEY.test(key) };
const EMAIL_KEY = /(^|_)e?mails?$/i;
const IP_KEY = /(^|_)(ip|ips|ip_address|remote_address)$/i;
const EMAIL_IN_TEXT = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,24})\b/g;
const IPV4_IN_TEXT = /\b(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}\b/g;
const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}(%\w+)?$/i;
const MAX_DEPTH = 32;

export function maskEmail(value: string): string {
  return value.replace(EMAIL_IN_TEXT, (_all, first: string, domainFirst: string, tld: string) => `${first}***@${domainFirst}***.${tld}`);
}

export function maskIp(value: string): string {
  const trimmed = value.trim();
  if (IPV6.test(trimmed) && trimmed.includes(':')) {
    const groups = trimmed.split(':').filter(Boolean);
    return `${groups.slice(0, 2).join(':')}:x:x::`;
  }
  return value.replace(IPV4_IN_TEXT, (_all, a: string, b: string) => `${a}.${b}.x.x`);
}

function maskText(value: string): string {
  return maskIp(maskEmail(value));
}

/** A deep copy of `value` with addresses masked; Dates and other class instances go through JSON first. */
export function maskPersonalData(value: unknown, key: string | null = null, depth = 0): unknown {
  if (typeof value === 'string') {
    if (key !== null && UNMASKED_KEYS.has(key)) return value;
    if (key !== null && EMAIL_KEY.test(key)) return maskEmail(value).includes('***') ? maskEmail(value) : value.length ? '***' : value;
    if (key !== null && IP_KEY.test(key)) return maskIp(value) === value && value.length ? '***' : maskIp(value);
    return maskText(value);
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, key, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) out[name] = maskPersonalData(child, name, depth + 1);
  return out;
}

const FILTER_KEY = /(^|_)(e?mails?|ips?|ip_address)(_[a-z]+)?$/i;

@Injectable()
export class ViewerMaskingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.operator?.role !== 'viewer' || request.path.startsWith('/api/auth/')) return next.handle();
    refuseAddressFilters(request.query?.filter);
    return next.handle().pipe(map((body) => maskPersonalData(body)));
  }
}

function refuseAddressFilters(filter: unknown): void {
  if (typeof filter !== 'string') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(filter);
  } catch {
    return; // the list parser answers 400 for it
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return;
  const keys = Object.keys(parsed).filter((k) => FILTER_KEY.test(k) && !UNMASKED_KEYS.has(k));
  if (keys.length) throw new Forbidden(`the viewer role may not filter by email or IP address (${keys.join(', ')})`, [{ field: `filter.${keys[0]}`, message: 'is not open to the viewer role' }]);
}
