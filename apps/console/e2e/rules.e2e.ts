import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

const session = useBrowser();
const ruleKey = `e2e_rule_${randomBytes(3).toString('hex')}`;
// Scoped to events of this test, so the rule never changes a decision anyone else makes.
const firstExpression = `event.ref.startsWith("${ruleKey}") && card.count_1h >= 3`;
const fixedExpression = `event.ref.startsWith("${ruleKey}") &&\n  card.count_10m >= 2`;
const brokenExpression = `event.ref.startsWith("${ruleKey}") &&\n  card.cnt_10m >= 2`;

async function api<T>(path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const response = await fetch(`${inject('apiUrl')}/api${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('rules, edited by trust and safety against the real API', () => {
  beforeAll(async () => {
    const { token } = await api<{ token: string }>('/auth/login', { method: 'POST', body: JSON.stringify({ email: 'ts@coinops.dev', password: DEMO_PASSWORD }) });
    await api('/rules', {
      method: 'POST',
      body: JSON.stringify({ key: ruleKey, name: 'E2E card velocity', expression: firstExpression, action: 'review', score: 30, severity: 'medium' }),
    }, token);
  });

  it('shows a broken expression inline with its line and column, then saves the fix as a new version', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Rules' }).click();
    await page.locator('table tbody tr', { hasText: 'under_18' }).waitFor();

    await page.goto(`${session.consoleUrl}/#/rules?filter=${encodeURIComponent(JSON.stringify({ q: ruleKey }))}`);
    await page.locator('table tbody tr', { hasText: ruleKey }).click();
    await page.getByTestId('rule-version-1').waitFor();

    const expression = page.getByTestId('expression-input');
    await expression.fill(brokenExpression);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('No such key: cnt_10m (line 2, column 8)').waitFor();
    expect(await page.getByTestId('expression-error-frame').first().innerText()).toContain('card.cnt_10m >= 2');
    expect(await page.getByTestId('rule-version-2').count()).toBe(0);
    await page.screenshot({ path: join(testResults, 'rule-inline-error.png'), fullPage: true });

    await expression.fill(fixedExpression);
    await page.locator('textarea[name="reason"]').first().fill('e2e: count cards over ten minutes');
    await page.getByRole('button', { name: 'Save' }).click();
    const v2 = page.getByTestId('rule-version-2');
    await v2.waitFor();
    expect(await v2.innerText()).toContain('(live)');
    expect(await v2.innerText()).toContain('card.count_10m >= 2');
    expect(await page.getByTestId('rule-version-1').innerText()).toContain('card.count_1h >= 3');
    expect(await page.getByText('No such key').count()).toBe(0);
  });

  it('runs a backtest of the draft and shows hits, hit rate, precision and recall', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/rules?filter=${encodeURIComponent(JSON.stringify({ q: ruleKey }))}`);
    await page.locator('table tbody tr', { hasText: ruleKey }).click();

    const panel = page.getByTestId('backtest-panel');
    await panel.getByTestId('backtest-expression').fill('event.coins >= 1000');
    await panel.getByRole('button', { name: 'Run backtest' }).click();
    await panel.getByTestId('backtest-result').waitFor();
    for (const figure of ['evaluated', 'hits', 'positives']) expect(await panel.getByTestId(`backtest-${figure}`).innerText()).toMatch(/^\d[\d,]*$/);
    for (const figure of ['hit-rate', 'precision', 'recall']) expect(await panel.getByTestId(`backtest-${figure}`).innerText()).toMatch(/^(\d+\.\d %|—|n\/a .*)$/);
    await page.screenshot({ path: join(testResults, 'rule-backtest.png'), fullPage: true });

    await panel.getByTestId('backtest-expression').fill('event.coins >= ');
    await panel.getByRole('button', { name: 'Run backtest' }).click();
    expect(await panel.getByTestId('backtest-error').innerText()).toMatch(/\(line 1, column 16\)/);
  });

  it('shows a viewer the rules read-only, without editor or backtest', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Rules' }).click();
    await page.locator('table tbody tr', { hasText: 'under_18' }).click();
    await page.waitForURL(/#\/rules\/[^/]+\/show$/);
    await page.getByTestId('rule-versions').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByTestId('backtest-panel').count()).toBe(0);
  });

  it('adds a block entry with a reason and removes it again, keeping it as history', async () => {
    const page = session.page();
    const card = `e2e-card-${randomBytes(3).toString('hex')}`;
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Block/allow lists' }).click();
    await page.getByRole('link', { name: 'Add entry' }).click();
    await page.locator('input[name="value"]').fill(card);
    await page.locator('textarea[name="reason"]').first().fill('e2e: card reported stolen');
    await page.getByRole('button', { name: 'Save' }).click();

    const row = page.locator('table tbody tr', { hasText: card });
    await row.waitFor();
    await row.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('textarea[name="reason"]').first().fill('e2e: issuer says it was a mistake');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Entry removed').waitFor();
    await row.getByRole('button', { name: 'Remove' }).waitFor({ state: 'detached' });
    await row.click();
    await page.getByText('e2e: issuer says it was a mistake').waitFor();
  });
});
