import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * Finance's payout queue through the real console, API and worker (docs/payouts.md). The economy comes in
 * as production's does: the platform's signed events announce a creator and a new payer, an app-store
 * recharge that the worker evaluates and credits, a gift earned a month ago, and the creator's
 * payout.requested. The payer's account is days old, so the payout is held for its gift sources.
 */
const session = useBrowser();
const apiUrl = inject('apiUrl');
const stamp = randomBytes(4).toString('hex');
const creatorId = `e2e_creator_${stamp}`;

const sign = (secret: string, body: string) => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};

let sequence = 0;
async function event(type: string, data: Record<string, unknown>, occurredAt = new Date()) {
  sequence += 1;
  const body = JSON.stringify({ id: `evt_payout_e2e_${stamp}_${sequence}`, type, occurred_at: occurredAt.toISOString(), data });
  const response = await fetch(`${apiUrl}/api/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Coinops-Signature': sign(inject('eventsSecret'), body) }, body });
  if (!response.ok) throw new Error(`${type}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function token(email: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  return (await response.json()).token;
}

async function api(path: string, auth: string) {
  const response = await fetch(`${apiUrl}/api${path}`, { headers: { Authorization: `Bearer ${auth}` } });
  return response.json();
}

/** A payer with `coins` credited by the worker (an app-store recharge), who gifts them all to the creator a month ago. */
async function payer(label: string, coins: number, auth: string) {
  const userId = `e2e_payer_${label}_${stamp}`;
  await event('user.created', { user_id: userId, country: 'US', birth_year: 1990 });
  await event('recharge.succeeded', { recharge_id: `e2e_recharge_${label}_${stamp}`, user_id: userId, method: 'app_store', coins, amount: coins, currency: 'USD' });
  for (let attempt = 0; attempt < 100; attempt++) {
    const user = await api(`/users/${userId}`, auth);
    if (user.available_coins === String(coins)) break;
    if (attempt === 99) throw new Error(`the worker did not credit ${userId}: ${JSON.stringify(user)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await event('gift.sent', { gift_id: `e2e_gift_${label}_${stamp}`, sender_id: userId, creator_id: creatorId, coins }, new Date(Date.now() - 30 * 86_400_000));
}

const row = (page: Page, text: string) => page.locator('table tbody tr', { hasText: text }).first();

describe('the payout queue, against the real API and worker', () => {
  let held: string;
  let waiting: string;

  beforeAll(async () => {
    const finance = await token('finance@coinops.dev');
    await event('creator.created', { creator_id: creatorId, user_id: `e2e_creator_user_${stamp}`, country: 'US', payout_currency: 'USD', kyc_status: 'verified', tax_form: 'W-9' });
    await payer('a', 12_000, finance);
    await event('payout.requested', { payout_id: `e2e_po_held_${stamp}`, creator_id: creatorId, diamonds: 2_400, method: 'acct_e2e' });
    await event('payout.requested', { payout_id: `e2e_po_wait_${stamp}`, creator_id: creatorId, diamonds: 2_000, method: 'acct_e2e' });
    const payouts = await api(`/payouts?filter=${encodeURIComponent(JSON.stringify({ creator_id: creatorId }))}`, finance);
    held = payouts.find((p: { payout_id: string }) => p.payout_id === `e2e_po_held_${stamp}`).id;
    waiting = payouts.find((p: { payout_id: string }) => p.payout_id === `e2e_po_wait_${stamp}`).id;
  });

  it('shows finance the queue with the hold reason and the totals; finance releases the hold with a reason and approves', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'finance@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Payouts' }).click();
    await page.goto(`${session.consoleUrl}/#/payouts?filter=${encodeURIComponent(JSON.stringify({ creator_id: creatorId }))}`);
    await row(page, `e2e_po_held_${stamp}`).locator('[data-reason="flagged_gift_sources"]').waitFor();
    // Both payouts are USD to one Stripe account: 12.00 + 10.00 USD.
    await page.getByTestId('payout-total-USD-acct_e2e').getByText(/2 ×/).waitFor();
    expect(await page.getByTestId('payout-total-USD-acct_e2e').innerText()).toMatch(/22\.00/);
    // Selecting rows shows the totals of the selection instead.
    await row(page, `e2e_po_held_${stamp}`).locator('input[type="checkbox"]').check();
    await page.getByTestId('payout-totals').getByText('Selected (1)').waitFor();
    expect(await page.getByTestId('payout-total-USD-acct_e2e').innerText()).toMatch(/1 ×.*12\.00/);
    await page.screenshot({ path: join(testResults, 'payouts-queue.png'), fullPage: true });

    await row(page, `e2e_po_held_${stamp}`).locator('td.column-method').click();
    await page.waitForURL(new RegExp(`#/payouts/${held}/show`));
    const hold = page.locator('[data-hold="flagged_gift_sources"]');
    await hold.getByText(/100% of the 6000 diamonds/).waitFor();
    await hold.locator('[data-action="payout-release-hold"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Payer known to us: a brand sponsor paying through the app');
    await dialog.getByRole('button', { name: 'Release' }).click();
    await page.locator('[data-hold="flagged_gift_sources"][data-released="true"]').getByText(/finance@coinops\.dev: Payer known to us/).waitFor();
    await page.getByTestId('payout-state').getByText('pending approval').waitFor();

    await page.locator('[data-action="payout-approve"]').click();
    await page.getByRole('dialog').getByLabel('Reason').fill('Sponsor payments checked');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('payout-state').getByText('approved').or(page.getByTestId('payout-state').getByText('processing')).waitFor();
    await page.getByTestId('payout-approvals').getByText('Sponsor payments checked').waitFor();
    expect(await page.locator('[data-action="payout-approve"]').count()).toBe(0);
    await page.screenshot({ path: join(testResults, 'payout-approved.png'), fullPage: true });
  });

  it("shows the creator page with earnings, payouts and gift sources, and a viewer no decision button", async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/creators/${creatorId}/show`);
    await page.getByTestId('creator-earnings').locator('[data-day]').first().waitFor();
    await page.getByTestId('flagged-share').getByText(/100% of 6000 diamonds/).waitFor();
    await page.getByTestId('creator-gift-sources').locator(`[data-payer="e2e_payer_a_${stamp}"]`).getByText('flagged or young').waitFor();
    await page.getByTestId('creator-payouts').locator('table tbody tr').nth(1).waitFor();
    await page.screenshot({ path: join(testResults, 'creator-payouts.png'), fullPage: true });

    await page.goto(`${session.consoleUrl}/#/payouts/${waiting}/show`);
    await page.getByTestId('payout-state').getByText('on hold').or(page.getByTestId('payout-state').getByText('pending approval')).waitFor();
    for (const action of ['payout-approve', 'payout-reject', 'payout-cancel', 'payout-release-hold']) expect(await page.locator(`[data-action="${action}"]`).count()).toBe(0);
  });
});
