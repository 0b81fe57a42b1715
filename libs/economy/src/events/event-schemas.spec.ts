import { ValidationFailed } from '@coinops/contracts';
import { parsePlatformEvent, wireData } from './event-schemas';

const fields = (body: unknown): string[] => {
  try {
    parsePlatformEvent(body);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return ((error as ValidationFailed).details ?? []).map((d) => d.field).sort();
  }
};
const gift = (data: Record<string, unknown>) => ({ id: 'evt_1', type: 'gift.sent', occurred_at: '2026-01-01T00:00:00Z', data: { gift_id: 'g1', sender_id: 'u1', creator_id: 'c1', coins: 5, ...data } });

describe('platform event validation', () => {
  it('reads coins as a bigint from a JSON integer or a decimal string, and stores them as a string', () => {
    const fromNumber = parsePlatformEvent(gift({ coins: 12 }));
    const fromString = parsePlatformEvent(gift({ coins: '12' }));
    expect(fromNumber.type === 'gift.sent' && fromNumber.data.coins).toBe(12n);
    expect(wireData(fromString)).toMatchObject({ coins: '12' });
    // Same event either way: the same idempotency hash.
    expect(fromString.bodyHash).toBe(fromNumber.bodyHash);
  });

  it('names each bad field of the data, prefixed with data.', () => {
    expect(fields(gift({ coins: -1 }))).toEqual(['data.coins']);
    expect(fields(gift({ coins: 2 ** 60 }))).toEqual(['data.coins']);
    expect(fields(gift({ coins: '1e3' }))).toEqual(['data.coins']);
    expect(fields(gift({ sender_id: 'x'.repeat(65), extra: true }))).toEqual(['data.extra', 'data.sender_id']);
  });

  it('names the envelope fields, and refuses unknown types', () => {
    expect(fields({ type: 'user.created', data: {} })).toEqual(['id', 'occurred_at']);
    expect(fields({ id: 'e', type: 'user.deleted', occurred_at: '2026-01-01T00:00:00Z', data: {} })).toEqual(['type']);
    expect(fields({ id: 'e', type: 'user.created', occurred_at: '1999-01-01T00:00:00Z', data: { user_id: 'u', country: 'FR' } })).toEqual(['occurred_at']);
    expect(fields([])).toEqual(['body']);
  });

  it('hashes the event, not its key order or spacing', () => {
    const a = parsePlatformEvent({ id: 'e', type: 'user.created', occurred_at: '2026-01-01T00:00:00Z', data: { user_id: 'u', country: 'FR' } });
    const b = parsePlatformEvent({ data: { country: 'FR', user_id: 'u' }, occurred_at: '2026-01-01T00:00:00.000Z', type: 'user.created', id: 'e' });
    const c = parsePlatformEvent({ id: 'e', type: 'user.created', occurred_at: '2026-01-01T00:00:00Z', data: { user_id: 'u', country: 'DE' } });
    expect(a.bodyHash).toBe(b.bodyHash);
    expect(c.bodyHash).not.toBe(a.bodyHash);
  });
});
