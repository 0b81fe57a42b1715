import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trust and safety's decisions (docs/reviews.md): who holds a review item and since when, what each held
 * recharge of an item became (its ledger post or void), the SLA per severity as data, operators' notes on
 * a user, and the indexes that find accounts sharing a device or an IP (linked accounts, the graph).
 */
export class ReviewDecisions1764288600000 implements MigrationInterface {
  name = 'ReviewDecisions1764288600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_items
        ADD COLUMN assigned_at timestamptz,
        ADD COLUMN escalation_reason text CHECK (length(escalation_reason) BETWEEN 1 AND 1000),
        ADD CONSTRAINT review_items_decision_reason CHECK (length(decision_reason) BETWEEN 1 AND 1000),
        ADD CONSTRAINT review_items_in_review_assigned CHECK (state <> 'in_review' OR (assigned_to IS NOT NULL AND assigned_at IS NOT NULL)),
        ADD CONSTRAINT review_items_decided_by CHECK ((state IN ('approved','rejected')) = (decided_by IS NOT NULL AND decision_reason IS NOT NULL))`);
    await q.query(`CREATE INDEX review_items_user ON review_items (user_id, created_at DESC)`);
    // The queue's default page: active items in SLA order, read from the front of this index (no sort of every active item).
    await q.query(`CREATE INDEX review_items_active_sla ON review_items (sla_due_at NULLS FIRST, id) WHERE state IN ('open','in_review','escalated')`);

    // Recharge ids are the recharges' uuids: the queue joins them by primary key.
    await q.query(`
      ALTER TABLE review_item_recharges
        ADD CONSTRAINT review_item_recharges_uuid CHECK (recharge_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
        ADD COLUMN outcome text CHECK (outcome IN ('approved','rejected')),
        -- the ledger transaction that posted (approve) or voided (reject) the hold
        ADD COLUMN resolution_transaction_id text,
        ADD COLUMN resolved_at timestamptz,
        ADD CONSTRAINT review_item_recharges_resolved CHECK ((outcome IS NULL) = (resolved_at IS NULL) AND (outcome IS NULL) = (resolution_transaction_id IS NULL))`);

    // The SLA of a new item by severity; editable by admins (PUT /api/review-sla). Defaults: libs/reviews/src/sla.ts.
    await q.query(`
      CREATE TABLE review_sla_policies (
        severity text PRIMARY KEY CHECK (severity IN ('low','medium','high','critical')),
        sla_minutes integer NOT NULL CHECK (sla_minutes BETWEEN 5 AND 43200),
        updated_by uuid REFERENCES operators (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO review_sla_policies (severity, sla_minutes) VALUES ('critical', 60), ('high', 240), ('medium', 1440), ('low', 4320)`);

    // Notes every operator sees on a user; never edited or deleted (a correction is a new note).
    await q.query(`
      CREATE TABLE user_notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
        author_id uuid REFERENCES operators (id),
        author_email text CHECK (length(author_email) BETWEEN 1 AND 254),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX user_notes_user ON user_notes (user_id, id DESC)`);
    await q.query(`CREATE TRIGGER user_notes_append_only BEFORE UPDATE OR DELETE ON user_notes FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER user_notes_no_truncate BEFORE TRUNCATE ON user_notes FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // Linked accounts: who else used this device or IP (the card has recharges_card already).
    await q.query(`CREATE INDEX recharges_device ON recharges (device_id, occurred_at DESC) WHERE device_id IS NOT NULL`);
    await q.query(`CREATE INDEX recharges_ip ON recharges (ip, occurred_at DESC) WHERE ip IS NOT NULL`);
    await q.query(`CREATE INDEX users_device ON users (device_id) WHERE device_id IS NOT NULL`);
    await q.query(`CREATE INDEX users_ip ON users (ip) WHERE ip IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_ip, users_device, recharges_ip, recharges_device, review_items_active_sla, review_items_user`);
    await q.query(`DROP TABLE user_notes, review_sla_policies`);
    await q.query(`
      ALTER TABLE review_item_recharges
        DROP CONSTRAINT review_item_recharges_resolved, DROP CONSTRAINT review_item_recharges_uuid,
        DROP COLUMN resolved_at, DROP COLUMN resolution_transaction_id, DROP COLUMN outcome`);
    await q.query(`
      ALTER TABLE review_items
        DROP CONSTRAINT review_items_decided_by, DROP CONSTRAINT review_items_in_review_assigned, DROP CONSTRAINT review_items_decision_reason,
        DROP COLUMN escalation_reason, DROP COLUMN assigned_at`);
  }
}
