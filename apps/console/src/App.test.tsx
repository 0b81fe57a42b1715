import type { Role } from '@coinops/contracts';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { DataProvider } from 'react-admin';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { createAuthProvider } from './authProvider';
import { createSessionStore } from './session';
import { installFakeFetch } from './test/fakeFetch';
import { operator, session } from './test/fixtures';

/** Every list is empty: this test is about which menu entries a role gets, not about data. */
const emptyDataProvider = {
  getList: async () => ({ data: [], total: 0 }),
} as unknown as DataProvider;

const sessions = createSessionStore(window.localStorage);

function renderAs(role: Role) {
  sessions.write(session(role));
  installFakeFetch(() => ({ body: operator(role) })); // GET /api/auth/me
  render(<App authProvider={createAuthProvider({ sessions })} dataProvider={emptyDataProvider} />);
}

async function menuEntries(): Promise<string[]> {
  const menu = await screen.findByRole('menu', {}, { timeout: 10_000 });
  await waitFor(() => expect(within(menu).getByText('Dashboard')).toBeTruthy());
  // Resource entries appear once canAccess has answered for each of them.
  await waitFor(() => expect(within(menu).getByText('Audit log')).toBeTruthy());
  return within(menu)
    .getAllByRole('menuitem')
    .map((item) => item.textContent ?? '');
}

beforeEach(() => {
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the console menu', () => {
  it('does not show Operators to a viewer', async () => {
    renderAs('viewer');
    const entries = await menuEntries();
    expect(entries).toContain('Audit log');
    expect(entries).not.toContain('Operators');
  });

  it('shows Operators to an admin', async () => {
    renderAs('admin');
    await screen.findByRole('menu');
    await waitFor(() => expect(within(screen.getByRole('menu')).getByText('Operators')).toBeTruthy());
  });
});
