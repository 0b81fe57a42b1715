import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chargebacks, early fraud warnings and the chargeback-ratio monitor (docs/chargebacks.md): one row per
 * provider dispute with the ledger entries it made, the creators' diamonds earned from disputed coins
 * (read by payouts to hold them), one row per early fraud warning, the ratio thresholds as data (seeded
 * with the card schemes' programmes) and the monthly rollup the hourly job refreshes. Alerts from other
 * sources than a rule, and review items that carry no ledger hold, become possible.
 */
export class Chargebacks1764288800000 implements MigrationInterface {
  name = 'Chargebacks1764288800000';

  async up(q: QueryRunner): Promise<void> {
    const noDelete = async (table: string) => {
      await q.query(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
    };

    await q.query(`
      CREATE TABLE chargebacks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recharge_id uuid NOT NULL REFERENCES recharges (id),
        user_id text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        provider text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{0,31}$'),
        dispute_id text NOT NULL CHECK (dispute_id ~ '^[A-Za-z0-9_.:-]{1,255}$'),
        charge_id text NOT NULL CHECK (length(charge_id) BETWEEN 1 AND 255),
        state text NOT NULL CHECK (state IN ('inquiry','inquiry_closed','opened','needs_response','under_review','won','lost')),
        provider_status text NOT NULL CHECK (provider_status ~ '^[a-z_]{1,40}$'),
        reason text CHECK (length(reason) BETWEEN 1 AND 100),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0 AND amount_minor <= 1000000000000000),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        coins_clawed_back bigint NOT NULL DEFAULT 0 CHECK (coins_clawed_back >= 0),
        fee_minor bigint NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
        evidence_due_by timestamptz,
        -- the provider time of the newest event applied, and its status rank (ties): older events never move it back
        provider_updated_at timestamptz NOT NULL,
        status_rank smallint NOT NULL,
        -- when the dispute was opened, in the provider's clock: the month it counts in for the ratio
        disputed_at timestamptz NOT NULL,
        clawback_transaction_id text,
        hold_void_transaction_id text,
        reversal_transaction_id text,
        fee_transaction_id text,
        review_id uuid REFERENCES review_items (id),
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chargebacks_dispute UNIQUE (provider, dispute_id),
        CONSTRAINT chargebacks_closed CHECK ((state IN ('won','lost','inquiry_closed')) = (closed_at IS NOT NULL)),
        CONSTRAINT chargebacks_reversal_after_clawback CHECK (reversal_transaction_id IS NULL OR clawback_transaction_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX chargebacks_recharge ON chargebacks (recharge_id)`);
    await q.query(`CREATE INDEX chargebacks_user ON chargebacks (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX chargebacks_created_at ON chargebacks (created_at DESC, id)`);
    await q.query(`CREATE INDEX chargebacks_evidence_due ON chargebacks (evidence_due_by) WHERE state IN ('opened','needs_response')`);
    await q.query(`CREATE INDEX chargebacks_disputed_at ON chargebacks (disputed_at)`);
    await noDelete('chargebacks');

    // Diamonds a creator earned from disputed coins. Payouts hold SUM(diamonds) WHERE released_at IS NULL.
    await q.query(`
      CREATE TABLE creator_diamonds_at_risk (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        creator_id text NOT NULL CHECK (creator_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        chargeback_id uuid NOT NULL REFERENCES chargebacks (id),
        gift_id text NOT NULL CHECK (length(gift_id) BETWEEN 1 AND 100),
        coins bigint NOT NULL CHECK (coins > 0),
        diamonds bigint NOT NULL CHECK (diamonds >= 0),
        policy text NOT NULL CHECK (policy IN ('hold','claw_back')),
        -- released: the chargeback was won; written_off: lost, the platform bears it; clawed_back: taken from the creator at once
        resolution text CHECK (resolution IN ('released','written_off','clawed_back')),
        ledger_transaction_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        CONSTRAINT creator_diamonds_at_risk_gift UNIQUE (chargeback_id, gift_id),
        CONSTRAINT creator_diamonds_at_risk_resolved CHECK ((resolution IS NULL) = (released_at IS NULL))
      )`);
    await q.query(`CREATE INDEX creator_diamonds_at_risk_open ON creator_diamonds_at_risk (creator_id) WHERE released_at IS NULL`);
    await noDelete('creator_diamonds_at_risk');

    await q.query(`
      CREATE TABLE early_fraud_warnings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{0,31}$'),
        warning_id text NOT NULL CHECK (warning_id ~ '^[A-Za-z0-9_.:-]{1,255}$'),
        charge_id text NOT NULL CHECK (length(charge_id) BETWEEN 1 AND 255),
        recharge_id uuid NOT NULL REFERENCES recharges (id),
        user_id text NOT NULL CHECK (user_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
        fraud_type text NOT NULL CHECK (length(fraud_type) BETWEEN 1 AND 100),
        actionable boolean NOT NULL,
        warned_at timestamptz NOT NULL,
        review_id uuid REFERENCES review_items (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT early_fraud_warnings_warning UNIQUE (provider, warning_id)
      )`);
    await q.query(`CREATE INDEX early_fraud_warnings_warned_at ON early_fraud_warnings (warned_at)`);
    await q.query(`CREATE TRIGGER early_fraud_warnings_append_only BEFORE UPDATE OR DELETE ON early_fraud_warnings FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER early_fraud_warnings_no_truncate BEFORE TRUNCATE ON early_fraud_warnings FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // Thresholds as data (basis points: 150 = 1.5 %); defaults and their sources in docs/chargebacks.md.
    await q.query(`
      CREATE TABLE chargeback_ratio_thresholds (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{1,64}$'),
        programme text NOT NULL CHECK (length(programme) BETWEEN 1 AND 100),
        level text NOT NULL CHECK (level IN ('early_warning','warning','excessive','high_excessive')),
        -- the card brand it watches (null: every key)
        card_brand text CHECK (length(card_brand) BETWEEN 1 AND 40),
        min_count integer NOT NULL CHECK (min_count BETWEEN 0 AND 10000000),
        ratio_bps integer NOT NULL CHECK (ratio_bps BETWEEN 1 AND 10000),
        -- VAMP counts fraud reports (early fraud warnings) as well as disputes
        counts_fraud_warnings boolean NOT NULL DEFAULT false,
        -- Mastercard divides by the previous month's transactions
        denominator text NOT NULL CHECK (denominator IN ('same_month','previous_month')),
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO chargeback_ratio_thresholds (id, programme, level, card_brand, min_count, ratio_bps, counts_fraud_warnings, denominator, source) VALUES
        ('visa_vdmp_early_warning', 'Visa VDMP (retired, internal warning line)', 'early_warning', 'visa', 75, 65, false, 'same_month', 'Visa Dispute Monitoring Program: early warning at 75 disputes and 0.65 % (retired 2025)'),
        ('visa_vdmp_standard', 'Visa VDMP (retired, internal warning line)', 'warning', 'visa', 100, 90, false, 'same_month', 'Visa Dispute Monitoring Program: standard at 100 disputes and 0.9 % (retired 2025)'),
        ('visa_vamp_excessive', 'Visa VAMP', 'excessive', 'visa', 1500, 150, true, 'same_month', 'Visa Acquirer Monitoring Program: (fraud reports + disputes) / settled transactions, excessive at >= 1.5 % from April 2026 with >= 1,500'),
        ('mastercard_cmm', 'Mastercard CMM', 'warning', 'mastercard', 100, 100, false, 'previous_month', 'Mastercard Excessive Chargeback Program: Chargeback-Monitored Merchant at 100 chargebacks and 1.0 % of the previous month''s transactions'),
        ('mastercard_ecm', 'Mastercard ECM', 'excessive', 'mastercard', 100, 150, false, 'previous_month', 'Mastercard Excessive Chargeback Program: Excessive Chargeback Merchant at 100-299 chargebacks and 1.5 %'),
        ('mastercard_hecm', 'Mastercard HECM', 'high_excessive', 'mastercard', 300, 300, false, 'previous_month', 'Mastercard Excessive Chargeback Program: High Excessive Chargeback Merchant at 300 chargebacks and 3 %')`);

    // The monthly rollup per provider x method x card brand, refreshed by the hourly job; the chart reads it.
    await q.query(`
      CREATE TABLE chargeback_ratio_months (
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        provider text NOT NULL,
        method text NOT NULL,
        card_brand text NOT NULL,
        transactions bigint NOT NULL CHECK (transactions >= 0),
        disputes bigint NOT NULL CHECK (disputes >= 0),
        fraud_warnings bigint NOT NULL CHECK (fraud_warnings >= 0),
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (month, provider, method, card_brand)
      )`);

    // Alerts from other sources than a rule: an early fraud warning, a ratio threshold crossed.
    await q.query(`
      ALTER TABLE risk_alerts
        ADD COLUMN source text NOT NULL DEFAULT 'rule' CHECK (source IN ('rule','early_fraud_warning','chargeback_ratio')),
        ALTER COLUMN decision_id DROP NOT NULL,
        ALTER COLUMN rule_id DROP NOT NULL,
        ALTER COLUMN rule_version DROP NOT NULL,
        ALTER COLUMN user_id DROP NOT NULL,
        ADD CONSTRAINT risk_alerts_rule_source CHECK (source <> 'rule' OR (decision_id IS NOT NULL AND rule_id IS NOT NULL AND rule_version IS NOT NULL AND user_id IS NOT NULL))`);
    // Once per source, key and subject: a warning alerts once per recharge, a ratio level once per month and key.
    await q.query(`CREATE UNIQUE INDEX risk_alerts_other_source_once ON risk_alerts (source, rule_key, subject_id) WHERE source <> 'rule'`);

    // Review items of a chargeback or an early fraud warning name their recharge without a ledger hold.
    await q.query(`
      ALTER TABLE review_item_recharges
        ALTER COLUMN hold_transaction_id DROP NOT NULL,
        DROP CONSTRAINT review_item_recharges_resolved,
        ADD CONSTRAINT review_item_recharges_resolved CHECK (
          (outcome IS NULL) = (resolved_at IS NULL)
          AND (resolution_transaction_id IS NULL OR outcome IS NOT NULL)
          AND (hold_transaction_id IS NULL OR (outcome IS NULL) = (resolution_transaction_id IS NULL)))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_item_recharges
        DROP CONSTRAINT review_item_recharges_resolved,
        ADD CONSTRAINT review_item_recharges_resolved CHECK ((outcome IS NULL) = (resolved_at IS NULL) AND (outcome IS NULL) = (resolution_transaction_id IS NULL)),
        ALTER COLUMN hold_transaction_id SET NOT NULL`);
    await q.query(`DROP INDEX risk_alerts_other_source_once`);
    await q.query(`
      ALTER TABLE risk_alerts
        DROP CONSTRAINT risk_alerts_rule_source,
        ALTER COLUMN user_id SET NOT NULL,
        ALTER COLUMN rule_version SET NOT NULL,
        ALTER COLUMN rule_id SET NOT NULL,
        ALTER COLUMN decision_id SET NOT NULL,
        DROP COLUMN source`);
    await q.query(`DROP TABLE chargeback_ratio_months, chargeback_ratio_thresholds, early_fraud_warnings, creator_diamonds_at_risk, chargebacks`);
  }
}
