import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator accounts, hardened (docs/access.md): a TOTP second factor whose secret is stored encrypted
 * (AES-256-GCM, never returned after enrolment), its own lock-out counter, and one row per session so an
 * operator can list their sign-ins and end them; every token names its session.
 */
export class OperatorSecurity1764289100000 implements MigrationInterface {
  name = 'OperatorSecurity1764289100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE operators
        ADD COLUMN totp_secret_enc text,
        ADD COLUMN totp_pending_enc text,
        ADD COLUMN totp_enabled_at timestamptz,
        -- the last accepted 30 s time step: a code is accepted once
        ADD COLUMN totp_last_step bigint,
        ADD COLUMN mfa_failures integer NOT NULL DEFAULT 0 CHECK (mfa_failures >= 0),
        ADD COLUMN mfa_locked_until timestamptz,
        ADD CONSTRAINT operators_totp_enabled CHECK ((totp_secret_enc IS NULL) = (totp_enabled_at IS NULL))`);
    await q.query(`
      CREATE TABLE operator_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        operator_id uuid NOT NULL REFERENCES operators (id),
        -- 'enrolment': a required second factor is not set up yet; only enrolment routes accept it
        scope text NOT NULL CHECK (scope IN ('full', 'enrolment')),
        mfa boolean NOT NULL DEFAULT false,
        ip text CHECK (length(ip) <= 64),
        user_agent text CHECK (length(user_agent) <= 512),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text CHECK (length(revoked_reason) <= 200)
      )`);
    await q.query(`CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id, created_at DESC)`);
    // A user's data export follows the audit trail by entity id whatever the entity (docs/security.md).
    await q.query(`CREATE INDEX audit_events_entity_id ON audit_events (entity_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_entity_id`);
    await q.query(`DROP TABLE operator_sessions`);
    await q.query(`
      ALTER TABLE operators
        DROP CONSTRAINT operators_totp_enabled,
        DROP COLUMN totp_secret_enc, DROP COLUMN totp_pending_enc, DROP COLUMN totp_enabled_at,
        DROP COLUMN totp_last_step, DROP COLUMN mfa_failures, DROP COLUMN mfa_locked_until`);
  }
}
