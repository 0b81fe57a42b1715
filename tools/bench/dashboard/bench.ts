/**
 * Dashboard benchmark (issue 8, item 3): a `coinops_bench_dashboard` database loaded with 1 M recharges
 * (and their review items, users, flagged accounts and gifts) by `generate_series` — benchmark data
 * only, written straight into the tables —, the rollups built by `refreshRollups`, then each dashboard
 * endpoint of the real API (in this process, over HTTP on loopback) called N times: p50 / p99 / max.
 *
 *   npm run bench -w @coinops/bench-dashboard -- --recharges=1000000 --calls=50
 *
 * Options: --recharges (default 1 M), --gifts (500 k), --days (90: the span of the data), --calls (50),
 * --keep (leave the database for EXPLAIN), --database=<url>.
 */
import { accessEntities, DEMO_PASSWORD, seedDemoOperators } from '@coinops/access';
import { createDataSource, dropDatabase, ensureDatabase, runMigrations } from '@coinops/db';
import { refreshRollups } from '@coinops/reporting';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { DataSource } from 'typeorm';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
const RECHARGES = Math.min(Number(args.recharges ?? 1_000_000), 10_000_000);
const GIFTS = Math.min(Number(args.gifts ?? 500_000), 10_000_000);
const DAYS = Math.min(Number(args.days ?? 90), 730);
const CALLS = Math.min(Number(args.calls ?? 50), 10_000);
const USERS = 50_000;
const CREATORS = 2_000;
const DATABASE_URL = args.database ?? 'postgres://postgres@127.0.0.1:5432/coinops_bench_dashboard';
const BUDGET_MS = 200;
/** Times spread over the span by a multiplicative step (not random(): an uncorrelated LATERAL runs once). */
const SPAN_SECONDS = DAYS * 86_400;

