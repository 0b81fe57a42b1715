import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The risk engine's tables (DESIGN §4, docs/risk.md): its own append-only observations, versioned
 * rules with exactly one live version each, block/allow lists, recorded decisions with the feature
 * snapshot a backtest replays, one alert per matching rule, and the known outcomes.
 */
export class Risk1764288200000 implements MigrationInterface {
  name = 'Risk1764288200000';

  async up(q: QueryRunner): Promise<void> {
    const appendOnly = async (table: string) => {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
    };
    const identifier = (column: string, nullable = true) =>
      `${column} text ${nullable ? '' : 'NOT NULL'} CHECK (length(${column}) BETWEEN 1 AND 200 AND position('|' in ${column}) = 0)`;

    // The source of truth for every velocity feature; Redis only mirrors its last 30 (365) days.
    await q.query(`
      CREATE TABLE risk_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('recharge','gift','security_change','chargeback','refund_fraud','account_takeover')),
        ${identifier('ref', false)},
        occurred_at timestamptz NOT NULL,
        ${identifier('user_id', false)},
        ${identifier('card_fingerprint')},
        ${identifier('device_id')},
        ${identifier('ip')},
        method text CHECK (method IN ('card','paypal','google_pay','apple_pay','app_store','play_store')),
        bin_country text CHECK (bin_country ~ '^[A-Z]{2}$'),
        amount_minor bigint CHECK (amount_minor >= 0),
        currency text CHECK (currency ~ '^[A-Z]{3}$'),
        coins bigint CHECK (coins >= 0),
        ${identifier('creator_id')},
        -- gifts: the sender's account was younger than 7 days when the gift was sent
        sender_young boolean,
        -- security_change: what changed (password, email, phone, device)
        detail text CHECK (length(detail) <= 200),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT risk_events_kind_ref_key UNIQUE (kind, ref)
      )`);
    await q.query(`CREATE INDEX risk_events_user ON risk_events (user_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX risk_events_card ON risk_events (card_fingerprint, occurred_at DESC) WHERE card_fingerprint IS NOT NULL`);
    await q.query(`CREATE INDEX risk_events_device ON risk_events (device_id, occurred_at DESC) WHERE device_id IS NOT NULL`);
    await q.query(`CREATE INDEX risk_events_ip ON risk_events (ip, occurred_at DESC) WHERE ip IS NOT NULL`);
    await q.query(`CREATE INDEX risk_events_creator ON risk_events (creator_id, occurred_at DESC) WHERE creator_id IS NOT NULL`);
    await q.query(`CREATE INDEX risk_events_occurred_at ON risk_events (occurred_at, id)`);
    await appendOnly('risk_events');

    // A rule's key never changes; everything evaluated lives in an immutable version (Marble's model).
    await q.query(`
      CREATE TABLE rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
        live_version integer NOT NULL CHECK (live_version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rules_key_key UNIQUE (key)
      )`);
    await q.query(`
      CREATE TABLE rule_versions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_id uuid NOT NULL REFERENCES rules (id),
        version integer NOT NULL CHECK (version >= 1),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        event_kind text NOT NULL CHECK (event_kind IN ('recharge','gift','any')),
        expression text NOT NULL CHECK (length(expression) BETWEEN 1 AND 4000),
        action text NOT NULL CHECK (action IN ('allow','review','block')),
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        severity text NOT NULL CHECK (severity IN ('low','medium','high','critical')),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        enabled boolean NOT NULL DEFAULT true,
        author text NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rule_versions_rule_version_key UNIQUE (rule_id, version)
      )`);
    // The live version must exist; deferred so a rule and its first version commit together.
    await q.query(`
      ALTER TABLE rules ADD CONSTRAINT rules_live_version_fkey FOREIGN KEY (id, live_version)
        REFERENCES rule_versions (rule_id, version) DEFERRABLE INITIALLY DEFERRED`);
    await appendOnly('rule_versions');

    await q.query(`
      CREATE TABLE list_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        list text NOT NULL CHECK (list IN ('block','allow')),
        kind text NOT NULL CHECK (kind IN ('card','device','ip','user','bin','bin_country','email_domain')),
        ${identifier('value', false)},
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        author text NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        removed_by text CHECK (length(removed_by) BETWEEN 1 AND 200),
        removal_reason text CHECK (length(removal_reason) BETWEEN 1 AND 1000),
        CHECK ((removed_at IS NULL) = (removed_by IS NULL))
      )`);
    await q.query(`CREATE INDEX list_entries_active ON list_entries (list, kind, value) WHERE removed_at IS NULL`);
    await q.query(`CREATE INDEX list_entries_created_at ON list_entries (created_at DESC, id)`);

    await q.query(`
      CREATE TABLE risk_decisions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_type text NOT NULL CHECK (subject_type IN ('recharge','gift')),
        ${identifier('subject_id', false)},
        ${identifier('user_id', false)},
        decision text NOT NULL CHECK (decision IN ('allow','review','block')),
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        reasons jsonb NOT NULL,
        -- every CEL variable as it was: a backtest replays a draft rule on exactly these values
        features jsonb NOT NULL,
        rule_versions jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        evaluated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT risk_decisions_subject_key UNIQUE (subject_type, subject_id)
      )`);
    await q.query(`CREATE INDEX risk_decisions_occurred_at ON risk_decisions (subject_type, occurred_at, id)`);
    await q.query(`CREATE INDEX risk_decisions_user ON risk_decisions (user_id, evaluated_at DESC)`);
    await appendOnly('risk_decisions');

    await q.query(`
      CREATE TABLE risk_alerts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        decision_id bigint NOT NULL REFERENCES risk_decisions (id),
        rule_id uuid NOT NULL REFERENCES rules (id),
        rule_key text NOT NULL,
        rule_version integer NOT NULL,
        action text NOT NULL CHECK (action IN ('allow','review','block')),
        severity text NOT NULL CHECK (severity IN ('low','medium','high','critical')),
        score integer NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        user_id text NOT NULL,
        "values" jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (rule_id, rule_version) REFERENCES rule_versions (rule_id, version),
        CONSTRAINT risk_alerts_decision_rule_key UNIQUE (decision_id, rule_id)
      )`);
    await q.query(`CREATE INDEX risk_alerts_created_at ON risk_alerts (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX risk_alerts_rule ON risk_alerts (rule_id, created_at DESC)`);
    await q.query(`CREATE INDEX risk_alerts_user ON risk_alerts (user_id, created_at DESC)`);
    await appendOnly('risk_alerts');

    await q.query(`
      CREATE TABLE risk_outcomes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_type text NOT NULL CHECK (subject_type IN ('recharge','gift')),
        ${identifier('subject_id', false)},
        outcome text NOT NULL CHECK (outcome IN ('chargeback','review_rejected','refund_fraud','account_takeover','review_approved','account_takeover_refuted')),
        note text CHECK (length(note) <= 1000),
        recorded_by text CHECK (length(recorded_by) BETWEEN 1 AND 200),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT risk_outcomes_subject_outcome_key UNIQUE (subject_type, subject_id, outcome)
      )`);
    await appendOnly('risk_outcomes');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk_outcomes, risk_alerts, risk_decisions, list_entries`);
    await q.query(`ALTER TABLE rules DROP CONSTRAINT rules_live_version_fkey`);
    await q.query(`DROP TABLE rule_versions, rules, risk_events`);
  }
}
