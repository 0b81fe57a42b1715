import { describe, expect, it } from 'vitest';
import { menuEntries, signIn } from './browser';
import { useBrowser } from './session';

const session = useBrowser();

describe('the menu of each role, against the real API', () => {
  it('shows an admin the Operators menu', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'admin@coinops.dev');
    expect(await menuEntries(page)).toEqual([
      'Dashboard', 'Operators', 'Audit log', 'Users', 'Creators', 'Ledger accounts', 'Ledger transactions', 'Rules', 'Block/allow lists', 'Alerts', 'Review queue', 'Recharges',
    ]);
  });

  it('does not show a viewer the Operators menu, and refuses the page when typed in', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    expect(await menuEntries(page)).toEqual(['Dashboard', 'Audit log', 'Users', 'Creators', 'Rules', 'Block/allow lists', 'Alerts', 'Review queue', 'Recharges']);

    await page.goto(`${session.consoleUrl}/#/operators`);
    await page.waitForURL(/#\/access-denied/);
    await page.getByText('Access denied').first().waitFor();
  });
});
