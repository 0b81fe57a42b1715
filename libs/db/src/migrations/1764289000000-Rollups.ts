import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting (docs/reporting.md): rollups the dashboard reads instead of the big tables, kept by the
 * worker's `reporting.rollup` job (libs/reporting), and the daily reconciliation of each provider's
 * charges, refunds and disputes against the ledger.
 *
 * Rollups are derived data: the job recomputes a window of them (delete + insert in one transaction),
 * so they are rewritten, never append-only. Nothing here references the refunds, chargebacks or payouts
 * tables: their rollups are filled only when those tables exist. The chargeback ratio has its own monthly
 * rollup and thresholds (chargeback_ratio_months, chargeback_ratio_thresholds: docs/chargebacks.md).
 */
export class Rollups1764289000000 implements MigrationInterface {
  name = 'Rollups1764289000000';

  async up(q: QueryRunner): Promise<void> {
    // Where each rollup's recomputation starts next time (the job recomputes from a little before it).
    await q.query(`
      CREATE TABLE rollup_watermarks (
        name text PRIMARY KEY CHECK (name ~ '^[a-z_]{1,40}$'),
        watermark timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Recharges per UTC hour (of receipt) × method × currency × decision ('pending' while unevaluated).
    await q.query(`
      CREATE TABLE rollup_recharges_hourly (
        hour timestamptz NOT NULL,
        method text NOT NULL,
        currency char(3) NOT NULL,
        decision text NOT NULL CHECK (decision IN ('allow', 'review', 'block', 'pending')),
        recharges bigint NOT NULL CHECK (recharges > 0),
        coins bigint NOT NULL,
        amount_minor bigint NOT NULL,
        PRIMARY KEY (hour, method, currency, decision)
      )`);
    // The same per UTC day, derived from the hours by the same run: a month of chart reads ~1,000 rows, not ~25,000.
    await q.query(`
      CREATE TABLE rollup_recharges_daily (
        day date NOT NULL,
        method text NOT NULL,
        currency char(3) NOT NULL,
        decision text NOT NULL CHECK (decision IN ('allow', 'review', 'block', 'pending')),
        recharges bigint NOT NULL CHECK (recharges > 0),
        coins bigint NOT NULL,
        amount_minor bigint NOT NULL,
        PRIMARY KEY (day, method, currency, decision)
      )`);
    // Hours still counting undecided recharges: the next run starts no later than the oldest of them.
    await q.query(`CREATE INDEX rollup_recharges_hourly_pending ON rollup_recharges_hourly (hour) WHERE decision = 'pending'`);

    // The review queue per UTC day: items opened and decided that day, SLA breaches (due that day and
    // not decided in time), and the depth (active items) at the end of the day.
    await q.query(`
      CREATE TABLE rollup_reviews_daily (
        day date PRIMARY KEY,
        opened bigint NOT NULL,
        decided bigint NOT NULL,
        sla_breached bigint NOT NULL,
        depth_at_end bigint NOT NULL
      )`);

    // The rollup job counts today's review items opened, decided and due: ranges instead of scans of every item.
    await q.query(`CREATE INDEX review_items_created_at ON review_items (created_at)`);
    await q.query(`CREATE INDEX review_items_decided_at ON review_items (decided_at) WHERE decided_at IS NOT NULL`);
    await q.query(`CREATE INDEX review_items_sla_due_at ON review_items (sla_due_at)`);

    // Payouts by current state (a snapshot, replaced by each run, once the payouts table exists).
    await q.query(`
      CREATE TABLE rollup_payouts_by_state (
        state text NOT NULL,
        currency char(3) NOT NULL,
        payouts bigint NOT NULL,
        diamonds bigint NOT NULL,
        amount_minor bigint NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (state, currency)
      )`);

    // The platform's virtual liabilities at the end of each UTC day (today's row moves until midnight).
    await q.query(`
      CREATE TABLE rollup_liability_daily (
        day date PRIMARY KEY,
        coins_outstanding bigint NOT NULL,
        coins_held bigint NOT NULL,
        -- what users owe back after chargebacks (not part of the liability above)
        coins_debt bigint NOT NULL,
        diamonds_owed bigint NOT NULL,
        diamonds_reserved bigint NOT NULL,
        diamonds_debt bigint NOT NULL,
        computed_at timestamptz NOT NULL
      )`);

    // Creators ranked by coins gifted to them by flagged accounts over the last window_days (a snapshot).
    await q.query(`
      CREATE TABLE rollup_flagged_gift_creators (
        rank integer PRIMARY KEY CHECK (rank BETWEEN 1 AND 100),
        creator_id text NOT NULL,
        coins bigint NOT NULL,
        gifts bigint NOT NULL,
        flagged_senders bigint NOT NULL,
        window_days integer NOT NULL,
        computed_at timestamptz NOT NULL
      )`);

    // One reconciliation per provider and UTC day; regenerating a day replaces its report in one transaction.
    await q.query(`
      CREATE TABLE reconciliation_reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{0,31}$'),
        day date NOT NULL,
        -- per kind (charge, refund, dispute): counts and sums on each side, as decimal strings
        summary jsonb NOT NULL CHECK (jsonb_typeof(summary) = 'object'),
        differences integer NOT NULL CHECK (differences >= 0),
        generated_at timestamptz NOT NULL DEFAULT now(),
        generated_by text NOT NULL CHECK (length(generated_by) BETWEEN 1 AND 200),
        CONSTRAINT reconciliation_reports_provider_day UNIQUE (provider, day)
      )`);
    await q.query(`CREATE INDEX reconciliation_reports_day ON reconciliation_reports (day DESC, provider)`);
    await q.query(`
      CREATE TABLE reconciliation_differences (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id bigint NOT NULL REFERENCES reconciliation_reports (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('charge', 'refund', 'dispute')),
        difference text NOT NULL CHECK (difference IN ('missing_in_ledger', 'missing_at_provider', 'amount_mismatch')),
        reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 255),
        currency char(3),
        provider_amount_minor bigint,
        ledger_amount_minor bigint,
        provider_event_id text,
        ledger_transaction_id text,
        detail text CHECK (length(detail) <= 1000)
      )`);
    await q.query(`CREATE INDEX reconciliation_differences_report ON reconciliation_differences (report_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX review_items_sla_due_at, review_items_decided_at, review_items_created_at`);
    await q.query(`
      DROP TABLE reconciliation_differences, reconciliation_reports, rollup_flagged_gift_creators, rollup_liability_daily,
        rollup_payouts_by_state, rollup_reviews_daily, rollup_recharges_daily, rollup_recharges_hourly, rollup_watermarks`);
  }
}
