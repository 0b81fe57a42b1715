import type { Action, FraudLabel, Plan } from '../economy/model';
import { pool, type CoinopsApi, type StripeSimClient } from './clients';

export interface RunOptions {
  api: CoinopsApi;
  stripe: StripeSimClient;
  /** Requests in flight at most. */
  concurrency: number;
  /**
   * Simulated span sent between two waits for the worker. Gifts need the coins of the recharges
   * before them, so each slice sends profiles and recharges, waits until those are evaluated, then
   * sends the slice's gifts. Smaller slices keep the order closer to real time and cost more waits.
   */
  sliceMs: number;
  /** Seeding: send as fast as possible. Live: wait until each slice's time has come. */
  realTime: boolean;
  /** Longest wait for the worker to evaluate a slice's recharges. */
  evaluationTimeoutMs: number;
  onProgress?: (done: number, total: number, simulatedMs: number) => void;
  /** Stops a live run between slices. */
  shouldStop?: () => boolean;
}

export interface RunSummary {
  actions: number;
  /** `type status` → count, e.g. `gift.sent 200`. */
  replies: Record<string, number>;
  charges: number;
  disputes: number;
  earlyFraudWarnings: number;
  refundRequests: Record<string, number>;
  notEvaluatedInTime: number;
  errors: string[];
  /** Plan reference → provider reference (charge id or recharge id). */
  providerRefs: Map<string, string>;
  elapsedMs: number;
}

const OPERATOR = 'admin@coinops.dev';
const SUPPORT = 'support@coinops.dev';
const MAX_ERRORS_KEPT = 20;
const REFS_PER_QUERY = 200;

type Phase = 'profiles' | 'recharges' | 'gifts' | 'after';

function phaseOf(action: Action): Phase {
  if (action.kind === 'charge') return 'recharges';
  if (action.kind !== 'event') return 'after';
  switch (action.event.type) {
    case 'recharge.succeeded':
      return 'recharges';
    case 'gift.sent':
      return 'gifts';
    case 'payout.requested':
    case 'payout.canceled':
      return 'after';
    default:
      return 'profiles';
  }
}

