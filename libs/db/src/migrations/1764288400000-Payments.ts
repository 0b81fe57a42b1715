import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable intake of payments (docs/payments.md): every verified provider webhook once per provider event
 * id, and every recharge once per provider reference. Provider events are never deleted and, once stored,
 * only their `processed_at` may change; recharges are never deleted.
 */
export class Payments1764288400000 implements MigrationInterface {
  name = 'Payments1764288400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{0,31}$'),
        provider_event_id text NOT NULL CHECK (provider_event_id ~ '^[A-Za-z0-9_.:-]{1,255}$'),
        type text NOT NULL CHECK (type ~ '^[a-z_]{1,40}(\\.[a-z_]{1,40}){1,4}$'),
        -- false: a type coinops does not use, recorded as seen with no payload
        handled boolean NOT NULL,
        object_id text CHECK (length(object_id) BETWEEN 1 AND 255),
        charge_id text CHECK (length(charge_id) BETWEEN 1 AND 255),
        -- the provider's time of the event: consumers order by it, never by received_at
        provider_created_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        normalized jsonb CHECK (normalized IS NULL OR jsonb_typeof(normalized) = 'object'),
        -- redacted: card data only as fingerprint, brand, country, last4, wallet type
        payload jsonb CHECK (payload IS NULL OR (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= 262144)),
        -- why a handled event could not be used (e.g. a charge without coinops metadata)
        problem text CHECK (length(problem) BETWEEN 1 AND 2000),
        processed_at timestamptz,
        CONSTRAINT provider_events_unhandled_empty CHECK (handled OR (payload IS NULL AND normalized IS NULL AND processed_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX provider_events_provider_event ON provider_events (provider, provider_event_id)`);
    await q.query(`CREATE INDEX provider_events_charge ON provider_events (provider, charge_id, provider_created_at, id) WHERE charge_id IS NOT NULL`);
    await q.query(`CREATE INDEX provider_events_unprocessed ON provider_events (provider_created_at, id) WHERE processed_at IS NULL`);
    await q.query(`CREATE INDEX provider_events_received_at ON provider_events (received_at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION provider_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'provider_events rows are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (to_jsonb(NEW) - 'processed_at') IS DISTINCT FROM (to_jsonb(OLD) - 'processed_at') THEN
          RAISE EXCEPTION 'provider_events: only processed_at may change' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER provider_events_guard BEFORE UPDATE OR DELETE ON provider_events FOR EACH ROW EXECUTE FUNCTION provider_events_guard()`);
    await q.query(`CREATE TRIGGER provider_events_no_truncate BEFORE TRUNCATE ON provider_events FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    await q.query(`
      CREATE TABLE recharges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{0,31}$'),
        -- the Stripe charge id, or the platform's recharge_id
        provider_ref text NOT NULL CHECK (provider_ref ~ '^[A-Za-z0-9_.:-]{1,255}$'),
        user_id text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        method text NOT NULL CHECK (method IN ('card', 'paypal', 'google_pay', 'apple_pay', 'app_store', 'play_store')),
        coins bigint NOT NULL CHECK (coins > 0 AND coins <= 1000000000000000),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0 AND amount_minor <= 1000000000000000),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        package_id text CHECK (length(package_id) BETWEEN 1 AND 64),
        card_fingerprint text CHECK (card_fingerprint ~ '^[A-Za-z0-9_-]{1,64}$'),
        card_brand text CHECK (length(card_brand) BETWEEN 1 AND 40),
        card_last4 char(4) CHECK (card_last4 ~ '^[0-9]{4}$'),
        bin_country char(2) CHECK (bin_country ~ '^[A-Z]{2}$'),
        wallet text CHECK (wallet ~ '^[a-z_]{1,40}$'),
        device_id text CHECK (length(device_id) BETWEEN 1 AND 200),
        ip text CHECK (length(ip) BETWEEN 2 AND 64),
        state text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'credited', 'held', 'blocked_pending_refund', 'refunded', 'charged_back')),
        decision text CHECK (decision IN ('allow', 'review', 'block')),
        risk_score smallint CHECK (risk_score BETWEEN 0 AND 100),
        risk_decision_id text,
        -- the ledger entry of the credit or hold (null while unevaluated and when blocked)
        ledger_transaction_id text,
        evaluated_at timestamptz,
        source_event_id text CHECK (length(source_event_id) BETWEEN 1 AND 255),
        -- when the payment happened, in the provider's clock
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX recharges_provider_ref ON recharges (provider, provider_ref)`);
    await q.query(`CREATE INDEX recharges_user ON recharges (user_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX recharges_card ON recharges (card_fingerprint, occurred_at DESC) WHERE card_fingerprint IS NOT NULL`);
    await q.query(`CREATE INDEX recharges_state ON recharges (state, created_at)`);
    await q.query(`CREATE INDEX recharges_created_at ON recharges (created_at DESC, id)`);
    await q.query(`CREATE TRIGGER recharges_no_delete BEFORE DELETE ON recharges FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER recharges_no_truncate BEFORE TRUNCATE ON recharges FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recharges, provider_events`);
    await q.query(`DROP FUNCTION provider_events_guard()`);
  }
}
