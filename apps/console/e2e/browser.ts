import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; nothing here ever downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DEMO_PASSWORD = 'coinops-demo';

/** Signs in through the console's login page, as an operator would, and waits for the dashboard. */
export async function signIn(page: Page, consoleUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${consoleUrl}/#/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('dashboard-role').waitFor();
}

/** The labels of the sidebar menu entries, once the role-dependent ones have been decided. */
export async function menuEntries(page: Page): Promise<string[]> {
  const menu = page.getByRole('menu');
  await menu.getByRole('menuitem', { name: 'Audit log' }).waitFor();
  return (await menu.getByRole('menuitem').allInnerTexts()).map((text) => text.trim());
}
