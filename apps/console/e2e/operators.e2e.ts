import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

const session = useBrowser();

describe('operators, managed by an admin against the real API', () => {
  it('lists the seeded operators', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'admin@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Operators' }).click();

    await page.locator('table tbody tr', { hasText: 'viewer@coinops.dev' }).waitFor();
    expect(await page.locator('table tbody tr', { hasText: '@coinops.dev' }).count()).toBe(7);
    await page.screenshot({ path: join(testResults, 'operators.png'), fullPage: true });
  });

  it('filters operators by role and by search through the API', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'admin@coinops.dev');
    const filter = (value: object) => `${session.consoleUrl}/#/operators?filter=${encodeURIComponent(JSON.stringify(value))}`;

    await page.goto(filter({ role: 'finance' }));
    await page.locator('table tbody tr', { hasText: 'finance@coinops.dev' }).waitFor();
    expect(new Set(await page.locator('table tbody td.column-role').allInnerTexts())).toEqual(new Set(['Finance']));

    await page.goto(filter({ q: 'viewer@' }));
    await page.locator('table tbody tr', { hasText: 'viewer@coinops.dev' }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
  });

  it('renames an operator with a reason, resets their password, and both land in the audit log', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'admin@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/operators`);
    await page.locator('table tbody tr', { hasText: 'support2@coinops.dev' }).click();

    await page.locator('input[name="name"]').fill('Sadie Renamed');
    await page.locator('textarea[name="reason"]').first().fill('e2e: name changed at her request');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('table tbody tr', { hasText: 'Sadie Renamed' }).waitFor();

    await page.locator('table tbody tr', { hasText: 'support2@coinops.dev' }).click();
    await page.getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name="password"]').fill('a-fresh-password-1');
    await dialog.locator('textarea[name="reason"]').first().fill('e2e: forgotten password');
    await page.screenshot({ path: join(testResults, 'reset-password.png') });
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('Password reset').waitFor();

    await page.goto(`${session.consoleUrl}/#/audit-events`);
    await page.locator('table tbody tr', { hasText: 'e2e: name changed at her request' }).waitFor();
    await page.locator('table tbody tr', { hasText: 'e2e: forgotten password' }).waitFor();
  });

  it('lets the operator sign in with the password the admin set', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support2@coinops.dev', 'a-fresh-password-1');
    await expect(page.getByTestId('dashboard-role').innerText()).resolves.toContain('support');
  });
});
