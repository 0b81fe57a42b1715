import { redactUrl } from '../src/infrastructure/log-redaction';
import { maskEmail, maskIp, maskPersonalData } from '../src/infrastructure/viewer-masking';

describe('masking personal data for viewers', () => {
  it('masks emails and IPs by key and inside any text, at any depth, but not who acted in an audit row', () => {
    const masked = maskPersonalData({
      email: 'ada.lovelace@example.com',
      actor_email: 'admin@coinops.dev',
      ip: '198.51.100.23',
      first_ip: '2001:db8:85a3::8a2e:370:7334',
      note: 'called from 203.0.113.9, wrote to sam@example.org',
      graph: { nodes: [{ kind: 'ip', label: '192.0.2.1' }], before: { email: 'x@y.io' } },
      amount_minor: '1999',
      created_at: '2026-11-28T02:00:00.000Z',
    });
    expect(masked).toEqual({
      email: 'a***@e***.com',
      actor_email: 'admin@coinops.dev',
      ip: '198.51.x.x',
      first_ip: '2001:db8:x:x::',
      note: 'called from 203.0.x.x, wrote to s***@e***.org',
      graph: { nodes: [{ kind: 'ip', label: '192.0.x.x' }], before: { email: 'x***@y***.io' } },
      amount_minor: '1999',
      created_at: '2026-11-28T02:00:00.000Z',
    });
  });

  it('hides a value under an address key even when it is not shaped like one', () => {
    expect(maskPersonalData({ email: 'not an address', ip: 'unknown' })).toEqual({ email: '***', ip: '***' });
    expect(maskPersonalData({ author_email: 'ts@coinops.dev', approved_by_email: 'fiona@coinops.dev', user_email: 'u@x.io' })).toEqual({ author_email: 'ts@coinops.dev', approved_by_email: 'fiona@coinops.dev', user_email: 'u***@x***.io' });
    expect(maskPersonalData({ email: null, ip: '' })).toEqual({ email: null, ip: '' });
  });

  it('leaves ids, amounts and versions alone', () => {
    expect(maskEmail('u_123 paid 1999')).toBe('u_123 paid 1999');
    expect(maskIp('rule v1.2 scored 0.75')).toBe('rule v1.2 scored 0.75');
  });
});

describe('URLs in the logs', () => {
  it('drops the values of credential-like query parameters and any JWT in the path or query', () => {
    expect(redactUrl('/api/users?token=abc.def&range=[0,9]&PASSWORD=hunter2')).toBe('/api/users?token=[redacted]&range=[0,9]&PASSWORD=[redacted]');
    expect(redactUrl('/api/x/eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl?x=1')).toBe('/api/x/[redacted]?x=1');
    expect(redactUrl('/api/users?filter={"q":"a"}')).toBe('/api/users?filter={"q":"a"}');
    expect(redactUrl('/api/health')).toBe('/api/health');
  });
});
