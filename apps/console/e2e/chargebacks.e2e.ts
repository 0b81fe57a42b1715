import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * A chargeback through the real console, API and worker: Stripe reports a 1,400-coin recharge (allowed),
 * the user gifts 1,000 coins, then Stripe reports a dispute on the charge. The worker claws the coins back
 * (a 1,000-coin debt), and finance sees it in the chargebacks list with its evidence due date, and the
 * debt in red on the user's page.
 */
const session = useBrowser();
const apiUrl = inject('apiUrl');
const stamp = randomBytes(4).toString('hex');

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

const stripeEvent = (id: string, type: string, created: number, object: Record<string, unknown>) =>
  JSON.stringify({ id, object: 'event', api_version: '2025-08-27.basil', created, type, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } });

async function poll<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within 20 s`);
}

describe('chargebacks in the console, against the real API and worker', () => {
  const userId = `e2e_cb_${stamp}`;
  const disputeId = `dp_e2e_${stamp}`;

  beforeAll(async () => {
    const finance = await token('finance@coinops.dev');
    const headers = { Authorization: `Bearer ${finance}` };
    const now = Math.floor(Date.now() / 1000);
    const chargeId = `ch_e2e_cb_${stamp}`;
    const charge = stripeEvent(`evt_cb_charge_${stamp}`, 'charge.succeeded', now - 60, {
      id: chargeId, object: 'charge', amount: 1999, amount_captured: 1999, amount_refunded: 0, captured: true, created: now - 60, currency: 'usd', paid: true, refunded: false, status: 'succeeded', livemode: false,
      metadata: { user_id: userId, coins: '1400', package_id: 'coins_1400' },
      payment_method_details: { type: 'card', card: { brand: 'visa', country: 'US', fingerprint: `fp_e2e_cb_${stamp}`, last4: '4242', funding: 'credit', exp_month: 12, exp_year: 2030, wallet: null } },
    });
    const receipt = await post('/webhooks/stripe', charge, { 'Stripe-Signature': sign(inject('stripeWebhookSecret'), charge) });
    await poll(async () => {
      const recharge = await (await fetch(`${apiUrl}/api/recharges/${receipt.recharge_id}`, { headers })).json();
      if (recharge.state !== 'received' && recharge.state !== 'credited') throw new Error(`recharge was ${recharge.state}`);
      return recharge.state === 'credited' ? recharge : undefined;
    }, 'the recharge being credited');

    const gift = JSON.stringify({ id: `evt_cb_gift_${stamp}`, type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: `g_cb_${stamp}`, sender_id: userId, creator_id: `c_cb_${stamp}`, coins: 1000 } });
    await post('/events', gift, { 'Coinops-Signature': sign(inject('eventsSecret'), gift) });

    const dispute = stripeEvent(`evt_cb_dispute_${stamp}`, 'charge.dispute.created', now, {
      id: disputeId, object: 'dispute', amount: 1999, charge: chargeId, created: now, currency: 'usd', reason: 'fraudulent', status: 'needs_response', livemode: false, metadata: {},
      is_charge_refundable: false, evidence_details: { due_by: now + 7 * 86_400 + 3_600, has_evidence: false, past_due: false, submission_count: 0 },
    });
    await post('/webhooks/stripe', dispute, { 'Stripe-Signature': sign(inject('stripeWebhookSecret'), dispute) });
    await poll(async () => {
      const list = await (await fetch(`${apiUrl}/api/chargebacks?filter=${encodeURIComponent(JSON.stringify({ dispute_id: disputeId }))}`, { headers })).json();
      return list[0]?.state === 'opened' ? list[0] : undefined;
    }, 'the worker clawing the coins back');
  });

  it('lists the chargeback with its state, evidence due date and the user\u2019s debt in red, under the ratio chart', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'finance@coinops.dev');
    await page.getByRole('menu').getByRole('menuitem', { name: 'Chargebacks' }).click();
    const chart = page.getByTestId('chargeback-ratio-chart');
    await chart.waitFor();
    // Finance need not wait for the hourly job: recompute, and the month's ratio is drawn.
    await chart.locator('[data-action="refresh-ratio"]').click();
    await chart.locator('.recharts-line-dot').first().waitFor();
    const row = page.locator('table tbody tr', { hasText: disputeId }).first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/opened/);
    expect(await row.getByTestId('evidence-age').innerText()).toMatch(/^7 d left$/);
    const balance = row.locator('[data-amount="-1000"]');
    await balance.waitFor();
    expect(await balance.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(211, 47, 47)');
    await page.screenshot({ path: join(testResults, 'chargebacks-list.png'), fullPage: true });

    await row.locator('td.column-dispute_id').click();
    await page.getByText('Diamonds at risk').first().waitFor();
    await page.getByText(`c_cb_${stamp}`).waitFor();
    await page.screenshot({ path: join(testResults, 'chargeback-show.png'), fullPage: true });

    await page.goto(`${session.consoleUrl}/#/users/${userId}/show`);
    await page.getByTestId('debt-banner').getByText(/Owes 1,000 coins/).waitFor();
    expect(await page.getByTestId('balance-debt').locator('[data-debt="true"]').innerText()).toMatch(/1,000/);
    await page.screenshot({ path: join(testResults, 'chargeback-user-debt.png'), fullPage: true });
  });
});
