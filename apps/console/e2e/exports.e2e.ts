import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * CSV exports from the console's lists: the Export button asks the API for the whole filtered list
 * (`GET /api/exports/<resource>`) with the operator's token and saves the file the browser downloads.
 */
const session = useBrowser();
const apiUrl = inject('apiUrl');
const stamp = randomBytes(4).toString('hex');
const userId = `export_user_${stamp}`;

const sign = (secret: string, body: string) => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};

async function call(method: 'GET' | 'POST', path: string, options: { body?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${apiUrl}/api${path}`, { method, headers: { 'Content-Type': 'application/json', ...options.headers }, body: options.body });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Polls until `check` holds (expect.poll is for tests, not hooks). */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Small card recharges of one user, as Stripe reports them; resolves once each is evaluated. */
async function recharges(amounts: number[]): Promise<string[]> {
  const { token } = await call('POST', '/auth/login', { body: JSON.stringify({ email: 'support@coinops.dev', password: DEMO_PASSWORD }) });
  const ids: string[] = [];
  for (const [n, amount] of amounts.entries()) {
    const body = JSON.stringify({
      id: `evt_export_${n}_${stamp}`, object: 'event', api_version: '2025-08-27.basil', created: Math.floor(Date.now() / 1000), type: 'charge.succeeded', livemode: false,
      pending_webhooks: 1, request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: `ch_export_${n}_${stamp}`, object: 'charge', amount, amount_captured: amount, amount_refunded: 0, captured: true, created: Math.floor(Date.now() / 1000),
          currency: 'usd', paid: true, refunded: false, status: 'succeeded', livemode: false, metadata: { user_id: userId, coins: '70' },
          payment_method_details: { type: 'card', card: { brand: 'visa', country: 'US', fingerprint: `fp_export_${stamp}`, last4: '4242', funding: 'credit', exp_month: 12, exp_year: 2030, wallet: null } },
        },
      },
    });
    const receipt = await call('POST', '/webhooks/stripe', { body, headers: { 'Stripe-Signature': sign(inject('stripeWebhookSecret'), body) } });
    ids.push(receipt.recharge_id);
  }
  const unevaluated = async () => (await call('GET', `/recharges?filter=${encodeURIComponent(JSON.stringify({ user_id: userId, state: 'received' }))}`, { headers: { Authorization: `Bearer ${token}` } })).length;
  await waitUntil('the worker to evaluate the recharges', async () => (await unevaluated()) === 0);
  return ids;
}

describe('CSV exports from the console', () => {
  let ids: string[];

  beforeAll(async () => {
    ids = await recharges([99, 499, 1999]);
  });

  it("downloads the filtered recharges list as a file with exactly the list's rows, sorted as shown", async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support@coinops.dev');
    const filter = encodeURIComponent(JSON.stringify({ user_id: userId }));
    await page.goto(`${session.consoleUrl}/#/recharges?filter=${filter}&sort=amount&order=ASC&page=1&perPage=25`);
    await page.locator('table tbody tr').nth(2).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^recharges-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = join(testResults, `export-${download.suggestedFilename()}`);
    await download.saveAs(saved);
    const [header, ...rows] = (await readFile(saved, 'utf8')).trimEnd().split('\r\n').map((line) => line.split(','));
    const column = (name: string) => header.indexOf(name);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r[column('amount')])).toEqual(['99', '499', '1999']);
    expect(new Set(rows.map((r) => r[column('id')]))).toEqual(new Set(ids));
    expect(rows.every((r) => r[column('user_id')] === userId)).toBe(true);
  });

  it('keeps the list roles: operators can be exported by an admin, and the API refuses anyone else', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'admin@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/operators`);
    await page.locator('table tbody tr').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const text = await readFile(await download.path(), 'utf8');
    expect(text.split('\r\n')[0]).toContain('email');
    expect(text).toContain('support@coinops.dev');
    expect(text).not.toContain('password_hash');
    expect(text).not.toContain('$argon2');
    const { token } = await call('POST', '/auth/login', { body: JSON.stringify({ email: 'support@coinops.dev', password: DEMO_PASSWORD }) });
    expect((await fetch(`${apiUrl}/api/exports/operators`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(403);
  });
});
