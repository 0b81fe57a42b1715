import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users' reports of recharges or gifts they did not make (DESIGN §4, docs/unauthorized-activity.md).
 * A report is never deleted; its outcome is a known outcome for rule backtests, like a chargeback.
 */
export class UnauthorizedActivity1764289200000 implements MigrationInterface {
  name = 'UnauthorizedActivity1764289200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE unauthorized_activity_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','confirmed','recovered','not_confirmed')),
        description text NOT NULL CHECK (length(description) BETWEEN 3 AND 2000),
        -- what the user says was not them (each checked to be theirs when reported)
        recharge_ids uuid[] NOT NULL DEFAULT '{}',
        gift_ids text[] NOT NULL DEFAULT '{}',
        -- when the user says it started: the evidence window opens a day before
        since timestamptz,
        review_id uuid REFERENCES review_items (id),
        -- whether this report froze the user (recovery unfreezes only what the report froze)
        froze_user boolean NOT NULL,
        reported_by uuid NOT NULL REFERENCES operators (id),
        reported_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES operators (id),
        decided_at timestamptz,
        decision_reason text CHECK (length(decision_reason) BETWEEN 3 AND 1000),
        -- what confirming did: refunds requested, list entries added (ids), for the record
        actions jsonb CHECK (actions IS NULL OR jsonb_typeof(actions) = 'object'),
        recovered_by uuid REFERENCES operators (id),
        recovered_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uar_decided CHECK ((state = 'open') = (decided_at IS NULL)),
        CONSTRAINT uar_recovered CHECK ((state = 'recovered') = (recovered_at IS NOT NULL))
      )`);
    // One open report per user: a second report while one is open adds to nothing, it is a 409.
    await q.query(`CREATE UNIQUE INDEX uar_one_open ON unauthorized_activity_reports (user_id) WHERE state = 'open'`);
    await q.query(`CREATE INDEX uar_reported_at ON unauthorized_activity_reports (reported_at DESC, id)`);
    await q.query(`CREATE INDEX uar_user ON unauthorized_activity_reports (user_id, reported_at DESC)`);
    await q.query(`CREATE TRIGGER uar_no_delete BEFORE DELETE ON unauthorized_activity_reports FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER uar_no_truncate BEFORE TRUNCATE ON unauthorized_activity_reports FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unauthorized_activity_reports`);
  }
}
