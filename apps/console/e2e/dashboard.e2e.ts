import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * The dashboard through the real console, API and worker. The economy it draws arrives the way
 * production's does: Stripe charges (one large first recharge held for review, three card recharges
 * credited), gifts and a payout request from the platform, a dispute from Stripe. Then finance asks for
 * the chargeback-ratio and the dashboard rollups now rather than at the next scheduled run.
 */
const session = useBrowser();
const apiUrl = inject('apiUrl');
const stamp = randomBytes(4).toString('hex');

const sign = (secret: string, body: string) => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};

async function call(method: 'GET' | 'POST', path: string, options: { body?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${apiUrl}/api${path}`, { method, headers: { 'Content-Type': 'application/json', ...options.headers }, body: options.body });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const token = async (email: string): Promise<string> => (await call('POST', '/auth/login', { body: JSON.stringify({ email, password: DEMO_PASSWORD }) })).token;
const platformEvent = (type: string, data: Record<string, unknown>) => {
  const body = JSON.stringify({ id: `evt_${type}_${randomBytes(6).toString('hex')}`, type, occurred_at: new Date().toISOString(), data });
  return call('POST', '/events', { body, headers: { 'Coinops-Signature': sign(inject('eventsSecret'), body) } });
};
const stripeEvent = (type: string, object: Record<string, unknown>) => {
  const body = JSON.stringify({
    id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', api_version: '2025-08-27.basil', created: Math.floor(Date.now() / 1000), type, livemode: false,
    pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object },
  });
  return call('POST', '/webhooks/stripe', { body, headers: { 'Stripe-Signature': sign(inject('stripeWebhookSecret'), body) } });
};

/** A card charge as Stripe reports it; resolves once the worker decided it (the state it reached). */
async function charge(label: string, userId: string, coins: number, amount: number, readToken: string): Promise<{ chargeId: string; state: string }> {
  const chargeId = `ch_dash_${label}_${stamp}`;
  const receipt = await stripeEvent('charge.succeeded', {
    id: chargeId, object: 'charge', amount, amount_captured: amount, amount_refunded: 0, captured: true, created: Math.floor(Date.now() / 1000), currency: 'usd',
    paid: true, refunded: false, status: 'succeeded', livemode: false,
    metadata: { user_id: userId, coins: String(coins), device_id: `dev_dash_${label}_${stamp}`, ip: '198.51.100.7' },
    payment_method_details: { type: 'card', card: { brand: 'visa', country: 'US', fingerprint: `fp_dash_${label}_${stamp}`, last4: '4242', funding: 'credit', exp_month: 12, exp_year: 2030, wallet: null } },
  });
  for (let attempt = 0; attempt < 150; attempt++) {
    const recharge = await call('GET', `/recharges/${receipt.recharge_id}`, { headers: { Authorization: `Bearer ${readToken}` } });
    if (recharge.state !== 'received') return { chargeId, state: recharge.state };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the worker did not evaluate ${chargeId} within 30 s`);
}

/** Polls until `check` holds (expect.poll is for tests, not hooks). */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** What recharts draws for data: bars, filled areas, lines, and the dots of a series of one point. */
const DRAWN_SHAPES = '.recharts-bar-rectangle, .recharts-area-area, .recharts-line-curve, .recharts-dot';

const CHARTS = ['recharge-volume', 'recharge-value', 'decisions', 'review-queue', 'chargeback-ratio', 'payouts', 'liability', 'flagged-creators'];

