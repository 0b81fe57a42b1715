import { describe, expect, it } from 'vitest';
import { currentListQuery, exportUrl } from './exporter';

function storage(entries: Record<string, string> = {}): Storage {
  return { getItem: (key: string) => entries[key] ?? null } as Storage;
}

describe('the exporter', () => {
  const defaults = { filter: { state: ['open'] }, sort: ['sla_due_at', 'ASC'] as ['sla_due_at', 'ASC'] };

  it('exports what the URL shows after the operator changed the filter or sort', () => {
    const hash = `#/reviews?filter=${encodeURIComponent('{"severity":"high"}')}&order=DESC&page=2&perPage=25&sort=created_at`;
    expect(currentListQuery('reviews', defaults, { hash }, storage())).toEqual({ filter: { severity: 'high' }, sort: ['created_at', 'DESC'] });
  });

  it("falls back to react-admin's stored list params, then to the list's defaults", () => {
    const stored = storage({ 'RaStore.reviews.listParams': JSON.stringify({ filter: { kind: 'recharge' }, sort: 'severity', order: 'ASC' }) });
    expect(currentListQuery('reviews', defaults, { hash: '#/reviews' }, stored)).toEqual({ filter: { kind: 'recharge' }, sort: ['severity', 'ASC'] });
    expect(currentListQuery('reviews', defaults, { hash: '#/reviews' }, storage())).toEqual(defaults);
  });

  it("ignores another list's URL", () => {
    const hash = `#/users?filter=${encodeURIComponent('{"country":"FR"}')}&sort=id&order=ASC`;
    expect(currentListQuery('reviews', defaults, { hash }, storage())).toEqual(defaults);
  });

  it('asks the API for the whole list with the filter and sort as JSON', () => {
    expect(exportUrl('recharges', { filter: { user_id: 'u 1' }, sort: ['amount', 'ASC'] })).toBe(
      `/api/exports/recharges?filter=${encodeURIComponent('{"user_id":"u 1"}').replace(/%20/g, '+')}&sort=${encodeURIComponent('["amount","ASC"]')}`,
    );
    expect(exportUrl('users', {})).toBe('/api/exports/users');
  });
});
