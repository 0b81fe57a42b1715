import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds of recharges and manual adjustments (DESIGN §5, docs/refunds.md). Neither is ever deleted;
 * every provider call a refund makes is kept in `refund_attempts`, append-only.
 */
export class Refunds1764288700000 implements MigrationInterface {
  name = 'Refunds1764288700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recharge_id uuid NOT NULL REFERENCES recharges (id),
        user_id text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        kind text NOT NULL CHECK (kind IN ('manual','auto','external')),
        state text NOT NULL CHECK (state IN ('requested','approved','rejected','processing','succeeded','failed')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0 AND amount_minor <= 1000000000000000),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        -- the recharge's coins this refund takes back (the unspent ones), and those it cannot (spent, override)
        coins bigint NOT NULL CHECK (coins >= 0),
        coins_unrecovered bigint NOT NULL DEFAULT 0 CHECK (coins_unrecovered >= 0),
        -- the amount in USD cents at the integer rate of docs/refunds.md (null: no rate, always approved by a person)
        amount_usd_minor bigint CHECK (amount_usd_minor >= 0),
        needs_approval boolean NOT NULL,
        requires_override boolean NOT NULL DEFAULT false,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        override_reason text CHECK (length(override_reason) BETWEEN 1 AND 1000),
        -- null: the system asked (an automatic refund of a blocked recharge, a refund made at the provider)
        requested_by uuid REFERENCES operators (id),
        approved_by uuid REFERENCES operators (id),
        approved_at timestamptz,
        decided_by uuid REFERENCES operators (id),
        decision_reason text CHECK (length(decision_reason) BETWEEN 1 AND 1000),
        -- the ledger hold reserving the coins and cash (posted on success, voided on reject), and the posted reversal
        hold_transaction_id text,
        ledger_transaction_id text,
        attempt integer NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 1000),
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        provider_refund_id text CHECK (provider_refund_id ~ '^[A-Za-z0-9_.:-]{1,255}$'),
        failure_code text CHECK (length(failure_code) BETWEEN 1 AND 100),
        failure_reason text CHECK (length(failure_reason) BETWEEN 1 AND 2000),
        processing_at timestamptz,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refunds_override_reason CHECK (NOT requires_override OR state IN ('requested','rejected') OR override_reason IS NOT NULL),
        CONSTRAINT refunds_succeeded CHECK ((state = 'succeeded') = (completed_at IS NOT NULL)),
        CONSTRAINT refunds_failed CHECK (state <> 'failed' OR failure_reason IS NOT NULL),
        CONSTRAINT refunds_auto_system CHECK (kind = 'manual' OR requested_by IS NULL)
      )`);
    await q.query(`CREATE INDEX refunds_recharge ON refunds (recharge_id, created_at)`);
    await q.query(`CREATE INDEX refunds_created_at ON refunds (created_at DESC, id)`);
    await q.query(`CREATE INDEX refunds_user ON refunds (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX refunds_pending_approval ON refunds (created_at) WHERE state = 'requested'`);
    // One automatic refund per recharge (the risk block and the start-up sweep may both ask).
    await q.query(`CREATE UNIQUE INDEX refunds_one_auto ON refunds (recharge_id) WHERE kind = 'auto'`);
    // A provider refund books its reversal once, whoever started it.
    await q.query(`CREATE UNIQUE INDEX refunds_provider_refund ON refunds (recharge_id, provider_refund_id) WHERE provider_refund_id IS NOT NULL`);
    await q.query(`CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER refunds_no_truncate BEFORE TRUNCATE ON refunds FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // Every call to the provider for a refund; written outside the job's transaction when the call fails
    // transiently (that transaction rolls back for BullMQ's retry), so the count survives.
    await q.query(`
      CREATE TABLE refund_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        refund_id uuid NOT NULL,
        attempt integer NOT NULL,
        idempotency_key text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('accepted','unavailable','rejected')),
        provider_refund_id text,
        error text CHECK (length(error) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refund_attempts_refund ON refund_attempts (refund_id, id)`);
    await q.query(`CREATE TRIGGER refund_attempts_append_only BEFORE UPDATE OR DELETE ON refund_attempts FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER refund_attempts_no_truncate BEFORE TRUNCATE ON refund_attempts FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    await q.query(`
      CREATE TABLE adjustments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        target text NOT NULL CHECK (target IN ('user','creator')),
        target_id text NOT NULL CHECK (target_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        asset text NOT NULL CHECK (asset IN ('COIN','DIAMOND')),
        direction text NOT NULL CHECK (direction IN ('credit','debit')),
        amount bigint NOT NULL CHECK (amount > 0 AND amount <= 1000000000000000),
        reason_code text NOT NULL CHECK (reason_code IN ('goodwill','bug_compensation','fraud_recovery','correction')),
        note text NOT NULL CHECK (length(note) BETWEEN 3 AND 1000),
        state text NOT NULL CHECK (state IN ('requested','approved','rejected','posted')),
        needs_approval boolean NOT NULL,
        requested_by uuid NOT NULL REFERENCES operators (id),
        approved_by uuid REFERENCES operators (id),
        decided_by uuid REFERENCES operators (id),
        decision_reason text CHECK (length(decision_reason) BETWEEN 1 AND 1000),
        decided_at timestamptz,
        ledger_transaction_id text,
        posted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT adjustments_asset_target CHECK ((target = 'user' AND asset = 'COIN') OR (target = 'creator' AND asset = 'DIAMOND')),
        CONSTRAINT adjustments_posted CHECK ((state = 'posted') = (ledger_transaction_id IS NOT NULL AND posted_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX adjustments_created_at ON adjustments (created_at DESC, id)`);
    await q.query(`CREATE INDEX adjustments_target ON adjustments (target, target_id, created_at DESC)`);
    await q.query(`CREATE INDEX adjustments_pending_approval ON adjustments (created_at) WHERE state = 'requested'`);
    await q.query(`CREATE TRIGGER adjustments_no_delete BEFORE DELETE ON adjustments FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER adjustments_no_truncate BEFORE TRUNCATE ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE adjustments, refund_attempts, refunds`);
  }
}