const ENDPOINTS = [
  '/api/dashboard/recharges?days=30',
  '/api/dashboard/recharges?days=2',
  '/api/dashboard/decisions?days=30',
  '/api/dashboard/reviews?days=30',
  '/api/dashboard/chargeback-ratio?months=12',
  '/api/dashboard/payouts',
  '/api/dashboard/liability?days=30',
  '/api/dashboard/flagged-creators',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Benchmark data, straight into the tables: the point is the rollups and the reads, not the intake. */
async function load(db: DataSource): Promise<void> {
  await timed(`${USERS.toLocaleString('en')} users (1 % frozen)`, () =>
    db.query(
      `INSERT INTO users (id, country, profile_received, frozen_at, frozen_reason)
       SELECT 'u' || i, 'US', true, CASE WHEN i % 100 = 0 THEN now() END, CASE WHEN i % 100 = 0 THEN 'bench' END
       FROM generate_series(0, $1 - 1) i`,
      [USERS],
    ),
  );
  const chunk = 250_000;
  for (let start = 0; start < RECHARGES; start += chunk) {
    const end = Math.min(RECHARGES, start + chunk) - 1;
    await timed(`recharges ${start.toLocaleString('en')}-${end.toLocaleString('en')}`, () =>
      db.query(
        `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, card_fingerprint, state, decision, risk_score,
                                evaluated_at, occurred_at, created_at, updated_at)
         SELECT 'stripe', 'ch_bench_' || i, 'u' || (i % $3), (ARRAY['card','paypal','google_pay','apple_pay','app_store','play_store'])[1 + i % 6],
                (ARRAY[70, 350, 1400])[1 + i % 3], (ARRAY[99, 499, 1999])[1 + i % 3], CASE WHEN i % 5 = 0 THEN 'EUR' ELSE 'USD' END,
                'fp' || (i % 40000),
                CASE WHEN i % 100 < 90 THEN 'credited' WHEN i % 100 < 97 THEN 'held' ELSE 'blocked_pending_refund' END,
                CASE WHEN i % 100 < 90 THEN 'allow' WHEN i % 100 < 97 THEN 'review' ELSE 'block' END,
                i % 100, at, at, at, at
         FROM generate_series($1::int, $2::int) i, LATERAL (SELECT now() - ((i::bigint * 7919) % $4) * interval '1 second' AS at) t`,
        [start, end, USERS, SPAN_SECONDS],
      ),
    );
  }
  const [{ admin }] = await db.query(`SELECT id AS admin FROM operators WHERE role = 'admin' LIMIT 1`);
  await timed('review items (one per held recharge; 2 % still active)', () =>
    db.query(
      `INSERT INTO review_items (kind, user_id, state, severity, opened_reason, sla_due_at, assigned_to, assigned_at, decided_by, decision_reason, decided_at, created_at, updated_at)
       SELECT 'recharge', 'ru' || n, s.state, 'medium', 'bench', r.created_at + interval '1 day',
              CASE WHEN s.state = 'in_review' THEN $1::uuid END, CASE WHEN s.state = 'in_review' THEN r.created_at END,
              CASE WHEN s.decided THEN $1::uuid END, CASE WHEN s.decided THEN 'bench' END,
              CASE WHEN s.decided THEN r.created_at + (n % 48) * interval '1 hour' END, r.created_at, r.created_at
       FROM (SELECT row_number() OVER () AS n, created_at FROM recharges WHERE decision = 'review') r,
            LATERAL (SELECT CASE WHEN n % 50 = 0 THEN 'open' WHEN n % 50 = 1 THEN 'in_review' WHEN n % 2 = 0 THEN 'approved' ELSE 'rejected' END AS state) s0,
            LATERAL (SELECT s0.state, s0.state IN ('approved', 'rejected') AS decided) s`,
      [admin],
    ),
  );
  await timed('flagged accounts: a rule, 5,000 decisions with a review alert', async () => {
    // One statement: the rule's live version is checked (deferred) when it commits.
    const [rule] = await db.query(
      `WITH r AS (INSERT INTO rules (key, live_version) VALUES ('bench_velocity', 1) RETURNING id),
            v AS (INSERT INTO rule_versions (rule_id, version, name, event_kind, expression, action, score, severity, author)
                  SELECT id, 1, 'bench', 'recharge', 'true', 'review', 50, 'medium', 'bench' FROM r)
       SELECT id FROM r`,
    );
    await db.query(
      `WITH d AS (
         INSERT INTO risk_decisions (subject_type, subject_id, user_id, decision, score, reasons, features, rule_versions, occurred_at)
         SELECT 'recharge', 'bench-' || i, 'u' || (i * 7 % $1), 'review', 50, '[]', '{}', '{}', now() - (i % 20) * interval '1 day'
         FROM generate_series(1, 5000) i RETURNING id, subject_id, user_id, occurred_at)
       INSERT INTO risk_alerts (decision_id, rule_id, rule_key, rule_version, action, severity, score, subject_type, subject_id, user_id, "values", created_at)
       SELECT d.id, $2, 'bench_velocity', 1, 'review', 'medium', 50, 'recharge', d.subject_id, d.user_id, '{}', d.occurred_at FROM d`,
      [USERS, rule.id],
    );
  });
  for (let start = 0; start < GIFTS; start += chunk) {
    const end = Math.min(GIFTS, start + chunk) - 1;
    await timed(`gifts ${start.toLocaleString('en')}-${end.toLocaleString('en')}`, () =>
      db.query(
        `INSERT INTO gifts (id, event_id, sender_id, creator_id, coins, diamonds, rounding_coins, ledger_transaction_id, occurred_at, created_at)
         SELECT 'g' || i, 'e' || i, 'u' || (i % $3), 'c' || (i * 31 % $4), 10, 5, 0, i, at, at
         FROM generate_series($1::int, $2::int) i, LATERAL (SELECT now() - ((i::bigint * 7919) % $5) * interval '1 second' AS at) t`,
        [start, end, USERS, CREATORS, SPAN_SECONDS],
      ),
    );
  }
  const [present] = await db.query(`SELECT to_regclass('public.chargeback_ratio_months') IS NOT NULL AS ratio, to_regclass('public.payouts') IS NOT NULL AS payouts`);
  if (present.ratio) {
    // The chargebacks flow's monthly rollup, as its hourly job would leave it (about 0.7 % disputed).
    await timed('chargeback ratio months (the chargebacks flow rollup)', () =>
      db.query(
        `INSERT INTO chargeback_ratio_months (month, provider, method, card_brand, transactions, disputes, fraud_warnings)
         SELECT date_trunc('month', created_at)::date, provider, method, 'visa', count(*), count(*) / 150, count(*) / 500 FROM recharges GROUP BY 1, 2, 3`,
      ),
    );
  }
  if (present.payouts) {
    await timed('20,000 payouts in five states', () =>
      db.query(
        `INSERT INTO payouts (payout_id, creator_id, state, diamonds, diamonds_for_cash, rounding_diamonds, amount_minor, currency, usd_equivalent_minor,
                              approvals_required, method, requested_via, reservation_transaction_id, resolution_transaction_id)
         SELECT 'po_bench_' || i, 'c' || (i % $1), s.state, 2000 + i, 2000 + i, 0, 1000 + i / 2, 'USD', 1000 + i / 2, 1, 'bank_transfer', 'platform', '1',
                CASE WHEN s.state IN ('rejected', 'canceled') THEN '1' END
         FROM generate_series(1, 20000) i, LATERAL (SELECT (ARRAY['requested','on_hold','pending_approval','rejected','canceled'])[1 + i % 5] AS state) s`,
        [CREATORS],
      ),
    );
  }
  await timed(`${USERS.toLocaleString('en')} user coin accounts (the liability read must not scan them)`, () =>
    db.query(
      `INSERT INTO ledger_accounts (code, asset, kind, owner_id, overdraft)
       SELECT 'user:u' || i || ':coins', 'COIN', 'user', 'u' || i, 'forbid' FROM generate_series(0, $1 - 1) i`,
      [USERS],
    ),
  );
  await timed('ANALYZE', () => db.query(`ANALYZE`));
}

async function startApi(): Promise<{ app: INestApplication; base: string }> {
  process.env.DATABASE_URL = DATABASE_URL;
  process.env.LOG_LEVEL = 'silent';
  // Loaded after DATABASE_URL is set: the configuration is read once, when the app module is built.
  const { createApiApp } = await import('../../../apps/api/src/app.factory');
  const app = await createApiApp({ logs: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}` };
}

async function main(): Promise<void> {
  console.log(`dashboard bench: ${RECHARGES.toLocaleString('en')} recharges, ${GIFTS.toLocaleString('en')} gifts over ${DAYS} days; ${CALLS} calls per endpoint`);
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  const db = createDataSource({ url: DATABASE_URL, entities: accessEntities, poolSize: 4 });
  await db.initialize();
  let api: { app: INestApplication; base: string } | undefined;
  try {
    await seedDemoOperators(db, 'development');
    console.log('load:');
    // Loading 250,000 rows a statement can pass the pool's 30 s statement timeout on a loaded box: one connection without it.
    const loader = createDataSource({ url: DATABASE_URL, entities: [], poolSize: 1, applicationName: 'coinops-bench-load' });
    await loader.initialize();
    try {
      await loader.query(`SET statement_timeout = 0`);
      await load(loader);
    } finally {
      await loader.destroy();
    }

    console.log('rollups:');
    const first = await timed('first build (everything since the first recharge)', () => refreshRollups(db));
    console.log(`    ${first.rechargeRows.toLocaleString('en')} hourly recharge rows from ${first.rechargesFrom}`);
    const steady: number[] = [];
    for (let i = 0; i < 5; i++) steady.push((await refreshRollups(db)).durationMs);
    steady.sort((a, b) => a - b);
    console.log(`  steady-state run (the schedule's every minute): median ${steady[2]} ms, max ${steady[4]} ms over 5 runs`);

    api = await startApi();
    const login = await fetch(`${api.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@coinops.dev', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };

    // The box may be shared: its load average says how much of a figure is the queries and how much the neighbours.
    console.log(`endpoints (${CALLS} sequential calls each after 3 warm-up calls; budget ${BUDGET_MS} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
    console.log('  endpoint                                      p50 ms   p99 ms   max ms   bytes');
    let overBudget = 0;
    for (const endpoint of ENDPOINTS) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < CALLS + 3; i++) {
        const started = performance.now();
        const response = await fetch(`${api.base}${endpoint}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`${endpoint}: ${response.status} ${body}`);
        bytes = body.length;
        if (i >= 3) times.push(elapsed);
      }
      times.sort((a, b) => a - b);
      const p99 = percentile(times, 99);
      if (p99 > BUDGET_MS) overBudget++;
      console.log(`  ${endpoint.padEnd(44)} ${percentile(times, 50).toFixed(1).padStart(7)} ${p99.toFixed(1).padStart(8)} ${times[times.length - 1].toFixed(1).padStart(8)} ${String(bytes).padStart(7)}`);
    }

    // A large export through the same API: streamed in batches of 1,000, so the process's memory stays flat.
    const since = new Date(Date.now() - 8 * 86_400_000).toISOString();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const exportStarted = performance.now();
    const exported = await fetch(`${api.base}/api/exports/recharges?filter=${encodeURIComponent(JSON.stringify({ occurred_at_gte: since }))}`, { headers: { authorization: `Bearer ${token}` } });
    let exportBytes = 0;
    let exportLines = 0;
    for await (const chunk of exported.body as unknown as AsyncIterable<Uint8Array>) {
      exportBytes += chunk.length;
      for (const byte of chunk) if (byte === 10) exportLines++;
    }
    clearInterval(sampler);
    console.log(
      `export: ${exported.status}, ${(exportLines - 1).toLocaleString('en')} recharges (${(exportBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - exportStarted) / 1000).toFixed(1)} s;` +
        ` RSS of this process (API and client) ${Math.round(rssBefore / 1e6)} MB before, ${Math.round(rssPeak / 1e6)} MB at most during`,
    );
    console.log(overBudget ? `${overBudget} endpoint(s) over ${BUDGET_MS} ms at p99` : `every endpoint under ${BUDGET_MS} ms at p99`);
  } finally {
    await api?.app.close();
    await db.destroy();
    if (!args.keep) await dropDatabase(DATABASE_URL);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
