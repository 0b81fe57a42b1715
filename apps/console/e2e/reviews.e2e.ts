import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * Trust and safety's review flow through the real console, API and worker. The flagged recharges come in
 * the way production's do: the platform announces a new account (signed `user.created`), Stripe reports
 * a 20,000-coin first recharge on it (signed `charge.succeeded`), and the worker's evaluation holds it
 * under the default rule `large_first_recharge_new_account`, opening a review item.
 */
const session = useBrowser();
const apiUrl = inject('apiUrl');
const stamp = randomBytes(4).toString('hex');

interface Flagged {
  userId: string;
  card: string;
  reviewId: string;
}

/** Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (the Coinops-Signature is the same). */
const sign = (secret: string, body: string) => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${apiUrl}/api${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function token(email: string): Promise<string> {
  const { token } = await post('/auth/login', JSON.stringify({ email, password: DEMO_PASSWORD }), {});
  return token;
}

/** A new account and its large first card recharge, as the platform and Stripe send them; resolves once held. */
async function flaggedRecharge(label: string, readToken: string): Promise<Flagged> {
  const userId = `e2e_${label}_${stamp}`;
  const card = `fp_e2e_${label}_${stamp}`;
  const now = Math.floor(Date.now() / 1000);
  const userEvent = JSON.stringify({ id: `evt_user_${label}_${stamp}`, type: 'user.created', occurred_at: new Date().toISOString(), data: { user_id: userId, country: 'US', email: `${label}.${stamp}@example.com` } });
  await post('/events', userEvent, { 'Coinops-Signature': sign(inject('eventsSecret'), userEvent) });
  const chargeId = `ch_e2e_${label}_${stamp}`;
  const charge = {
    id: `evt_charge_${label}_${stamp}`,
    object: 'event',
    api_version: '2025-08-27.basil',
    created: now,
    type: 'charge.succeeded',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: chargeId, object: 'charge', amount: 19999, amount_captured: 19999, amount_refunded: 0, captured: true, created: now, currency: 'usd', paid: true, refunded: false, status: 'succeeded', livemode: false,
        metadata: { user_id: userId, coins: '20000', package_id: 'coins_20000', device_id: `dev_e2e_${label}_${stamp}`, ip: '203.0.113.7' },
        payment_method_details: { type: 'card', card: { brand: 'visa', country: 'US', fingerprint: card, last4: '4242', funding: 'credit', exp_month: 12, exp_year: 2030, wallet: null } },
      },
    },
  };
  const body = JSON.stringify(charge);
  const receipt = await post('/webhooks/stripe', body, { 'Stripe-Signature': sign(inject('stripeWebhookSecret'), body) });
  expect(receipt).toMatchObject({ outcome: 'stored' });
  // The worker relays the recharge.received job and evaluates it: wait until it is held.
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${apiUrl}/api/recharges/${receipt.recharge_id}`, { headers: { Authorization: `Bearer ${readToken}` } });
    const recharge = await response.json();
    if (recharge.state === 'held' && recharge.review_id) return { userId, card, reviewId: recharge.review_id };
    if (recharge.state !== 'received') throw new Error(`recharge was ${recharge.state}, not held: ${JSON.stringify(recharge.risk)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the worker did not evaluate the recharge within 20 s');
}

const row = (page: Page, text: string) => page.locator('table tbody tr', { hasText: text }).first();

