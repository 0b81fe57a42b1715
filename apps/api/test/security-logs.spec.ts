import { DEMO_PASSWORD, totpCode } from '@coinops/access';
import { signEvent, SIGNATURE_HEADER } from '@coinops/economy';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';

/**
 * Runs the real API process (main.ts) with its logs at `trace` captured, signs in, enrols a second
 * factor, sends signed events, webhooks and risk calls, then greps everything it printed: no token,
 * password, secret or TOTP secret may appear.
 */
const secrets = {
  JWT_SECRET: `jwt-${randomBytes(24).toString('hex')}`,
  EVENTS_SECRET: `events-${randomBytes(16).toString('hex')}`,
  STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(16).toString('hex')}`,
  RISK_SERVICE_TOKEN: `risk-${randomBytes(16).toString('hex')}`,
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('secrets never reach the logs', () => {
  let child: ChildProcess;
  let output = '';
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // From the repository root, as `npm start` runs it, so @swc-node/register reads the root tsconfig.json.
    child = spawn(process.execPath, ['--require', '@swc-node/register', 'apps/api/src/main.ts'], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, ...secrets, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'trace', LOG_FORMAT: 'json', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 90_000;
    while (!output.includes('listening on')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the API did not start:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('Content-Type', 'application/json');
    const response = await fetch(`${base}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };

  it('prints requests, refusals and errors, but none of the credentials that went through', async () => {
    const seen: string[] = Object.values(secrets);
    seen.push(DEMO_PASSWORD);

    const admin = await call('/api/auth/login', { method: 'POST', json: { email: 'admin@coinops.dev', password: DEMO_PASSWORD } });
    expect(admin.status).toBe(200);
    seen.push(admin.body.token);
    const auth = { Authorization: `Bearer ${admin.body.token}` };
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    seen.push(wrong);
    expect((await call('/api/auth/login', { method: 'POST', json: { email: 'admin@coinops.dev', password: wrong } })).status).toBe(401);

    const email = `logs.${randomBytes(4).toString('hex')}@coinops.dev`;
    const password = `logs-passphrase-${randomBytes(6).toString('hex')}`;
    seen.push(password);
    expect((await call('/api/operators', { method: 'POST', headers: auth, json: { email, name: 'Logs', role: 'viewer', password } })).status).toBe(201);
    const viewer = await call('/api/auth/login', { method: 'POST', json: { email, password } });
    seen.push(viewer.body.token);
    const viewerAuth = { Authorization: `Bearer ${viewer.body.token}` };
    const enrol = await call('/api/auth/totp/enrol', { method: 'POST', headers: viewerAuth });
    expect(enrol.status).toBe(200);
    seen.push(enrol.body.secret);
    const confirmed = await call('/api/auth/totp/confirm', { method: 'POST', headers: viewerAuth, json: { code: totpCode(enrol.body.secret) } });
    expect(confirmed.status).toBe(200);
    seen.push(confirmed.body.token);
    const challenge = await call('/api/auth/login', { method: 'POST', json: { email, password } });
    seen.push(challenge.body.mfa_token);
    expect((await call('/api/auth/mfa', { method: 'POST', json: { mfa_token: challenge.body.mfa_token, code: '000000' } })).status).toBe(400);
    const changed = `changed-passphrase-${randomBytes(6).toString('hex')}`;
    seen.push(changed);
    expect((await call('/api/auth/password', { method: 'POST', headers: { Authorization: `Bearer ${confirmed.body.token}` }, json: { current_password: password, new_password: changed } })).status).toBe(200);

    // A token in a query string and a forged one in the header, as a confused client would send them.
    expect((await call(`/api/users?token=${admin.body.token}`, { headers: { Authorization: `Bearer ${admin.body.token}x` } })).status).toBe(401);

    const event = JSON.stringify({ id: `evt_${randomBytes(5).toString('hex')}`, type: 'user.created', occurred_at: new Date().toISOString(), data: { user_id: `u_${randomBytes(5).toString('hex')}`, country: 'FR' } });
    const eventSignature = signEvent(secrets.EVENTS_SECRET, event);
    seen.push(eventSignature.split('v1=')[1]);
    expect((await call('/api/events', { method: 'POST', headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: eventSignature }, body: event })).status).toBe(200);
    expect((await call('/api/events', { method: 'POST', headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signEvent('not-the-secret-at-all', event) }, body: event })).status).toBe(400);

    const webhook = JSON.stringify({ id: `evt_${randomBytes(5).toString('hex')}`, object: 'event', type: 'customer.updated', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cus_1', object: 'customer' } } });
    const stripeSignature = Stripe.webhooks.generateTestHeaderString({ payload: webhook, secret: secrets.STRIPE_WEBHOOK_SECRET });
    seen.push(stripeSignature.split('v1=')[1]);
    expect((await call('/api/webhooks/stripe', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature }, body: webhook })).status).toBe(200);

    expect((await call('/api/risk/decisions', { method: 'POST', headers: { Authorization: `Bearer ${secrets.RISK_SERVICE_TOKEN}` }, json: {} })).status).toBe(400);

    await new Promise((r) => setTimeout(r, 500));
    // The test can fail: the requests above are in the log.
    expect(output).toContain('/api/auth/login');
    expect(output).toContain('/api/webhooks/stripe');
    expect(output.split('\n').length).toBeGreaterThan(15);
    for (const value of seen) {
      expect(typeof value).toBe('string');
      expect(value.length).toBeGreaterThan(10);
      const leaked = output.includes(value);
      expect({ value: `${value.slice(0, 6)}…`, leaked }).toEqual({ value: `${value.slice(0, 6)}…`, leaked: false });
    }
    // And no JWT-shaped string at all (three base64url parts starting with the {"alg" header).
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  }, 120_000);
});
