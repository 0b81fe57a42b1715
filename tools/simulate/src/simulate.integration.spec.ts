import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoinopsApi } from './run/clients';
import { waitForEvaluation } from './run/runner';
import { simulate } from './simulate';
import { startStack, type Stack } from './stack/stack';

/** A short simulated economy into a real coinops (API + worker + Stripe simulator), through public interfaces only. */
describe('the simulator against a running coinops', () => {
  let stack: Stack;
  const scratch = mkdtempSync(path.join(tmpdir(), 'coinops-simulate-spec-'));

  beforeAll(async () => {
    stack = await startStack();
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('sends users, recharges by every path and gifts; the worker decides every recharge; account takeovers are flagged', async () => {
    const labelsPath = path.join(scratch, 'labels.jsonl');
    const { plan, summary } = await simulate({
      apiUrl: stack.apiUrl, stripeSimUrl: stack.stripeSimUrl, eventsSecret: stack.eventsSecret, seed: 'integration', days: 1, users: 60, creators: 8,
      // Yesterday, midnight to midnight (UTC): the same plan whatever the time of the run.
      startMs: (Math.floor(Date.now() / 86_400_000) - 1) * 86_400_000,
      fraudRates: { card_testing: 0, stolen_card_ring: 0, friendly_fraud: 0, refund_abuse: 0, account_takeover: 40 },
      sliceMinutes: 120, concurrency: 4, evaluationTimeoutMs: 60_000, labelsPath, progress: false,
    });
    expect(summary.errors.filter((e) => !e.startsWith('payout.requested'))).toEqual([]);
    expect(summary.replies['user.created 200']).toBe(60);
    expect(summary.charges).toBeGreaterThan(0);
    expect(summary.replies['recharge.succeeded 200']).toBeGreaterThan(0);
    expect(summary.replies['gift.sent 200']).toBeGreaterThan(0);

    const api = new CoinopsApi(stack.apiUrl, stack.eventsSecret);
    expect(await waitForEvaluation(api, [...summary.providerRefs.values()], 60_000)).toBe(0);
    const { rows, total } = await api.list('admin@coinops.dev', 'recharges', {}, [0, 999]);
    expect(total).toBe(summary.providerRefs.size);
    expect(new Set(rows.map((r: { provider: string }) => r.provider))).toEqual(new Set(['stripe', 'platform']));

    const labels = readFileSync(labelsPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(labels.length).toBe(plan.labels.length);
    const takeovers = labels.filter((l) => l.pattern === 'account_takeover');
    expect(takeovers.length).toBeGreaterThan(0);
    const refs = takeovers.flatMap((l) => l.recharge_provider_refs);
    const decided = rows.filter((r: { provider_ref: string }) => refs.includes(r.provider_ref));
    expect(decided.length).toBe(refs.length);
    // A new device, a password and an email change, then a charge: the default pack sends it to review.
    expect(decided.every((r: { decision: string }) => r.decision === 'review' || r.decision === 'block')).toBe(true);
  }, 240_000);
});
