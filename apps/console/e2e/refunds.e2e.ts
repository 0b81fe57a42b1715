import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * Support's refunds and adjustments through the real console, API and worker: a refund asked from the
 * recharge page waits above the threshold, its requester is offered no approve button, a second operator
 * approves it from the approvals queue; an adjustment goes the same way through its form.
 */
const session = useBrowser();
const apiUrl = inject('apiUrl');
const stamp = randomBytes(4).toString('hex');

const sign = (secret: string, body: string) => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};

async function api<T>(method: 'GET' | 'POST', path: string, options: { body?: string; headers?: Record<string, string>; token?: string } = {}): Promise<T> {
  const response = await fetch(`${apiUrl}/api${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    body: options.body,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

const token = async (email: string) => (await api<{ token: string }>('POST', '/auth/login', { body: JSON.stringify({ email, password: DEMO_PASSWORD }) })).token;

/** A 70 USD card recharge as Stripe reports it, credited by the worker (above the 50 USD refund threshold). */
async function creditedRecharge(readToken: string): Promise<{ userId: string; rechargeId: string }> {
  const userId = `e2e_refund_${stamp}`;
  const now = Math.floor(Date.now() / 1000);
  const charge = {
    id: `evt_refund_${stamp}`, object: 'event', api_version: '2025-08-27.basil', created: now, type: 'charge.succeeded', livemode: false, pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: `ch_e2e_refund_${stamp}`, object: 'charge', amount: 7000, amount_captured: 7000, amount_refunded: 0, captured: true, created: now, currency: 'usd', paid: true, refunded: false, status: 'succeeded', livemode: false,
        metadata: { user_id: userId, coins: '4900' },
        payment_method_details: { type: 'card', card: { brand: 'visa', country: 'US', fingerprint: `fp_e2e_refund_${stamp}`, last4: '4242', funding: 'credit', exp_month: 12, exp_year: 2030, wallet: null } },
      },
    },
  };
  const body = JSON.stringify(charge);
  const receipt = await api<{ recharge_id: string }>('POST', '/webhooks/stripe', { body, headers: { 'Stripe-Signature': sign(inject('stripeWebhookSecret'), body) } });
  for (let attempt = 0; attempt < 100; attempt++) {
    const recharge = await api<{ state: string }>('GET', `/recharges/${receipt.recharge_id}`, { token: readToken });
    if (recharge.state === 'credited') return { userId, rechargeId: receipt.recharge_id };
    if (recharge.state !== 'received') throw new Error(`the recharge was ${recharge.state}, not credited`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the worker did not evaluate the recharge within 20 s');
}

const row = (page: Page, text: string) => page.locator('table tbody tr', { hasText: text }).first();

describe('refunds and adjustments, against the real API and worker', () => {
  let recharge: { userId: string; rechargeId: string };
  const adjustedUser = `e2e_adjust_${stamp}`;

  beforeAll(async () => {
    recharge = await creditedRecharge(await token('support@coinops.dev'));
  });

  it('lets support ask for a refund from the recharge page; above the threshold it waits, with no approve button for its requester', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/recharges/${recharge.rechargeId}/show`);
    await page.locator('[data-action="request-refund"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-refundable="7000"]').waitFor();
    expect(await dialog.innerText()).toMatch(/unspent coins of this recharge: 4900 of 4900/);
    await dialog.locator('textarea[name="reason"]').fill('Bought twice by mistake');
    await page.screenshot({ path: join(testResults, 'refund-request.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Request refund' }).click();

    await page.waitForURL(/#\/refunds\/[0-9a-f-]{36}\/show/);
    await page.getByText('requested', { exact: true }).first().waitFor();
    expect(await page.locator('[data-action="refund-approve"]').count()).toBe(0);
    await page.locator('[data-action="refund-reject"]').waitFor();

    await page.getByRole('menu').getByRole('menuitem', { name: 'Approvals' }).click();
    await row(page, recharge.userId).waitFor();
    expect(await row(page, recharge.userId).locator('[data-action="refund-approve"]').count()).toBe(0);
  });

  it('lets a second support operator approve it from the approvals queue; it goes to the worker', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support2@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Approvals' }).click();
    await row(page, recharge.userId).locator('[data-action="refund-approve"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('textarea[name="reason"]').fill('Duplicate purchase confirmed');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Refund approved').waitFor();
    await expect.poll(() => row(page, recharge.userId).count()).toBe(0);
    await page.screenshot({ path: join(testResults, 'approvals.png'), fullPage: true });

    const refunds = await api<Array<{ state: string; approved_by: string | null; requested_by: string }>>('GET', `/refunds?filter=${encodeURIComponent(JSON.stringify({ recharge_id: recharge.rechargeId }))}`, { token: await token('finance@coinops.dev') });
    expect(refunds).toHaveLength(1);
    expect(['processing', 'failed', 'succeeded']).toContain(refunds[0].state);
    expect(refunds[0].approved_by).not.toBe(refunds[0].requested_by);
  });

  it('lets support ask for an adjustment with the form and finance approve it; the coins are then posted', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Adjustments' }).click();
    await page.waitForURL(/#\/adjustments/);
    await page.screenshot({ path: join(testResults, 'adjustments.png'), fullPage: true });
    await page.getByLabel('New adjustment').click();
    await page.locator('input[name="target_id"]').fill(adjustedUser);
    await page.locator('input[name="amount"]').fill('5000');
    await page.locator('textarea[name="note"]').fill('Coins lost in the gift outage');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Adjustment waiting for a second operator').waitFor();
    await page.getByText('requested', { exact: true }).first().waitFor();

    // A second operator in a browser of their own.
    const context = await session.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const finance = await context.newPage();
    await signIn(finance, session.consoleUrl, 'finance@coinops.dev');
    await finance.getByRole('menu').getByRole('menuitem', { name: 'Approvals' }).click();
    await row(finance, adjustedUser).locator('[data-action="adjustment-approve"]').click();
    const dialog = finance.getByRole('dialog');
    await dialog.locator('textarea[name="reason"]').fill('Matches the incident report');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await finance.getByText('Adjustment approved and posted').waitFor();
    await context.close();

    const adjustments = await api<Array<{ state: string }>>('GET', `/adjustments?filter=${encodeURIComponent(JSON.stringify({ target_id: adjustedUser }))}`, { token: await token('finance@coinops.dev') });
    expect(adjustments.map((a) => a.state)).toEqual(['posted']);
  });

  it('shows viewers the refunds but neither the approvals queue nor any button', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Refunds' }).waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Approvals' }).count()).toBe(0);
    await page.goto(`${session.consoleUrl}/#/recharges/${recharge.rechargeId}/show`);
    await page.getByText('Bought twice by mistake').or(page.getByText('manual')).first().waitFor();
    expect(await page.locator('[data-action="request-refund"]').count()).toBe(0);
  });
});