describe('the dashboard, against the real API and worker', () => {
  beforeAll(async () => {
    const finance = await token('finance@coinops.dev');
    const auth = { Authorization: `Bearer ${finance}` };
    // Held for review: a 20,000-coin first recharge minutes after sign-up.
    const flagged = `dash_flagged_${stamp}`;
    await platformEvent('user.created', { user_id: flagged, country: 'US' });
    expect((await charge('flagged', flagged, 20_000, 19_999, finance)).state).toBe('held');
    // Credited: three buyers, whose coins go to one creator (2,100 diamonds: enough for a payout).
    const creator = `dash_creator_${stamp}`;
    await platformEvent('creator.created', { creator_id: creator, country: 'US', payout_currency: 'USD', kyc_status: 'verified' });
    const charges: string[] = [];
    for (const n of [1, 2, 3]) {
      const buyer = `dash_buyer${n}_${stamp}`;
      const result = await charge(`buyer${n}`, buyer, 1_400, 1_999, finance);
      expect(result.state).toBe('credited');
      charges.push(result.chargeId);
      await platformEvent('gift.sent', { gift_id: `dash_gift_${n}_${stamp}`, sender_id: buyer, creator_id: creator, coins: 1_400 });
    }
    await platformEvent('payout.requested', { payout_id: `dash_payout_${stamp}`, creator_id: creator, diamonds: 2_000 });
    await stripeEvent('charge.dispute.created', {
      id: `dp_dash_${stamp}`, object: 'dispute', charge: charges[0], amount: 1_999, currency: 'usd', status: 'needs_response', reason: 'fraudulent',
      created: Math.floor(Date.now() / 1000), evidence_details: { due_by: Math.floor(Date.now() / 1000) + 7 * 86_400 },
    });
    // The payout and the chargeback are recorded by their flows (the API or the worker): wait for both.
    const listed = async (path: string) => ((await fetch(`${apiUrl}/api${path}`, { headers: auth }).then((r) => r.json())) as unknown[]).length === 1;
    await waitUntil('the payout', () => listed(`/payouts?filter=${encodeURIComponent(JSON.stringify({ creator_id: creator }))}`));
    await waitUntil('the chargeback', () => listed(`/chargebacks?filter=${encodeURIComponent(JSON.stringify({ q: `dp_dash_${stamp}` }))}`));
    await call('POST', '/chargeback-ratio/refresh', { headers: auth });
    expect(await call('POST', '/dashboard/refresh', { headers: auth })).toMatchObject({ ran: true });
  });

  it('draws every chart with data for finance, with the platform liabilities and the reconciliation', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'finance@coinops.dev');
    for (const chart of CHARTS) {
      const drawn = page.getByTestId(`chart-${chart}-data`);
      await drawn.waitFor({ timeout: 20_000 });
      // recharts drew its surface and at least one shape (bar, area, line) from the data.
      await expect.poll(() => drawn.locator('.recharts-surface').count()).toBeGreaterThan(0);
      await expect.poll(() => drawn.locator(DRAWN_SHAPES).count(), { message: `${chart} drew no shape` }).toBeGreaterThan(0);
    }
    await expect.poll(() => page.getByTestId('review-queue-depth').innerText()).toMatch(/^[1-9]\d* waiting$/);
    // The demo economy's frozen chloe gifted 60 coins to mia: a flagged account.
    await page.getByTestId('chart-flagged-creators-data').getByText('demo_creator_mia').first().waitFor();
    expect(await page.getByTestId('liability-coins').innerText()).toMatch(/^[\d,]+ coins$/);
    expect(await page.getByTestId('liability-diamonds').innerText()).toMatch(/^[\d,]+ diamonds$/);
    await page.getByTestId('reconciliation').waitFor();
    await page.screenshot({ path: join(testResults, 'dashboard-finance.png'), fullPage: true });
  });

  it('shows a viewer the same charts but not the reconciliation, which the API refuses them too', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'viewer@coinops.dev');
    for (const chart of CHARTS) await page.getByTestId(`chart-${chart}-data`).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('reconciliation').count()).toBe(0);
    const viewer = await token('viewer@coinops.dev');
    const refused = await fetch(`${apiUrl}/api/reports/reconciliation?date=${new Date().toISOString().slice(0, 10)}`, { headers: { Authorization: `Bearer ${viewer}` } });
    expect(refused.status).toBe(403);
  });
});
