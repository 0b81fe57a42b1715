import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creator payouts (DESIGN §5, docs/payouts.md): the payout with its ledger reservation, the automatic
 * holds (one row per cause, released by finance or by itself when the cause clears), the approvals
 * (two distinct operators above the threshold) and the execution batches.
 */
export class Payouts1764288900000 implements MigrationInterface {
  name = 'Payouts1764288900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payout_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        method text NOT NULL CHECK (length(method) BETWEEN 1 AND 100),
        payout_count integer NOT NULL CHECK (payout_count > 0),
        created_by text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payout_batches_created_at ON payout_batches (created_at DESC, id)`);
    await q.query(`CREATE TRIGGER payout_batches_append_only BEFORE UPDATE OR DELETE ON payout_batches FOR EACH ROW EXECUTE FUNCTION append_only()`);

    await q.query(`
      CREATE TABLE payouts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- the platform's own id (payout.requested), or one made up for a request from the console
        payout_id text NOT NULL UNIQUE CHECK (payout_id ~ '^[A-Za-z0-9_.:-]{1,100}$'),
        creator_id text NOT NULL CHECK (creator_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        state text NOT NULL CHECK (state IN ('requested','on_hold','pending_approval','approved','rejected','processing','paid','failed','canceled')),
        diamonds bigint NOT NULL CHECK (diamonds > 0 AND diamonds <= 1000000000000000),
        -- diamonds = diamonds_for_cash + rounding_diamonds: what rounding the cash down left goes to a named account
        diamonds_for_cash bigint NOT NULL CHECK (diamonds_for_cash > 0),
        rounding_diamonds bigint NOT NULL CHECK (rounding_diamonds >= 0),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL REFERENCES ledger_assets (code) CHECK (currency ~ '^[A-Z]{3}$'),
        -- the same diamonds at the USD rate: what the dual-approval threshold is compared with
        usd_equivalent_minor bigint NOT NULL CHECK (usd_equivalent_minor >= 0),
        approvals_required smallint NOT NULL CHECK (approvals_required IN (1, 2)),
        -- approvals count only within a round: a payout put back on hold must be approved again
        approval_round integer NOT NULL DEFAULT 0 CHECK (approval_round >= 0),
        method text NOT NULL CHECK (length(method) BETWEEN 1 AND 100),
        requested_by uuid REFERENCES operators (id),
        requested_via text NOT NULL CHECK (requested_via IN ('platform','console')),
        request_reason text CHECK (length(request_reason) BETWEEN 1 AND 1000),
        reservation_transaction_id text NOT NULL,
        resolution_transaction_id text,
        cash_transaction_id text,
        decided_by uuid REFERENCES operators (id),
        decision_reason text CHECK (length(decision_reason) BETWEEN 1 AND 1000),
        batch_id uuid REFERENCES payout_batches (id),
        provider text CHECK (length(provider) BETWEEN 1 AND 32),
        provider_payout_id text CHECK (length(provider_payout_id) BETWEEN 1 AND 255),
        provider_attempts integer NOT NULL DEFAULT 0 CHECK (provider_attempts >= 0),
        last_provider_error text CHECK (length(last_provider_error) BETWEEN 1 AND 1000),
        failure_reason text CHECK (length(failure_reason) BETWEEN 1 AND 1000),
        approved_at timestamptz,
        processing_at timestamptz,
        submitted_at timestamptz,
        paid_at timestamptz,
        failed_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payouts_split CHECK (diamonds = diamonds_for_cash + rounding_diamonds),
        CONSTRAINT payouts_processing_batch CHECK (state NOT IN ('processing','paid') OR batch_id IS NOT NULL),
        CONSTRAINT payouts_paid_entries CHECK (state <> 'paid' OR (resolution_transaction_id IS NOT NULL AND cash_transaction_id IS NOT NULL AND paid_at IS NOT NULL)),
        CONSTRAINT payouts_voided CHECK (state NOT IN ('rejected','failed','canceled') OR resolution_transaction_id IS NOT NULL),
        CONSTRAINT payouts_failed_reason CHECK (state <> 'failed' OR failure_reason IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX payouts_provider_payout ON payouts (provider, provider_payout_id) WHERE provider_payout_id IS NOT NULL`);
    await q.query(`CREATE INDEX payouts_creator ON payouts (creator_id, created_at DESC)`);
    await q.query(`CREATE INDEX payouts_created_at ON payouts (created_at DESC, id)`);
    await q.query(`CREATE INDEX payouts_batch ON payouts (batch_id) WHERE batch_id IS NOT NULL`);
    // What the worker and the schedules look for: approved (to batch), processing, and still open.
    await q.query(`CREATE INDEX payouts_active ON payouts (state, approved_at, id) WHERE state IN ('requested','on_hold','pending_approval','approved','processing')`);

    // Holds are never deleted; a release fills the released_* columns once.
    await q.query(`
      CREATE TABLE payout_holds (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payout_id uuid NOT NULL REFERENCES payouts (id),
        reason text NOT NULL CHECK (reason IN ('kyc_unverified','tax_form_missing','creator_frozen','open_review','reserve_window','chargeback_exposure','unusual_amount','flagged_gift_sources')),
        detail text NOT NULL CHECK (length(detail) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        -- automatic: the cause cleared; manual: finance released it (that cause no longer holds this payout)
        release_kind text CHECK (release_kind IN ('automatic','manual')),
        released_by uuid REFERENCES operators (id),
        released_by_email text CHECK (length(released_by_email) BETWEEN 1 AND 254),
        release_reason text CHECK (length(release_reason) BETWEEN 1 AND 1000),
        CONSTRAINT payout_holds_release CHECK ((released_at IS NULL) = (release_kind IS NULL) AND (released_at IS NULL) = (release_reason IS NULL)),
        CONSTRAINT payout_holds_manual CHECK (release_kind IS DISTINCT FROM 'manual' OR released_by IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX payout_holds_one_active ON payout_holds (payout_id, reason) WHERE released_at IS NULL`);
    await q.query(`CREATE INDEX payout_holds_payout ON payout_holds (payout_id, id)`);
    await q.query(`
      CREATE FUNCTION payout_holds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'payout_holds rows are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.released_at IS NOT NULL
           OR (to_jsonb(NEW) - ARRAY['released_at','release_kind','released_by','released_by_email','release_reason'])
              IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['released_at','release_kind','released_by','released_by_email','release_reason']) THEN
          RAISE EXCEPTION 'payout_holds: a hold is only released, once' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER payout_holds_guard BEFORE UPDATE OR DELETE ON payout_holds FOR EACH ROW EXECUTE FUNCTION payout_holds_guard()`);
    await q.query(`CREATE TRIGGER payout_holds_no_truncate BEFORE TRUNCATE ON payout_holds FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // One row per approval; the unique index is what makes two racing approvals by one operator count once.
    await q.query(`
      CREATE TABLE payout_approvals (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payout_id uuid NOT NULL REFERENCES payouts (id),
        approval_round integer NOT NULL,
        operator_id uuid NOT NULL REFERENCES operators (id),
        operator_email text NOT NULL CHECK (length(operator_email) BETWEEN 1 AND 254),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (payout_id, approval_round, operator_id)
      )`);
    await q.query(`CREATE TRIGGER payout_approvals_append_only BEFORE UPDATE OR DELETE ON payout_approvals FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER payout_approvals_no_truncate BEFORE TRUNCATE ON payout_approvals FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payout_approvals, payout_holds, payouts, payout_batches`);
    await q.query(`DROP FUNCTION payout_holds_guard()`);
  }
}
