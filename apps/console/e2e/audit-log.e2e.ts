import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

const session = useBrowser();

describe('the audit log, against the real API', () => {
  it('lets a trust and safety operator sign in and read the audit log, starting with their own login', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Audit log' }).click();

    const ownLogins = page.locator('table tbody tr', { hasText: 'auth.login' }).filter({ hasText: 'ts@coinops.dev' });
    await ownLogins.first().waitFor();
    expect(await ownLogins.count()).toBeGreaterThanOrEqual(1);

    // A row expands into its before/after panel.
    await ownLogins.first().click();
    await page.getByTestId('audit-diff').first().waitFor();
    await page.screenshot({ path: join(testResults, 'audit-log.png'), fullPage: true });
  });

  it('filters the audit log by action through the API', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'finance@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/audit-events?filter=${encodeURIComponent('{"action":"auth.login"}')}`);

    const rows = page.locator('table tbody tr');
    await rows.filter({ hasText: 'finance@coinops.dev' }).first().waitFor();
    const actions = await page.locator('table tbody tr td.column-action').allInnerTexts();
    expect(actions.length).toBeGreaterThanOrEqual(1);
    expect(new Set(actions)).toEqual(new Set(['auth.login']));
  });
});
