import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { menuEntries, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * Users, creators and the ledger section, on the demo economy that `tools/dev/seed.ts` writes through
 * `seedDemoEconomy` (@coinops/economy): ana bought 1,400 coins and gifted 365; chloe is 60 coins in debt
 * after a chargeback; creator mia earned 87 diamonds.
 */
const session = useBrowser();

const row = (page: Page, text: string) => page.locator('table tbody tr', { hasText: text }).first();
const cell = (page: Page, text: string, column: string) => row(page, text).locator(`td.column-${column}`);

describe('users, creators and the ledger, against the real API', () => {
  it("shows the users with their balances, a debt in red, and a user's journal with the running balance", async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Users' }).click();

    await row(page, 'demo_ana').waitFor();
    expect(await cell(page, 'demo_ana', 'available_coins').innerText()).toBe('1,035 coins');
    expect(await cell(page, 'demo_ben', 'held_coins').innerText()).toBe('350 coins');
    const debt = cell(page, 'demo_chloe', 'debt_coins').locator('[data-debt="true"]');
    expect(await debt.innerText()).toBe('60 coins');
    // MUI's error red: a debt is never shown in the body colour.
    expect(await debt.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(211, 47, 47)');
    await page.screenshot({ path: join(testResults, 'users.png'), fullPage: true });

    await row(page, 'demo_ana').click();
    await page.getByTestId('balance-available').getByText('1,035 coins').waitFor();
    const journal = page.getByTestId('journal');
    await journal.locator('tbody tr').nth(3).waitFor();
    const balances = await journal.locator('tbody td.column-running_balance').allInnerTexts();
    const amounts = await journal.locator('tbody td.column-amount').allInnerTexts();
    expect(balances).toEqual(['1,035 coins', '1,285 coins', '1,300 coins', '1,400 coins']);
    expect(amounts).toEqual(['-250 coins', '-15 coins', '-100 coins', '+1,400 coins']);
    await page.screenshot({ path: join(testResults, 'user-journal.png'), fullPage: true });
  });

  it('shows a frozen user with the reason, and the debt on their page', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/users/demo_chloe/show`);
    await page.getByTestId('frozen-banner').waitFor();
    expect(await page.getByTestId('balance-debt').locator('[data-debt="true"]').innerText()).toBe('60 coins');
  });

  it("shows a creator's diamonds and their journal", async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'finance@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Creators' }).click();
    await row(page, 'demo_creator_mia').waitFor();
    expect(await cell(page, 'demo_creator_mia', 'available_diamonds').innerText()).toBe('87 diamonds');
    await row(page, 'demo_creator_mia').click();
    const journal = page.getByTestId('journal');
    await journal.locator('tbody tr').nth(2).waitFor();
    expect(await journal.locator('tbody td.column-running_balance').allInnerTexts()).toEqual(['87 diamonds', '57 diamonds', '50 diamonds']);
  });

  it('lets finance browse the ledger: accounts by owner, and a transaction with its postings', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'finance@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Ledger accounts' }).click();
    await page.goto(`${session.consoleUrl}/#/ledger-accounts?filter=${encodeURIComponent('{"owner_id":"demo_ana"}')}`);
    await row(page, 'user:demo_ana:coins').waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    expect(await cell(page, 'user:demo_ana:coins', 'posted').innerText()).toBe('1,035 coins');

    await page.goto(`${session.consoleUrl}/#/ledger-transactions?filter=${encodeURIComponent('{"reference_id":"demo_gift_4"}')}`);
    await row(page, 'gift:demo_gift_4').click();
    const postings = page.getByTestId('postings').first();
    await postings.locator('tbody tr').nth(3).waitFor();
    const legs = await postings.locator('tbody tr').allInnerTexts();
    expect(legs.find((leg) => leg.includes('user:demo_ana:coins'))).toMatch(/-250 coins/);
    expect(legs.find((leg) => leg.includes('creator:demo_creator_leo:diamonds'))).toMatch(/\+125 diamonds/);
    await page.screenshot({ path: join(testResults, 'ledger-transactions.png'), fullPage: true });
  });

  it('shows a viewer the users and creators but not the ledger', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    const entries = await menuEntries(page);
    expect(entries).toEqual(expect.arrayContaining(['Users', 'Creators']));
    expect(entries).not.toContain('Ledger accounts');
    expect(entries).not.toContain('Ledger transactions');
    await page.goto(`${session.consoleUrl}/#/ledger-transactions`);
    await page.waitForURL(/#\/access-denied/);
  });
});
