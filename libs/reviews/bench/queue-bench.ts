import 'reflect-metadata';
import { accessEntities } from '@coinops/access';
import { createDataSource, dropDatabase, ensureDatabase, parseListQuery, runMigrations } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { linkedGraph, listReviews, REVIEWS_LIST, reviewCounts, userEvidence } from '../src';

/**
 * How the queue's reads behave on a grown table: `ITEMS` review items (5 % still active) over `USERS`
 * users, one recharge each, 1 % of the recharges on one shared "hub" IP. Prints the median and p95 of
 * each read and the plan of the default queue page, then drops the database.
 *
 *   node --require @swc-node/register libs/reviews/bench/queue-bench.ts
 *   BENCH_ITEMS=200000 node --require @swc-node/register libs/reviews/bench/queue-bench.ts
 */
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const USERS = Math.max(1_000, Math.floor(ITEMS / 2));
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/coinops_bench_reviews';

async function seed(dataSource: DataSource): Promise<void> {
  await dataSource.query(`INSERT INTO users (id, country, profile_received) SELECT 'u' || i, 'US', true FROM generate_series(1, $1) i`, [USERS]);
  await dataSource.query(
    `INSERT INTO recharges (id, provider, provider_ref, user_id, method, coins, amount_minor, currency, card_fingerprint, bin_country, device_id, ip, state, decision, occurred_at)
     SELECT gen_random_uuid(), 'stripe', 'ch_' || i, 'u' || (1 + i % $2), CASE WHEN i % 7 = 0 THEN 'apple_pay' ELSE 'card' END, 20000, 19999, 'USD',
            'fp' || (i % ($2 / 3)), CASE WHEN i % 5 = 0 THEN 'FR' ELSE 'US' END, 'dev' || (i % ($2 / 2)),
            CASE WHEN i % 100 = 0 THEN '10.0.0.1' ELSE '10.' || (i % 250) || '.' || (i / 250 % 250) || '.' || (1 + i % 200) END,
            CASE WHEN i % 20 = 0 THEN 'held' ELSE 'credited' END, 'review', now() - make_interval(mins => i)
       FROM generate_series(1, $1) i`,
    [ITEMS, USERS],
  );
  // One item per recharge; decided items first (the partial unique index admits one active item per user).
  await dataSource.query(
    `WITH r AS (SELECT id, user_id, state, occurred_at, row_number() OVER (PARTITION BY user_id, state = 'held' ORDER BY occurred_at DESC) AS nth FROM recharges)
     INSERT INTO review_items (id, kind, user_id, state, severity, opened_reason, rule_keys, sla_due_at, decided_at, decided_by, decision_reason, created_at)
     SELECT md5(r.id::text)::uuid, 'recharge', r.user_id,
            CASE WHEN r.state = 'held' AND r.nth = 1 THEN 'open' WHEN r.nth % 2 = 0 THEN 'approved' ELSE 'rejected' END,
            (ARRAY['low','medium','high','critical'])[1 + abs(hashtext(r.id::text)) % 4], 'bench', ARRAY['large_first_recharge_new_account'],
            r.occurred_at + interval '4 hours',
            CASE WHEN r.state = 'held' AND r.nth = 1 THEN NULL ELSE r.occurred_at + interval '1 hour' END,
            CASE WHEN r.state = 'held' AND r.nth = 1 THEN NULL ELSE (SELECT id FROM operators LIMIT 1) END,
            CASE WHEN r.state = 'held' AND r.nth = 1 THEN NULL ELSE 'bench' END,
            r.occurred_at
       FROM r`,
  );
  await dataSource.query(`INSERT INTO review_item_recharges (review_id, recharge_id, hold_transaction_id) SELECT md5(id::text)::uuid, id::text, '1' FROM recharges`);
  await dataSource.query(`ANALYZE`);
}

async function timed(label: string, run: () => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
  console.log(`${label.padEnd(58)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms`);
}

async function main(): Promise<void> {
  await dropDatabase(url).catch(() => undefined);
  await ensureDatabase(url);
  await runMigrations(url);
  const dataSource = createDataSource({ url, entities: accessEntities, poolSize: 4, applicationName: 'coinops-bench-reviews' });
  await dataSource.initialize();
  try {
    await dataSource.query(`INSERT INTO operators (email, name, role, password_hash) VALUES ('bench@coinops.dev', 'Bench', 'admin', 'x')`);
    const seededAt = Date.now();
    await seed(dataSource);
    const [{ items, active }] = await dataSource.query(`SELECT count(*)::int AS items, count(*) FILTER (WHERE state IN ('open','in_review','escalated'))::int AS active FROM review_items`);
    console.log(`seeded ${items} review items (${active} active), ${ITEMS} recharges, ${USERS} users in ${Date.now() - seededAt} ms`);

    const page = (filter: Record<string, unknown>, sort?: [string, string]) => parseListQuery({ filter: JSON.stringify(filter), range: '[0,24]', ...(sort ? { sort: JSON.stringify(sort) } : {}) }, REVIEWS_LIST);
    const active3 = { state: ['open', 'in_review', 'escalated'] };
    await timed('queue: active items, soonest SLA first (default page)', () => listReviews(dataSource, page(active3)));
    await timed('queue: active + severity + method + card country', () => listReviews(dataSource, page({ ...active3, severity: 'high', method: 'apple_pay', bin_country: 'FR' })));
    await timed('queue: active + amount range, sorted by coins', () => listReviews(dataSource, page({ ...active3, amount_gte: '10000', amount_lte: '30000' }, ['coins', 'DESC'])));
    await timed('history: rejected items, newest decision first', () => listReviews(dataSource, page({ state: 'rejected' }, ['decided_at', 'DESC'])));
    await timed('counts per state', () => reviewCounts(dataSource, null));
    await timed('evidence of a user on the hub IP', () => userEvidence(dataSource, 'u100'));
    await timed('graph, 2 hops, from a user on the hub IP (≤ 200 nodes)', () => linkedGraph(dataSource, 'u100'));
    await timed('graph, 4 hops, from an ordinary user', () => linkedGraph(dataSource, 'u7', { hops: 4 }));

    const list = page(active3);
    const [plan] = await dataSource.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT ri.id FROM review_items ri WHERE ri.state IN ('open','in_review','escalated') ORDER BY ri.sla_due_at ASC NULLS FIRST, ri.id ASC LIMIT ${list.limit}`,
    ).then((rows: Array<{ 'QUERY PLAN': string }>) => [rows.map((r) => r['QUERY PLAN']).join('\n')]);
    console.log(`\nplan of the queue's ordering (index review_items_active_sla):\n${plan}`);
  } finally {
    await dataSource.destroy();
    if (!process.argv.includes('--keep')) await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
