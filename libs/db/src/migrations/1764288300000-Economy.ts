import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The economy around the ledger (DESIGN §2, §7; docs/economy.md): its configuration as integer ratios
 * and coin packages, the platform's users and creators as the signed events describe them, every
 * accepted platform event with the answer it got (so a replayed event id answers the same), the gifts,
 * and the runs of the ledger verification. Balances are not here: the ledger is their only source.
 */
export class Economy1764288300000 implements MigrationInterface {
  name = 'Economy1764288300000';

  async up(q: QueryRunner): Promise<void> {
    const platformId = (column: string, nullable = false) =>
      `${column} text ${nullable ? '' : 'NOT NULL'} CHECK (${column} ~ '^[A-Za-z0-9_.-]{1,64}$')`;
    const noDelete = async (table: string) => {
      await q.query(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
    };

    // Conversions are integer fractions; what rounding drops is booked to the named platform account.
    await q.query(`
      CREATE TABLE economy_ratios (
        key text PRIMARY KEY CHECK (key ~ '^(diamonds_per_coin|cash_minor_per_diamond:[A-Z]{3})$'),
        numerator bigint NOT NULL CHECK (numerator BETWEEN 0 AND 1000000000),
        denominator bigint NOT NULL CHECK (denominator BETWEEN 1 AND 1000000000),
        remainder_account text NOT NULL CHECK (remainder_account ~ '^platform:[a-z0-9_:]{1,80}$'),
        description text NOT NULL CHECK (length(description) <= 500),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The creator earns half a gift's value (1 diamond per 2 coins); a diamond pays half a cent.
    await q.query(`
      INSERT INTO economy_ratios (key, numerator, denominator, remainder_account, description) VALUES
        ('diamonds_per_coin', 1, 2, 'platform:coins:rounding', 'Diamonds a creator earns per gifted coin'),
        ('cash_minor_per_diamond:USD', 1, 2, 'platform:payouts:rounding:usd', 'US cents paid per diamond'),
        ('cash_minor_per_diamond:EUR', 1, 2, 'platform:payouts:rounding:eur', 'Euro cents paid per diamond')`);

    await q.query(`
      CREATE TABLE coin_packages (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{1,64}$'),
        coins bigint NOT NULL CHECK (coins > 0 AND coins <= 1000000000),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE coin_package_prices (
        package_id text NOT NULL REFERENCES coin_packages (id),
        currency text NOT NULL REFERENCES ledger_assets (code) CHECK (currency ~ '^[A-Z]{3}$'),
        price_minor bigint NOT NULL CHECK (price_minor > 0 AND price_minor <= 100000000000),
        PRIMARY KEY (package_id, currency)
      )`);
    await q.query(`INSERT INTO coin_packages (id, coins) VALUES ('coins_70', 70), ('coins_350', 350), ('coins_1400', 1400)`);
    await q.query(`
      INSERT INTO coin_package_prices (package_id, currency, price_minor) VALUES
        ('coins_70', 'USD', 99), ('coins_70', 'EUR', 99),
        ('coins_350', 'USD', 499), ('coins_350', 'EUR', 499),
        ('coins_1400', 'USD', 1999), ('coins_1400', 'EUR', 1999)`);

    // A user row exists once a user.* event arrived, or a gift named the user first (profile_received false).
    await q.query(`
      CREATE TABLE users (
        ${platformId('id')} PRIMARY KEY,
        country text CHECK (country ~ '^[A-Z]{2}$'),
        email text CHECK (length(email) BETWEEN 3 AND 254),
        birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100),
        device_id text CHECK (length(device_id) BETWEEN 1 AND 200),
        ip text CHECK (length(ip) BETWEEN 2 AND 64),
        profile_received boolean NOT NULL DEFAULT false,
        -- occurred_at of the user.* event last applied: an older event arriving late changes nothing
        profile_occurred_at timestamptz,
        -- gifting is suspended while frozen (reported unauthorized activity, a rejected review...)
        frozen_at timestamptz,
        frozen_reason text CHECK (length(frozen_reason) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_frozen_reason CHECK ((frozen_at IS NULL) = (frozen_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX users_created_at ON users (created_at DESC, id)`);
    await noDelete('users');

    await q.query(`
      CREATE TABLE creators (
        ${platformId('id')} PRIMARY KEY,
        ${platformId('user_id', true)},
        country text CHECK (country ~ '^[A-Z]{2}$'),
        payout_currency text CHECK (payout_currency ~ '^[A-Z]{3}$'),
        kyc_status text NOT NULL DEFAULT 'none' CHECK (kyc_status IN ('none', 'pending', 'verified', 'rejected')),
        tax_form text CHECK (length(tax_form) BETWEEN 1 AND 64),
        profile_received boolean NOT NULL DEFAULT false,
        profile_occurred_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX creators_created_at ON creators (created_at DESC, id)`);
    await q.query(`CREATE INDEX creators_user ON creators (user_id) WHERE user_id IS NOT NULL`);
    await noDelete('creators');

    // Every accepted event, once, with the answer it got; events of later flows wait here (handled_at NULL).
    await q.query(`
      CREATE TABLE platform_events (
        id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,200}$'),
        type text NOT NULL CHECK (type ~ '^[a-z_]{1,40}\\.[a-z_]{1,40}$'),
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object' AND octet_length(data::text) <= 16384),
        body_hash text NOT NULL CHECK (body_hash ~ '^[0-9a-f]{64}$'),
        -- processed: acted on; rejected: refused with a 409 (remembered); stored: kept for a later flow
        status text NOT NULL CHECK (status IN ('processed', 'rejected', 'stored')),
        response_status smallint NOT NULL CHECK (response_status BETWEEN 200 AND 499),
        response jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        handled_at timestamptz,
        CONSTRAINT platform_events_handled CHECK (status = 'stored' OR handled_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX platform_events_unhandled ON platform_events (type, received_at) WHERE handled_at IS NULL`);
    await noDelete('platform_events');

    await q.query(`
      CREATE TABLE gifts (
        id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,100}$'),
        event_id text NOT NULL,
        ${platformId('sender_id')},
        ${platformId('creator_id')},
        coins bigint NOT NULL CHECK (coins > 0),
        diamonds bigint NOT NULL CHECK (diamonds >= 0),
        rounding_coins bigint NOT NULL CHECK (rounding_coins >= 0 AND rounding_coins <= coins),
        gift_type text CHECK (length(gift_type) BETWEEN 1 AND 64),
        live_session_id text CHECK (length(live_session_id) BETWEEN 1 AND 100),
        -- no index of its own: every gift row costs index writes on the hot path (docs/economy.md, "Throughput")
        ledger_transaction_id bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX gifts_created_at ON gifts (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX gifts_sender ON gifts (sender_id, created_at DESC)`);
    await q.query(`CREATE INDEX gifts_creator ON gifts (creator_id, created_at DESC)`);
    await q.query(`CREATE TRIGGER gifts_append_only BEFORE UPDATE OR DELETE ON gifts FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER gifts_no_truncate BEFORE TRUNCATE ON gifts FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // One row per verification: the hourly job's slot is unique, so a job delivered twice records (and alerts) once.
    await q.query(`
      CREATE TABLE ledger_verify_runs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slot text NOT NULL UNIQUE CHECK (length(slot) BETWEEN 1 AND 100),
        source text NOT NULL CHECK (source IN ('schedule', 'api')),
        ok boolean NOT NULL,
        violations integer NOT NULL CHECK (violations >= 0),
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        report jsonb NOT NULL CHECK (octet_length(report::text) <= 262144),
        checked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_verify_runs_checked_at ON ledger_verify_runs (checked_at DESC)`);
    await q.query(`CREATE TRIGGER ledger_verify_runs_append_only BEFORE UPDATE OR DELETE ON ledger_verify_runs FOR EACH ROW EXECUTE FUNCTION append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_verify_runs, gifts, platform_events, creators, users, coin_package_prices, coin_packages, economy_ratios`);
  }
}
