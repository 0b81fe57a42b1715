import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from './browser';
import { useBrowser } from './session';
import { testResults } from './stack/paths';

/**
 * A user's report of activity that was not theirs, through the real console, API and worker: support
 * records it from the user page (gifting freezes), trust and safety confirm the takeover (the unspent
 * coins go to the refund flow, the intruder's device is blocked).
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

const event = (type: string, data: Record<string, unknown>) => {
  const body = JSON.stringify({ id: `evt_${type}_${randomBytes(6).toString('hex')}`, type, occurred_at: new Date().toISOString(), data });
  return post('/events', body, { 'Coinops-Signature': sign(inject('eventsSecret'), body) });
};

interface Victim {
  userId: string;
  rechargeId: string;
  intruderDevice: string;
}

/** An account with a credited 1,400-coin recharge, 300 coins of it gifted from a new device after a password change. */
async function victim(): Promise<Victim> {
  const userId = `e2e_ato_${stamp}`;
  const intruderDevice = `dev_intruder_${stamp}`;
  await event('user.created', { user_id: userId, country: 'US', email: `ato.${stamp}@example.com`, birth_year: 1990, device_id: `dev_own_${stamp}` });
  // The card charge is made at the Stripe simulator, which announces it to the API by a signed webhook:
  // the refund the confirmation starts later goes back to the same simulator and is confirmed the same way.
  const created = await (
    await fetch(`${inject('stripeSimUrl')}/sim/charges`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: userId, coins: 1400, amount: 1999, currency: 'usd', package_id: 'coins_1400', device_id: `dev_own_${stamp}`, ip: '198.51.100.4', card: { fingerprint: `fp_ato_${stamp}`, brand: 'visa', country: 'US' } }),
    })
  ).json();
  const { token } = await post('/auth/login', JSON.stringify({ email: 'ts@coinops.dev', password: DEMO_PASSWORD }), {});
  let rechargeId = '';
  for (let attempt = 0; ; attempt++) {
    const page = await (await fetch(`${apiUrl}/api/recharges?filter=${encodeURIComponent(JSON.stringify({ provider_ref: created.id }))}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    if (page[0]?.state === 'credited') {
      rechargeId = page[0].id;
      break;
    }
    if ((page[0] && page[0].state !== 'received') || attempt > 150) throw new Error(`recharge of ${created.id} was ${page[0]?.state ?? 'not stored'}, not credited`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await event('account.security_changed', { user_id: userId, change: 'password', device_id: intruderDevice });
  await event('gift.sent', { gift_id: `g_ato_${stamp}`, sender_id: userId, creator_id: `c_ato_${stamp}`, coins: 300 });
  return { userId, rechargeId, intruderDevice };
}

describe('reported unauthorized activity, against the real API and worker', () => {
  let target: Victim;
  beforeAll(async () => {
    target = await victim();
  });

  it('lets support record the report from the user page (gifting freezes) and trust and safety confirm the takeover', async () => {
    const page = session.page();
    await signIn(page, session.consoleUrl, 'support@coinops.dev');
    await page.goto(`${session.consoleUrl}/#/users/${target.userId}/show`);
    await page.locator('[data-action="report-unauthorized-activity"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('What the user reports').fill('The user did not send the 300-coin gift after their password changed');
    await dialog.getByLabel(/Recharge ids/).fill(target.rechargeId);
    await dialog.getByRole('button', { name: 'Record report' }).click();
    await page.getByTestId('security-changes').getByText(target.intruderDevice).waitFor();
    await page.getByText('open', { exact: true }).first().waitFor();
    // support records, it does not decide
    expect(await page.locator('[data-action="confirm"]').count()).toBe(0);
    await page.screenshot({ path: join(testResults, 'unauthorized-activity-report.png'), fullPage: true });
    const reportUrl = page.url();

    await page.goto(`${session.consoleUrl}/#/users/${target.userId}/show`);
    await page.getByTestId('frozen-banner').waitFor();

    // trust and safety, in a browser context of their own
    const context = await session.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const tsPage = await context.newPage();
    try {
      await confirmAsTrustAndSafety(tsPage, reportUrl);
    } finally {
      await context.close();
    }
  });

  async function confirmAsTrustAndSafety(page: Page, reportUrl: string) {
    await signIn(page, session.consoleUrl, 'ts@coinops.dev');
    await page.goto(reportUrl);
    await page.locator('[data-action="confirm"]').click();
    const confirm = page.getByRole('dialog');
    await confirm.getByLabel('Reason').fill('Password change from a new device, then the wallet drained by gifting');
    expect(await confirm.getByLabel(/Block devices/).inputValue()).toContain(target.intruderDevice);
    await confirm.getByRole('button', { name: 'Confirm takeover' }).click();
    await page.getByTestId('report-refunds').getByText(/1100 unspent coins/).waitFor();
    await page.getByText('confirmed', { exact: true }).first().waitFor();
    await page.screenshot({ path: join(testResults, 'unauthorized-activity-confirmed.png'), fullPage: true });

    // The worker sends the refund to the provider, whose charge.refunded webhook confirms it: the ledger reversal is posted.
    const { token } = await post('/auth/login', JSON.stringify({ email: 'ts@coinops.dev', password: DEMO_PASSWORD }), {});
    await expect
      .poll(
        async () => {
          const refunds = await (await fetch(`${apiUrl}/api/refunds?filter=${encodeURIComponent(JSON.stringify({ recharge_id: target.rechargeId }))}`, { headers: { Authorization: `Bearer ${token}` } })).json();
          return refunds[0]?.state;
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBe('succeeded');
  }
});