/** Executes a plan through coinops' public interfaces only: signed events, Stripe-shaped charges, operator routes. */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunSummary> {
  const startedAt = Date.now();
  const summary: RunSummary = { actions: 0, replies: {}, charges: 0, disputes: 0, earlyFraudWarnings: 0, refundRequests: {}, notEvaluatedInTime: 0, errors: [], providerRefs: new Map(), elapsedMs: 0 };
  const fail = (what: string, error: unknown) => {
    if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 400));
  };
  const count = (key: string) => (summary.replies[key] = (summary.replies[key] ?? 0) + 1);
  const at = (action: Action) => plan.startMs + action.atMs;
  const total = plan.actions.length;

  const execute = async (action: Action): Promise<void> => {
    try {
      switch (action.kind) {
        case 'event': {
          const reply = await options.api.sendEvent({ ...action.event, occurred_at: new Date(at(action)).toISOString() });
          count(`${action.event.type} ${reply.status}`);
          if (reply.status >= 500 || reply.status === 400) fail(`${action.event.type} ${action.event.id}`, `HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
          if (action.event.type === 'recharge.succeeded') summary.providerRefs.set(action.event.data.recharge_id as string, action.event.data.recharge_id as string);
          break;
        }
        case 'charge': {
          const { charge } = action;
          const made = await options.stripe.post('/sim/charges', {
            user_id: charge.userId, coins: charge.coins, amount: charge.amountMinor, currency: charge.currency, package_id: charge.packageId ?? undefined,
            device_id: charge.deviceId, ip: charge.ip, card: { ...charge.card, wallet: charge.wallet }, metadata: { sim_ref: charge.ref },
            created: Math.floor(at(action) / 1000),
          });
          summary.providerRefs.set(charge.ref, made.id);
          summary.charges += 1;
          break;
        }
        case 'dispute': {
          const chargeId = summary.providerRefs.get(action.chargeRef);
          if (!chargeId) break;
          await options.stripe.post('/sim/disputes', { charge: chargeId, reason: action.reason, created: Math.floor(at(action) / 1000) });
          summary.disputes += 1;
          break;
        }
        case 'early_fraud_warning': {
          const chargeId = summary.providerRefs.get(action.chargeRef);
          if (!chargeId) break;
          await options.stripe.post('/sim/early-fraud-warnings', { charge: chargeId, created: Math.floor(at(action) / 1000) });
          summary.earlyFraudWarnings += 1;
          break;
        }
        case 'refund_request': {
          const outcome = await requestRefund(options.api, summary.providerRefs.get(action.rechargeRef), action.reason, action.overrideSpentCoins);
          summary.refundRequests[outcome] = (summary.refundRequests[outcome] ?? 0) + 1;
          break;
        }
      }
    } catch (error) {
      fail(action.kind === 'event' ? `${action.event.type} ${action.event.id}` : action.kind, error);
    } finally {
      summary.actions += 1;
      options.onProgress?.(summary.actions, total, action.atMs);
    }
  };

  let index = 0;
  while (index < plan.actions.length) {
    if (options.shouldStop?.()) break;
    const sliceEnd = Math.floor(plan.actions[index].atMs / options.sliceMs) * options.sliceMs + options.sliceMs;
    const slice: Action[] = [];
    while (index < plan.actions.length && plan.actions[index].atMs < sliceEnd) slice.push(plan.actions[index++]);
    if (options.realTime) await sleepUntil(plan.startMs + sliceEnd, options.shouldStop);
    const byPhase = (phase: Phase) => slice.filter((a) => phaseOf(a) === phase);
    await pool(byPhase('profiles'), options.concurrency, execute);
    const recharges = byPhase('recharges');
    await pool(recharges, options.concurrency, execute);
    const refs = recharges.map((a) => summary.providerRefs.get(planRef(a))).filter((r): r is string => !!r);
    summary.notEvaluatedInTime += await waitForEvaluation(options.api, refs, options.evaluationTimeoutMs).catch((error) => {
      fail('waiting for the worker', error);
      return refs.length;
    });
    await pool(byPhase('gifts'), options.concurrency, execute);
    await pool(byPhase('after'), options.concurrency, execute);
  }
  summary.elapsedMs = Date.now() - startedAt;
  return summary;
}

function planRef(action: Action): string {
  if (action.kind === 'charge') return action.charge.ref;
  return action.kind === 'event' ? String(action.event.data.recharge_id) : '';
}

/** Polls `GET /api/recharges` until every reference is stored and evaluated; returns how many were not in time. */
export async function waitForEvaluation(api: CoinopsApi, providerRefs: string[], timeoutMs: number): Promise<number> {
  let pending = [...new Set(providerRefs)];
  const deadline = Date.now() + timeoutMs;
  while (pending.length) {
    const evaluated = new Set<string>();
    for (let i = 0; i < pending.length; i += REFS_PER_QUERY) {
      const chunk = pending.slice(i, i + REFS_PER_QUERY);
      const { rows } = await api.list(OPERATOR, 'recharges', { provider_ref: chunk }, [0, chunk.length - 1]);
      for (const row of rows) if (row.state !== 'received') evaluated.add(row.provider_ref);
    }
    pending = pending.filter((ref) => !evaluated.has(ref));
    if (!pending.length || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return pending.length;
}

/**
 * Refund abuse reaches coinops the way it does in life: support asks for the refund
 * (`POST /api/refunds`). Answers what happened: `requested`, `refused <status>`, `no_route` (the refunds
 * flow is not deployed) or `unknown_recharge`.
 */
async function requestRefund(api: CoinopsApi, providerRef: string | undefined, reason: string, overrideSpentCoins: boolean): Promise<string> {
  if (!providerRef) return 'unknown_recharge';
  const { rows } = await api.list(SUPPORT, 'recharges', { provider_ref: providerRef }, [0, 0]);
  if (!rows.length) return 'unknown_recharge';
  const reply = await api.asOperator(SUPPORT, 'POST', '/api/refunds', { recharge_id: rows[0].id, reason, ...(overrideSpentCoins ? { override_spent_coins: true } : {}) });
  if (reply.status === 200 || reply.status === 201 || reply.status === 202) return 'requested';
  if (reply.status === 404 && /Cannot POST/i.test(JSON.stringify(reply.body))) return 'no_route';
  return `refused ${reply.status}`;
}

async function sleepUntil(unixMs: number, shouldStop?: () => boolean): Promise<void> {
  while (Date.now() < unixMs && !shouldStop?.()) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, unixMs - Date.now())));
}

/** The labels as JSON lines, each with the provider references its recharges got. */
export function labelLines(labels: FraudLabel[], providerRefs: Map<string, string>): string {
  return labels
    .map((label) => JSON.stringify({ ...label, recharge_provider_refs: label.recharge_refs.map((ref) => providerRefs.get(ref)).filter(Boolean) }))
    .join('\n') + (labels.length ? '\n' : '');
}
