import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionStore } from '../session';
import { installFakeFetch } from '../test/fakeFetch';
import { session } from '../test/fixtures';
import { createDataProvider } from '.';

const sessions = createSessionStore(window.localStorage);
const dataProvider = createDataProvider({ apiUrl: '/api', sessions });

beforeEach(() => window.localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('the data provider', () => {
  it('lists with the simple-rest query, the bearer token, and the total from Content-Range', async () => {
    sessions.write(session('trust_safety'));
    const requests = installFakeFetch(() => ({
      body: [{ id: '1', action: 'auth.login' }],
      headers: { 'Content-Range': 'audit-events 0-0/1' },
    }));

    const result = await dataProvider.getList('audit-events', {
      pagination: { page: 1, perPage: 50 },
      sort: { field: 'created_at', order: 'DESC' },
      filter: { action: 'auth.login' },
    });

    expect(result).toEqual({ data: [{ id: '1', action: 'auth.login' }], total: 1 });
    const url = new URL(requests[0].url, 'http://console.test');
    expect(url.pathname).toBe('/api/audit-events');
    expect(JSON.parse(url.searchParams.get('sort')!)).toEqual(['created_at', 'DESC']);
    expect(JSON.parse(url.searchParams.get('range')!)).toEqual([0, 49]);
    expect(JSON.parse(url.searchParams.get('filter')!)).toEqual({ action: 'auth.login' });
    expect(requests[0].headers.get('Authorization')).toBe('Bearer token-of-trust_safety');
  });

  it('sends no Authorization header when nobody is signed in', async () => {
    const requests = installFakeFetch(() => ({ body: { id: '1' } }));
    await dataProvider.getOne('operators', { id: '1' });
    expect(requests[0].headers.has('Authorization')).toBe(false);
  });

  it('resets a password with POST /api/operators/:id/reset-password and the bearer token', async () => {
    sessions.write(session('admin'));
    const requests = installFakeFetch(() => ({ status: 204 }));

    await dataProvider.resetPassword('op/7', { password: 'a-new-long-password', reason: 'forgotten' });

    expect(requests[0]).toMatchObject({
      url: '/api/operators/op%2F7/reset-password',
      method: 'POST',
      body: { password: 'a-new-long-password', reason: 'forgotten' },
    });
    expect(requests[0].headers.get('Authorization')).toBe('Bearer token-of-admin');
  });

  it('turns the server field details into react-admin form errors', async () => {
    sessions.write(session('admin'));
    installFakeFetch(() => ({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'email: already taken',
        details: [{ field: 'email', message: 'already taken' }],
      },
    }));

    await expect(
      dataProvider.create('operators', { data: { email: 'a@coinops.dev', name: 'A', role: 'viewer', password: 'x' } }),
    ).rejects.toMatchObject({ status: 400, body: { errors: { email: 'already taken' } } });
  });
});