describe('the review queue, against the real API and worker', () => {
  let rejected: Flagged;
  let untouched: Flagged;

  beforeAll(async () => {
    const ts = await token('ts@coinops.dev');
    rejected = await flaggedRecharge('reject', ts);
    untouched = await flaggedRecharge('viewer', ts);
  });

  it('lets trust and safety claim a flagged recharge, see the rule that held it, and reject it with block-card; the user page then shows the coins gone and the card blocked', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Review queue' }).click();
    await row(page, rejected.userId).waitFor();
    await expect.poll(() => row(page, rejected.userId).getByTestId('sla-countdown').innerText()).toMatch(/left$/);
    await page.screenshot({ path: join(testResults, 'review-queue.png'), fullPage: true });

    await row(page, rejected.userId).locator('td.column-user_id').click();
    await page.getByTestId('review-state').getByText('open').waitFor();
    await page.locator('[data-action="claim"]').click();
    await page.getByTestId('review-state').getByText('in review').waitFor();
    const explanation = page.getByTestId('item-recharges').locator('[data-rule="large_first_recharge_new_account"]');
    await explanation.waitFor();
    expect(await explanation.innerText()).toMatch(/event\.coins = 20000/);
    await page.getByTestId('evidence').waitFor();

    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Stolen card: first recharge of 20,000 coins minutes after sign-up');
    expect(await dialog.getByLabel('Block the card').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await page.getByTestId('review-state').getByText('rejected').waitFor();
    await page.getByTestId('decision').getByText(/Stolen card/).waitFor();
    await page.screenshot({ path: join(testResults, 'review-rejected.png'), fullPage: true });

    await page.goto(`${session.consoleUrl}/#/users/${rejected.userId}/show`);
    await page.getByTestId('balance-available').getByText('0 coins').waitFor();
    expect(await page.getByTestId('balance-held').innerText()).toMatch(/0 coins/);
    const cardRow = page.locator(`[data-instrument="card:${rejected.card}"]`);
    await cardRow.getByTestId('blocked').waitFor();
    await page.screenshot({ path: join(testResults, 'review-user-after-reject.png'), fullPage: true });
  });

  it('shows a viewer the queue and the evidence but no decision buttons, and the API refuses the call made directly', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Review queue' }).click();
    await row(page, untouched.userId).locator('td.column-user_id').click();
    await page.getByTestId('item-recharges').locator('[data-rule="large_first_recharge_new_account"]').waitFor();
    await page.getByTestId('no-decision').getByText(/Read only/).waitFor();
    for (const action of ['claim', 'approve', 'reject', 'escalate', 'unassign']) {
      expect(await page.locator(`[data-action="${action}"]`).count()).toBe(0);
    }
    const status = await page.evaluate(async (id) => {
      const { token } = JSON.parse(window.localStorage.getItem('coinops.session') ?? '{}');
      const response = await fetch(`/api/reviews/${id}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
      return response.status;
    }, untouched.reviewId);
    expect(status).toBe(403);
  });

  it("draws the rejected user's linked accounts (the other new account shares the IP) and freezes them in one action", async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/users/${rejected.userId}/show`);
    await page.getByRole('button', { name: 'Linked accounts graph' }).click();
    const graph = page.getByTestId('linked-graph');
    await graph.getByTestId(`graph-node-user:${rejected.userId}`).waitFor();
    await graph.getByTestId(`graph-node-card:${rejected.card}`).waitFor();
    expect(await graph.getByTestId(`graph-node-card:${rejected.card}`).getAttribute('data-blocked')).toBe('true');
    const linked = graph.getByTestId(`graph-node-user:${untouched.userId}`);
    await linked.waitFor();
    expect(await linked.getAttribute('data-frozen')).toBe('false');

    await page.locator(`[data-account="${rejected.userId}"]`).getByRole('checkbox').check();
    await page.locator(`[data-account="${untouched.userId}"]`).getByRole('checkbox').check();
    await page.locator('[data-action="freeze-ring"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Two new accounts on one IP, one with a stolen card');
    await dialog.getByRole('button', { name: 'Freeze' }).click();
    await expect.poll(() => linked.getAttribute('data-frozen'), { timeout: 10_000 }).toBe('true');
    expect(await graph.getByTestId(`graph-node-user:${rejected.userId}`).getAttribute('data-frozen')).toBe('true');
    await page.screenshot({ path: join(testResults, 'review-linked-graph.png'), fullPage: true });
  });
});
