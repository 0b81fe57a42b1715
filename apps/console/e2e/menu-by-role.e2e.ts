import { describe, expect, it } from 'vitest';
import { menuEntries, signIn } from './browser';
import { useBrowser } from './session';

const session = useBrowser();

describe('the menu of each role, against the real API', () => {
  it('shows an admin the Operators menu', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'admin@coinops.dev');
    expect(await menuEntries(page)).toEqual([
      'Dashboard',
      'Recharges', 'Refunds', 'Adjustments', 'Approvals', 'Chargebacks',
      'Review queue', 'Unauthorized activity', 'Alerts', 'Rules', 'Block/allow lists',
      'Users', 'Creators',
      'Payouts', 'Payout batches', 'Ledger accounts', 'Ledger transactions',
      'Operators', 'Audit log',
    ]);
    expect(await page.getByTestId('menu-section').allInnerTexts()).toEqual(['Money in', 'Trust and safety', 'People', 'Payouts and ledger', 'Administration']);
  });

  it('does not show a viewer the Operators menu, and refuses the page when typed in', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    expect(await menuEntries(page)).toEqual([
      'Dashboard',
      'Recharges', 'Refunds', 'Adjustments', 'Chargebacks',
      'Review queue', 'Unauthorized activity', 'Alerts', 'Rules', 'Block/allow lists',
      'Users', 'Creators',
      'Payouts', 'Payout batches',
      'Audit log',
    ]);

    await page.goto(`${session.consoleUrl}/#/operators`);
    await page.waitForURL(/#\/access-denied/);
    await page.getByText('Access denied').first().waitFor();
  });
});
