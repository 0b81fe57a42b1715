import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthProvider } from './authProvider';
import { createSessionStore, SESSION_KEY } from './session';
import { installFakeFetch } from './test/fakeFetch';
import { operator, session } from './test/fixtures';

const sessions = createSessionStore(window.localStorage);
const authProvider = createAuthProvider({ apiUrl: '/api', sessions });

beforeEach(() => window.localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('login', () => {
  it('posts the email and password and keeps the token and operator in localStorage', async () => {
    const ts = operator('trust_safety');
    const requests = installFakeFetch(() => ({
      body: { token: 'jwt-1', expires_at: '2999-01-01T00:00:00.000Z', operator: ts },
    }));

    await authProvider.login({ email: ts.email, password: 'coinops-demo' });

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: '/api/auth/login',
      method: 'POST',
      body: { email: ts.email, password: 'coinops-demo' },
    });
    expect(JSON.parse(window.localStorage.getItem(SESSION_KEY)!)).toMatchObject({ token: 'jwt-1', operator: ts });
    await expect(authProvider.checkAuth({})).resolves.toBeUndefined();
  });

  it('rejects bad credentials with the server message and stores nothing', async () => {
    installFakeFetch(() => ({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' },
    }));

    await expect(authProvider.login({ email: 'ts@coinops.dev', password: 'wrong' })).rejects.toThrow(
      'Invalid email or password',
    );
    expect(window.localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('shows the server message when the account is locked out or rate-limited', async () => {
    installFakeFetch(() => ({
      status: 429,
      body: { statusCode: 429, error: 'Too Many Requests', message: 'Too many attempts, try again in 15 minutes' },
    }));

    await expect(authProvider.login({ email: 'ts@coinops.dev', password: 'x' })).rejects.toMatchObject({
      status: 429,
      message: 'Too many attempts, try again in 15 minutes',
    });
  });
});

describe('checkAuth', () => {
  it('refuses when nobody is signed in or the token has expired', async () => {
    await expect(authProvider.checkAuth({})).rejects.toThrow();
    sessions.write(session('viewer', -1000));
    await expect(authProvider.checkAuth({})).rejects.toThrow();
    expect(sessions.read()).toBeNull();
  });
});

describe('checkError', () => {
  it('signs the operator out on a 401', async () => {
    sessions.write(session('finance'));
    await expect(authProvider.checkError({ status: 401 })).rejects.toThrow();
    expect(sessions.read()).toBeNull();
  });

  it('keeps the operator signed in on a 403, which only means the role is not allowed', async () => {
    sessions.write(session('finance'));
    await expect(authProvider.checkError({ status: 403 })).resolves.toBeUndefined();
    expect(sessions.read()?.token).toBe('token-of-finance');
  });
});

describe('permissions and identity', () => {
  it('returns the role as the permissions', async () => {
    sessions.write(session('support'));
    await expect(authProvider.getPermissions!({})).resolves.toBe('support');
  });

  it('reads the identity from GET /api/auth/me with the bearer token', async () => {
    sessions.write(session('admin'));
    const me = operator('admin', { name: 'Ada Admin' });
    const requests = installFakeFetch(() => ({ body: me }));

    await expect(authProvider.getIdentity!()).resolves.toEqual({
      id: me.id,
      fullName: 'Ada Admin',
      email: me.email,
    });
    expect(requests[0].url).toBe('/api/auth/me');
    expect(requests[0].headers.get('Authorization')).toBe('Bearer token-of-admin');
  });

  it('answers canAccess from the role table: a viewer may read the audit log but not manage operators', async () => {
    sessions.write(session('viewer'));
    await expect(authProvider.canAccess!({ resource: 'audit-events', action: 'list' })).resolves.toBe(true);
    await expect(authProvider.canAccess!({ resource: 'operators', action: 'list' })).resolves.toBe(false);
  });

  it('refuses every access once signed out', async () => {
    sessions.write(session('admin'));
    await authProvider.logout({});
    await expect(authProvider.canAccess!({ resource: 'audit-events', action: 'list' })).resolves.toBe(false);
  });
});

describe('two-factor sign-in', () => {
  it('asks for the code when the password was right and a second factor is set up, storing nothing yet', async () => {
    installFakeFetch(() => ({ body: { mfa_required: true, mfa_token: 'mfa-1', expires_at: '2999-01-01T00:00:00.000Z' } }));
    await expect(authProvider.login({ email: 'ts@coinops.dev', password: 'coinops-demo' })).rejects.toMatchObject({ mfaRequired: true, mfaToken: 'mfa-1' });
    expect(window.localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('completes the sign-in with the challenge token and the code', async () => {
    const ts = operator('trust_safety');
    const requests = installFakeFetch(() => ({ body: { token: 'jwt-2', expires_at: '2999-01-01T00:00:00.000Z', operator: ts } }));
    await authProvider.login({ mfa_token: 'mfa-1', code: '123456' });
    expect(requests[0]).toMatchObject({ url: '/api/auth/mfa', method: 'POST', body: { mfa_token: 'mfa-1', code: '123456' } });
    expect(JSON.parse(window.localStorage.getItem(SESSION_KEY)!)).toMatchObject({ token: 'jwt-2' });
  });

  it('sends an operator whose role requires a second factor to enrolment', async () => {
    const admin = operator('admin');
    installFakeFetch(() => ({ body: { token: 'jwt-3', expires_at: '2999-01-01T00:00:00.000Z', operator: admin, mfa_enrolment: 'required' } }));
    await expect(authProvider.login({ email: admin.email, password: 'coinops-demo' })).resolves.toEqual({ redirectTo: '/account' });
    expect(JSON.parse(window.localStorage.getItem(SESSION_KEY)!)).toMatchObject({ mfa_enrolment: 'required' });
  });
});
