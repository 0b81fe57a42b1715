import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './session';

const session = useBrowser();

async function apiLogin(email: string, password: string): Promise<{ status: number; message: string }> {
  const response = await fetch(`${inject('apiUrl')}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { message: string };
  return { status: response.status, message: body.message };
}

async function submitLogin(page: Page, email: string, password: string): Promise<string> {
  await page.goto(`${session.consoleUrl}/#/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page.getByRole('alert').first().innerText();
}

describe('the login page, against the real API', () => {
  it('shows the server message for a wrong password and stays on the login page', async () => {
    const { status, message } = await apiLogin('nobody@coinops.dev', 'not-the-password');
    expect(status).toBe(401);

    const page = session.page();
    await expect(submitLogin(page, 'nobody@coinops.dev', 'not-the-password')).resolves.toContain(message);
    expect(page.url()).toContain('#/login');
  });

  it('shows the server message when an operator is locked out after repeated failures', async () => {
    // finance2 is used by no other e2e test: lock it out with wrong passwords until the API answers 429.
    let answer = await apiLogin('finance2@coinops.dev', 'wrong-password');
    for (let attempt = 1; attempt <= 20 && answer.status === 401; attempt++) {
      answer = await apiLogin('finance2@coinops.dev', 'wrong-password');
    }
    expect(answer.status).toBe(429);

    const page = session.page();
    // Even the right password is refused while locked out, with the server's words.
    await expect(submitLogin(page, 'finance2@coinops.dev', 'coinops-demo')).resolves.toContain(answer.message);
    expect(page.url()).toContain('#/login');
  });
});
