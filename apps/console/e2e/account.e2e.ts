import { generateSync } from 'otplib';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

const session = useBrowser();
const PASSWORD = 'account-e2e-passphrase-9';

/** An operator of this file's own (not @coinops.dev: the operators list test counts those). */
async function newOperator(role: string): Promise<string> {
  const api = inject('apiUrl');
  const login = await fetch(`${api}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@coinops.dev', password: DEMO_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  const email = `account.${Date.now().toString(36)}@example.org`;
  const created = await fetch(`${api}/api/operators`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ email, name: 'Account Tester', role, password: PASSWORD }),
  });
  expect(created.status).toBe(201);
  return email;
}

const code = (secret: string, offsetSeconds = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

async function enrolThroughTheAccountPage(page: Page): Promise<string> {
  await page.goto(`${session.consoleUrl}/#/account`);
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  await page.screenshot({ path: join(testResults, 'account-enrol.png'), fullPage: true });
  await page.locator('input[name="totp-code"]').fill(code(secret));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('mfa-state').filter({ hasText: 'On' }).waitFor();
  return secret;
}

describe('my account: two-factor, sessions, against the real API', () => {
  it('enrols a second factor by QR code, then signs in with password and code', async () => {
    const email = await newOperator('support');
    const page = session.page();
    await signIn(page, session.consoleUrl, email, PASSWORD);
    const secret = await enrolThroughTheAccountPage(page);
    await page.getByTestId('sessions').locator('tr', { hasText: 'This session' }).waitFor();
    await page.screenshot({ path: join(testResults, 'account.png'), fullPage: true });

    const fresh = await session.browser().newContext();
    const second = await fresh.newPage();
    await second.goto(`${session.consoleUrl}/#/login`);
    await second.locator('input[name="email"]').fill(email);
    await second.locator('input[name="password"]').fill(PASSWORD);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.locator('input[name="code"]').fill('000000' === code(secret, 30) ? '111111' : '000000');
    await second.getByRole('button', { name: 'Verify' }).click();
    await expect(second.getByRole('alert').first().innerText()).resolves.toMatch(/code/);
    await second.locator('input[name="code"]').fill(code(secret, 30));
    await second.getByRole('button', { name: 'Verify' }).click();
    await second.getByTestId('dashboard-role').waitFor();
    await fresh.close();
  });

  it('lets an admin reset the two-factor of an operator who lost their authenticator; they sign in with the password again', async () => {
    const email = await newOperator('finance');
    const page = session.page();
    await signIn(page, session.consoleUrl, email, PASSWORD);
    await enrolThroughTheAccountPage(page);

    const adminContext = await session.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await adminContext.newPage();
    try {
      await signIn(admin, session.consoleUrl, 'admin@coinops.dev');
      await admin.goto(`${session.consoleUrl}/#/operators`);
      await admin.locator('table tbody tr', { hasText: email }).first().click();
      await admin.locator('[data-action="reset-totp"]').click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByLabel('Reason').fill('Phone lost; identity checked by video call');
      await dialog.getByRole('button', { name: 'Reset two-factor' }).click();
      await admin.getByText(/Two-factor reset/).waitFor();
      await expect.poll(() => admin.locator('[data-action="reset-totp"]').count()).toBe(0);
    } finally {
      await adminContext.close();
    }

    // The reset ended their sessions; the password alone signs them in again (no second factor asked outside production).
    const fresh = await session.browser().newContext();
    const again = await fresh.newPage();
    await signIn(again, session.consoleUrl, email, PASSWORD);
    await fresh.close();
  });

  it('signs out of all sessions from the account page, back to the login page', async () => {
    const email = await newOperator('viewer');
    const page = session.page();
    await signIn(page, session.consoleUrl, email, PASSWORD);
    await page.goto(`${session.consoleUrl}/#/account`);
    await page.getByTestId('sessions').locator('tr', { hasText: 'This session' }).waitFor();
    await page.getByRole('button', { name: 'Sign out of all sessions' }).click();
    await page.waitForURL(/#\/login/);
    const storedToken = await page.evaluate(() => window.localStorage.getItem('coinops.session'));
    expect(storedToken).toBeNull();
  });

  it('opens the account page from the user menu', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'My account' }).click();
    await page.getByText('Two-factor authentication').first().waitFor();
    expect(page.url()).toContain('#/account');
  });
});
