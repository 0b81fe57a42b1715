import { accessEntities, seedDemoOperators } from '@coinops/access';
import { createDataSource, ensureDatabase, runMigrations } from '@coinops/db';
import { Ledger, verifyLedger } from '@coinops/ledger';
import { SeededRandom, SimulatedStripe } from '@coinops/payments';
import { randomBytes } from 'node:crypto';
import { raceClaims, type ClaimFigures } from './claims';
import { readBacklog, waitForDrain, type Backlog } from './drain';
import { tallyEffects, type KindFigures } from './driver/effects';
import { MoneyOut, PAYOUT_DUAL_APPROVAL_USD_MINOR, type MoneyOutFigures, type MoneyOutPlan } from './driver/money-out';
import { OperatorClient, SimClient } from './driver/operator';
import { Sender, type SendRecord } from './driver/sender';
import { Workload } from './driver/workload';
import { injectFaults, killDuringPayouts, scheduleFaults, WorkerGate, type FaultPlan, type InjectedFault } from './faults';
import { ServiceProcess } from './processes';
import { problems } from './report';
import { freePort, makeScratch, PrivatePostgres, PrivateRedis, removeScratch, sleep } from './services';

export interface FaultSuiteOptions {
  apis: number;
  workers: number;
  /** Messages the driver sends (platform events and Stripe webhooks together). */
  events: number;
  /** Pacing: the send window is events / ratePerSecond, and the faults are spread over it. */
  ratePerSecond: number;
  concurrency: number;
  faults: FaultPlan;
  /** Refunds, disputes and payouts driven beside the messages, through the Stripe simulator and the operators. */
  moneyOut: MoneyOutPlan;
  /** Share of acknowledged messages delivered again (some at once, some seconds later). */
  duplicateShare: number;
  seed: string;
  /** How long a message is retried before the driver gives it up (it then counts as not acknowledged). */
  retryForMs: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export interface FaultSuiteReport {
  options: Omit<FaultSuiteOptions, 'log'>;
  faults: InjectedFault[];
  kinds: KindFigures[];
  totals: { sent: number; acknowledged: number; notAcknowledged: number; refused: number; duplicates: number; applied: number; lost: number; twice: number; failedAttempts: number };
  drained: boolean;
  drainMs: number;
  backlog: Backlog;
  ledger: { ok: boolean; violations: string[] };
  claims: ClaimFigures;
  moneyOut: MoneyOutReport;
  sendWindowMs: number;
  /** From the send start: the driver's last message, the money-out driver done, the last payout paid; then send (all of it), drain. */
  timingsMs: { boot: number; driver: number; moneyOut: number; payoutsDone: number; send: number; drain: number; total: number };
  peakRssMb: Record<string, number>;
  processStarts: Record<string, number>;
  /** The last lines of each process when something went wrong (empty when clean). */
  logs: string[];
  /** Processes that exited without being told to (restarted by the suite's supervisor), with their last output. */
  crashes: Array<{ process: string; atMs: number; code: number | null; signal: string | null; lastLines: string[] }>;
}

/** The provider's side of the money-out flows, read from the Stripe simulator after the drain. */
export interface MoneyOutReport extends MoneyOutFigures {
  /** Calls that acted at the simulator (replays of an idempotency key not counted) against what coinops paid and refunded. */
  transfersAtProvider: number;
  payoutsPaid: number;
  refundsAtProvider: number;
  refundsSucceeded: number;
  /** Refunded charges whose refunded amount at the simulator is not the one refund's amount. */
  chargesRefundedWrong: string[];
  /** The simulator's webhook delivery counters and call counters. */
  simStats: Record<string, unknown>;
  /** What the database shows for a dispute not applied once (its chargeback, its charge's webhooks, its audit rows). */
  diagnostics?: string[];
}

export const DATABASE = 'coinops_faults';
/** Users holding coins from the start, so gifts also post while recharges wait for a worker. */
const WALLETS = 40;
/** Faults land in the first 60 % of the send window; the rest of it sends while they are recovered from. */
const FAULT_WINDOW_SHARE = 0.6;

/** Clean-ups of the runs in progress, for a signal handler (Ctrl-C must not leave a PostgreSQL behind). */
const running = new Set<() => Promise<void>>();
export async function stopEverything(): Promise<void> {
  await Promise.all([...running].map((cleanup) => cleanup()));
}

/**
 * The whole fault run: private PostgreSQL and Redis, migrated and seeded; `apis` API and `workers`
 * worker processes; the driver sends while the injector kills and restarts; then the drain, the effect
 * counts, the claim race and verifyLedger. Everything it started is stopped and removed, also on failure.
 */
export async function runFaultSuite(options: FaultSuiteOptions): Promise<FaultSuiteReport> {
  const { log } = options;
  const suiteStarted = Date.now();
  const scratch = makeScratch();
  let postgres: PrivatePostgres | undefined;
  let redis: PrivateRedis | undefined;
  const services: ServiceProcess[] = [];
  const cleanup = async () => {
    running.delete(cleanup);
    for (const service of services) service.sampleRss();
    await Promise.all(services.map((s) => s.stop().catch(() => undefined)));
    await redis?.kill().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    removeScratch(scratch);
  };
  running.add(cleanup);
  try {
    postgres = await PrivatePostgres.create(scratch);
    redis = await PrivateRedis.create();
    const databaseUrl = `${postgres.url}/${DATABASE}`;
    log(`PostgreSQL on :${postgres.port} (${postgres.dataDir}), Redis on :${redis.port}`);
    const wallets = Array.from({ length: WALLETS }, (_, i) => `wallet_${i}`);
    await prepareDatabase(databaseUrl, wallets);

    const secrets = {
      EVENTS_SECRET: `faults-events-${randomBytes(12).toString('hex')}`,
      STRIPE_WEBHOOK_SECRET: `whsec_faults_${randomBytes(12).toString('hex')}`,
      STRIPE_API_KEY: `sk_test_faults_${randomBytes(12).toString('hex')}`,
    };
    const simPort = await freePort();
    const simUrl = `http://127.0.0.1:${simPort}`;
    const env = {
      ...process.env,
      ...secrets,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `coinops-faults-${randomBytes(4).toString('hex')}`,
      OUTBOX_POLL_MS: '100',
      HOST: '127.0.0.1',
      LOGIN_RATE_PER_MINUTE: '600',
      // The worker's provider calls (refunds, payout transfers) go to this run's Stripe simulator.
      STRIPE_API_BASE: simUrl,
      // Payouts (docs/payouts.md): the creators' diamonds are minutes old and their senders new, so the
      // reserve window and the young-sender rule would hold every payout; the suite is about exactly-once.
      PAYOUT_RESERVE_WINDOW_DAYS: '0',
      PAYOUT_YOUNG_ACCOUNT_DAYS: '0',
      PAYOUT_UNUSUAL_FACTOR: '1000',
      PAYOUT_DUAL_APPROVAL_USD_MINOR: String(PAYOUT_DUAL_APPROVAL_USD_MINOR),
    };
    const apiPorts: number[] = [];
    for (let i = 0; i < options.apis; i++) {
      const port = await freePort();
      apiPorts.push(port);
      services.push(new ServiceProcess(`api${i + 1}`, 'apps/api/src/main.ts', { ...env, PORT: String(port) }, port));
    }
    // One Stripe simulator per run; its webhooks go to the first API. Slow calls (400-900 ms) so that a
    // payout batch takes long enough for the payout fault to land inside it; no bounced transfers.
    const sim = new ServiceProcess('stripe-sim', 'tools/simulate/src/stripe-server/main.ts', {
      ...env,
      STRIPE_SIM_WEBHOOK_URL: `http://127.0.0.1:${apiPorts[0]}/api/webhooks/stripe`,
      STRIPE_SIM_SEED: `${options.seed}-sim`,
      STRIPE_SIM_LATENCY_MS: '400-900',
      STRIPE_SIM_BOUNCE_SHARE: '0',
    }, undefined, 'stripe simulator listening', ['--port', String(simPort)]);
    services.push(sim);
    for (let i = 0; i < options.workers; i++) services.push(new ServiceProcess(`worker${i + 1}`, 'apps/worker/src/main.ts', env));
    const bootStarted = Date.now();
    await Promise.all(services.map((s) => s.start()));
    const bootMs = Date.now() - bootStarted;
    log(`${options.apis} api + ${options.workers} worker processes up in ${bootMs} ms`);

    const apis = services.filter((s) => s.port);
    const workers = services.filter((s) => !s.port && s !== sim);
    const apiUrls = apis.map((s) => `http://127.0.0.1:${s.port}`);
    const stripe = new SimulatedStripe({ secret: secrets.STRIPE_WEBHOOK_SECRET, seed: options.seed });
    const sender = new Sender({ apiUrls, eventsSecret: secrets.EVENTS_SECRET, stripe, retryForMs: options.retryForMs, connections: options.concurrency * 2 });
    const workload = new Workload({ seed: options.seed, stripe, users: Math.max(20, Math.ceil(options.events / 10)), creators: 25, wallets });

    const sendWindowMs = Math.round((options.events / options.ratePerSecond) * 1000);
    const query = <T>(sql: string, params: unknown[] = []) => postgres!.query<T>(DATABASE, sql, params);
    const simClient = new SimClient(simUrl, secrets.STRIPE_API_KEY);
    const moneyOut = new MoneyOut({
      seed: options.seed,
      plan: options.moneyOut,
      windowMs: sendWindowMs,
      stepTimeoutMs: options.retryForMs + 60_000,
      sender,
      operator: new OperatorClient(apiUrls, options.retryForMs),
      sim: simClient,
      wallets,
    });
    let sending = true;
    let watchingPayouts = true;
    const gate = new WorkerGate();
    const targets = { workers, redis, postgres };
    const faultsRun = injectFaults(scheduleFaults(options.faults, sendWindowMs * FAULT_WINDOW_SHARE, options.seed), targets, options.seed, () => !sending, gate);
    faultsRun.catch(() => undefined); // awaited after the sending; this only keeps an early failure from going unhandled
    const payoutKills = killDuringPayouts(options.faults.payout_sigkill, targets, gate, query, () => !watchingPayouts);
    payoutKills.catch(() => undefined);
    // A process that exits without being told to (a crash) is restarted, as a deployment's supervisor would,
    // and reported: the run fails on any crash.
    let supervising = true;
    const supervisor = (async () => {
      const handled = new Map<ServiceProcess, number>();
      while (supervising) {
        for (const worker of workers) {
          if (worker.running || gate.booting.has(worker) || worker.crashes.length <= (handled.get(worker) ?? 0)) continue;
          handled.set(worker, worker.crashes.length);
          await gate.exclusive(() => worker.start()).catch(() => undefined);
        }
        await sleep(500);
      }
    })();
    const sendStarted = Date.now();
    const moneyOutRun = moneyOut.run();
    const duplicates = await drive(options, workload, sender, sendStarted);
    sending = false;
    const driverMs = Date.now() - sendStarted;
    await moneyOutRun;
    const moneyOutMs = Date.now() - sendStarted;
    // The last approved payouts execute on the worker's 15 s schedule: keep watching until none is left.
    await waitFor(async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM payouts WHERE state IN ('approved', 'processing')`).catch(() => [{ n: 1 }]))[0].n === 0, 60_000, () => !watchingPayouts);
    watchingPayouts = false;
    const payoutsDoneMs = Date.now() - sendStarted;
    const faults = [...(await faultsRun), ...(await payoutKills)].sort((a, b) => a.atMs - b.atMs);
    supervising = false;
    await supervisor;
    await Promise.all(duplicates);
    // A fault scheduled late in the window may still be recovering: make sure every process is back.
    await Promise.all(workers.filter((w) => !w.running).map((w) => w.start()));
    const sendMs = Date.now() - sendStarted;
    log(`sent ${sender.records.length} messages in ${sendMs} ms; ${faults.length} faults injected`);

    const queuePrefix = env.QUEUE_PREFIX;
    const readSim = async () => (await simClient.get('/sim/stats')).body as { delivery: Record<string, number>; api: Record<string, number> };
    const drain = await waitForDrain(
      async () => ({ ...(await readBacklog(postgres!, DATABASE, redis!.url, queuePrefix)), webhooksPending: (await readSim()).delivery.pending }),
      options.drainTimeoutMs,
    );
    log(`drain ${drain.drained ? 'complete' : 'INCOMPLETE'} after ${drain.drainMs} ms: ${JSON.stringify(drain.backlog)}`);

    const kinds = await tallyEffects(query, sender.records);
    // How long the payouts a kill stranded mid-batch waited to be paid (the killed run's job must come back first).
    for (const fault of faults.filter((f) => f.strandedIds?.length)) {
      const [row] = await query<{ last: Date | null }>(`SELECT max(paid_at) AS last FROM payouts WHERE id = ANY($1::uuid[]) AND state = 'paid'`, [fault.strandedIds]);
      fault.strandedPaidAfterMs = row.last ? new Date(row.last).getTime() - fault.atEpochMs! : null;
    }
    const moneyOutReport = await providerSide(moneyOut.figures, simClient, await readSim(), query);
    moneyOutReport.diagnostics = await diagnoseDisputes(kinds, sender.records, query);
    const claims = await raceClaims(apiUrls, query);
    const ledger = await checkLedger(databaseUrl);
    sender.close();
    stripe.stop();

    const timingsMs = { boot: bootMs, driver: driverMs, moneyOut: moneyOutMs, payoutsDone: payoutsDoneMs, send: sendMs, drain: drain.drainMs, total: Date.now() - suiteStarted };
    return buildReport(options, { faults, kinds, records: sender.records, drain, ledger, claims, moneyOut: moneyOutReport, sendWindowMs, timingsMs, services, sendStartedAt: sendStarted });
  } finally {
    await cleanup();
  }
}

async function prepareDatabase(url: string, wallets: readonly string[]): Promise<void> {
  await ensureDatabase(url);
  await runMigrations(url);
  const dataSource = createDataSource({ url, entities: accessEntities, poolSize: 1, applicationName: 'coinops-faults-seed' });
  await dataSource.initialize();
  try {
    await seedDemoOperators(dataSource, 'test');
    const ledger = new Ledger(dataSource);
    for (const userId of wallets) {
      await ledger.creditRecharge({ rechargeId: `faults-wallet-${userId}`, userId, coins: 1_000_000n, amountMinor: 1_000_000n, currency: 'USD', provider: 'platform' });
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Sends `events` messages paced at `ratePerSecond` by `concurrency` lanes; returns the pending duplicate deliveries. */
async function drive(options: FaultSuiteOptions, workload: Workload, sender: Sender, startedAt: number): Promise<Array<Promise<void>>> {
  const random = new SeededRandom(options.seed).fork('duplicates');
  const duplicates: Array<Promise<void>> = [];
  let next = 0;
  const lane = async () => {
    while (next < options.events) {
      const index = next++;
      const dueAt = startedAt + (index / options.ratePerSecond) * 1000;
      if (dueAt > Date.now()) await sleep(dueAt - Date.now());
      const record = await sender.send(workload.next());
      if (record.ackStatus !== null && random.chance(options.duplicateShare)) {
        // Some copies race the original's neighbours at once, some arrive seconds later (maybe mid-fault).
        const delayMs = random.chance(0.3) ? 0 : random.int(100, 4_000);
        duplicates.push(sleep(delayMs).then(() => sender.duplicate(record)));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return duplicates;
}

/** Waits until `done` (polled every 200 ms) or the timeout or `stop`. */
async function waitFor(done: () => Promise<boolean>, timeoutMs: number, stop: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stop() && !(await done())) await sleep(200);
}

/** For each dispute not applied once: its chargeback row and every stored webhook of its charge, in arrival order. */
async function diagnoseDisputes(kinds: KindFigures[], records: SendRecord[], query: <T>(sql: string, params?: unknown[]) => Promise<T[]>): Promise<string[]> {
  const lines: string[] = [];
  const bad = kinds.find((k) => k.kind === 'dispute')?.examples.map((e) => e.split(' ')[1]) ?? [];
  for (const disputeId of bad) {
    const record = records.find((r) => r.kind === 'dispute' && r.businessKey === disputeId);
    const chargebacks = await query(`SELECT state, provider_status, provider_updated_at, status_rank, clawback_transaction_id, fee_transaction_id FROM chargebacks WHERE dispute_id = $1`, [disputeId]);
    const events = await query(
      `SELECT id, type, provider_event_id, provider_created_at, received_at, processed_at, problem, normalized->>'status' AS status
         FROM provider_events WHERE charge_id = $1 OR object_id = $2 ORDER BY id`,
      [record?.payload.charge, disputeId],
    );
    const audit = await query(`SELECT action, before, after, reason, created_at FROM audit_events WHERE entity = 'chargeback' AND entity_id IN (SELECT id::text FROM chargebacks WHERE dispute_id = $1) ORDER BY created_at`, [disputeId]);
    lines.push(`dispute ${disputeId} (asked ${record?.payload.outcome}): chargeback ${JSON.stringify(chargebacks)}`);
    for (const event of events) lines.push(`  event ${JSON.stringify(event)}`);
    for (const row of audit) lines.push(`  audit ${JSON.stringify(row)}`);
  }
  return lines;
}

/**
 * The provider's count of what coinops did: transfers made at the simulator (a replayed idempotency key
 * is not a new transfer) against payouts paid, refunds made against refunds succeeded, and each refunded
 * charge refunded by exactly its one refund's amount.
 */
async function providerSide(figures: MoneyOutFigures, sim: SimClient, stats: { delivery: Record<string, number>; api: Record<string, number> }, query: <T>(sql: string) => Promise<T[]>): Promise<MoneyOutReport> {
  const [row] = await query<{ paid: number; refunds: number }>(
    `SELECT (SELECT count(*) FROM payouts WHERE state = 'paid')::int AS paid, (SELECT count(*) FROM refunds WHERE state = 'succeeded' AND kind <> 'external')::int AS refunds`,
  );
  const chargesRefundedWrong: string[] = [];
  for (const { chargeId, amountMinor } of figures.refundedCharges) {
    const charge = await sim.get(`/v1/charges/${chargeId}`);
    if (charge.body?.amount_refunded !== amountMinor) chargesRefundedWrong.push(`${chargeId}: ${charge.body?.amount_refunded} refunded, ${amountMinor} asked`);
  }
  return {
    ...figures,
    transfersAtProvider: stats.api.transfers,
    payoutsPaid: row.paid,
    refundsAtProvider: stats.api.refunds,
    refundsSucceeded: row.refunds,
    chargesRefundedWrong,
    simStats: stats,
  };
}

async function checkLedger(url: string): Promise<{ ok: boolean; violations: string[] }> {
  const dataSource = createDataSource({ url, entities: [], poolSize: 2, applicationName: 'coinops-faults-verify' });
  await dataSource.initialize();
  try {
    const report = await verifyLedger(dataSource);
    return { ok: report.ok, violations: report.violations.slice(0, 10).map((v) => `${v.invariant} ${v.subject}: ${v.detail}`) };
  } finally {
    await dataSource.destroy();
  }
}

function buildReport(
  options: FaultSuiteOptions,
  parts: {
    faults: InjectedFault[];
    kinds: KindFigures[];
    records: SendRecord[];
    drain: { backlog: Backlog; drainMs: number; drained: boolean };
    ledger: { ok: boolean; violations: string[] };
    claims: ClaimFigures;
    moneyOut: MoneyOutReport;
    sendWindowMs: number;
    timingsMs: FaultSuiteReport['timingsMs'];
    services: ServiceProcess[];
    sendStartedAt: number;
  },
): FaultSuiteReport {
  const sum = (pick: (k: KindFigures) => number) => parts.kinds.reduce((total, k) => total + pick(k), 0);
  const totals = {
    sent: sum((k) => k.sent),
    acknowledged: sum((k) => k.acknowledged),
    notAcknowledged: sum((k) => k.sent - k.acknowledged),
    refused: sum((k) => k.refused),
    duplicates: sum((k) => k.duplicates),
    applied: sum((k) => k.applied),
    lost: sum((k) => k.lost),
    twice: sum((k) => k.twice),
    failedAttempts: parts.records.reduce((total, r) => total + r.failedAttempts, 0),
  };
  const { log: _log, ...printable } = options;
  const report: FaultSuiteReport = {
    options: printable,
    faults: parts.faults,
    kinds: parts.kinds,
    totals,
    drained: parts.drain.drained,
    drainMs: parts.drain.drainMs,
    backlog: parts.drain.backlog,
    ledger: parts.ledger,
    claims: parts.claims,
    moneyOut: parts.moneyOut,
    sendWindowMs: parts.sendWindowMs,
    timingsMs: parts.timingsMs,
    peakRssMb: Object.fromEntries(parts.services.map((s) => [s.name, s.sampleRss()])),
    processStarts: Object.fromEntries(parts.services.map((s) => [s.name, s.starts])),
    logs: [],
    crashes: parts.services.flatMap((service) => service.crashes.map((c) => ({ process: service.name, atMs: c.atEpochMs - parts.sendStartedAt, code: c.code, signal: c.signal, lastLines: c.lastLines }))),
  };
  if (problems(report).length > 0) report.logs = parts.services.flatMap((s) => s.log.slice(-15));
  return report;
}
