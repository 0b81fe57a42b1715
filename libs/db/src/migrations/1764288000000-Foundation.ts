import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators, the append-only audit log, the outbox and job receipts (DESIGN §1, §6).
 * `append_only()` is shared by every journal table that must never change once written.
 */
export class Foundation1764288000000 implements MigrationInterface {
  name = 'Foundation1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await q.query(`
      CREATE TABLE operators (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('admin','trust_safety','finance','support','viewer')),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
        locked_until timestamptz,
        -- bumped to revoke every token issued before (disable, password reset, re-role)
        token_version integer NOT NULL DEFAULT 0,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX operators_email_key ON operators (email)`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor_id uuid,
        actor_email text,
        action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
        entity text NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
        entity_id text,
        before jsonb,
        after jsonb,
        reason text,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX audit_events_created_at ON audit_events (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_entity ON audit_events (entity, entity_id)`);
    await q.query(`CREATE INDEX audit_events_actor ON audit_events (actor_id, created_at DESC)`);
    await q.query(`CREATE INDEX audit_events_action ON audit_events (action, created_at DESC)`);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        publish_attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`);

    // One row per outbox job whose effect committed: a redelivered job finds its receipt and acts no more.
    await q.query(`
      CREATE TABLE job_receipts (
        outbox_id bigint PRIMARY KEY REFERENCES outbox (id),
        job_name text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE operator_notifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        operator_id uuid NOT NULL REFERENCES operators (id),
        kind text NOT NULL,
        message text NOT NULL,
        source_outbox_id bigint NOT NULL UNIQUE REFERENCES outbox (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX operator_notifications_operator ON operator_notifications (operator_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE operator_notifications, job_receipts, outbox, audit_events, operators`);
    await q.query(`DROP FUNCTION append_only()`);
  }
}
