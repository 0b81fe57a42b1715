import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry ledger (DESIGN §3, docs/ledger.md): assets, accounts, transactions, postings and
 * remembered refusals. The database, not only libs/ledger, guarantees:
 * - the journal (transactions, postings, refusals) is append-only;
 * - balances move only when postings are inserted: one statement-level trigger applies them, and a
 *   direct UPDATE of a balance column is refused;
 * - every inserted statement of postings balances to zero per transaction, asset and kind, continues
 *   each account's running balance, and leaves no `forbid` account below zero except by a chargeback;
 * - a pending transaction is posted or voided once (unique `pending_id`), a transaction reversed once.
 * Hot-path choices (statement-level checks instead of per-row foreign keys, fillfactor) are in docs/ledger.md.
 */
export class Ledger1764288100000 implements MigrationInterface {
  name = 'Ledger1764288100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_assets (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z]+$' AND length(code) BETWEEN 3 AND 8),
        kind text NOT NULL CHECK (kind IN ('virtual', 'currency')),
        scale smallint NOT NULL CHECK (scale BETWEEN 0 AND 4)
      )`);
    await q.query(`INSERT INTO ledger_assets (code, kind, scale) VALUES ('COIN', 'virtual', 0), ('DIAMOND', 'virtual', 0)`);
    await q.query(
      `INSERT INTO ledger_assets (code, kind, scale) SELECT code, 'currency', scale FROM unnest($1::text[], $2::smallint[]) AS c(code, scale)`,
      [Object.keys(ISO_4217_SCALES), Object.values(ISO_4217_SCALES)],
    );
    await q.query(`CREATE TRIGGER ledger_assets_append_only BEFORE UPDATE OR DELETE ON ledger_assets FOR EACH ROW EXECUTE FUNCTION append_only()`);

    await q.query(`
      CREATE TABLE ledger_accounts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- (bounded repetitions like {3,200} make PostgreSQL's regex ~20x slower: length() bounds instead)
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.:#-]+$' AND length(code) BETWEEN 3 AND 200),
        asset text NOT NULL REFERENCES ledger_assets (code),
        kind text NOT NULL CHECK (kind IN ('user', 'creator', 'platform', 'provider')),
        owner_id text CHECK (length(owner_id) BETWEEN 1 AND 64),
        overdraft text NOT NULL CHECK (overdraft IN ('forbid', 'allow')),
        posted bigint NOT NULL DEFAULT 0,
        pending_debits bigint NOT NULL DEFAULT 0 CHECK (pending_debits >= 0),
        pending_credits bigint NOT NULL DEFAULT 0 CHECK (pending_credits >= 0),
        -- number of postings applied: a change of balance without a posting shows as a mismatch
        version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_accounts_code_key UNIQUE (code),
        CONSTRAINT ledger_accounts_owner CHECK ((kind IN ('user', 'creator')) = (owner_id IS NOT NULL))
      ) WITH (fillfactor = 70)`);
    // fillfactor 70: a balance update finds room on its page (a HOT update, no index touched).
    await q.query(`CREATE INDEX ledger_accounts_owner_idx ON ledger_accounts (kind, owner_id) WHERE owner_id IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION ledger_refuse_balance_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_accounts %: balances and identity change only by inserting ledger_postings (% refused)', OLD.code, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION ledger_refuse_opening_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_accounts %: an account opens with zero balances', NEW.code USING ERRCODE = 'check_violation';
      END $$`);
    // Depth 0 is a statement sent by a client; the posting trigger's own UPDATE runs at depth 1.
    await q.query(`
      CREATE TRIGGER ledger_accounts_balance_guard BEFORE UPDATE ON ledger_accounts FOR EACH ROW
      WHEN (pg_trigger_depth() = 0 AND (
        (OLD.posted, OLD.pending_debits, OLD.pending_credits, OLD.version, OLD.code, OLD.asset, OLD.kind, OLD.owner_id)
        IS DISTINCT FROM (NEW.posted, NEW.pending_debits, NEW.pending_credits, NEW.version, NEW.code, NEW.asset, NEW.kind, NEW.owner_id)))
      EXECUTE FUNCTION ledger_refuse_balance_change()`);
    await q.query(`
      CREATE TRIGGER ledger_accounts_zero_opening BEFORE INSERT ON ledger_accounts FOR EACH ROW
      WHEN (NEW.posted <> 0 OR NEW.pending_debits <> 0 OR NEW.pending_credits <> 0 OR NEW.version <> 0)
      EXECUTE FUNCTION ledger_refuse_opening_balance()`);
    await q.query(`CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // pending_id and reverses_id have no foreign key: the target trigger below checks them (and more),
    // and nothing is ever deleted. Fewer per-row checks on the hot path.
    await q.query(`
      CREATE TABLE ledger_transactions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        -- sha-256 of the request body: the same key with another body is a conflict
        body_hash bytea NOT NULL CHECK (length(body_hash) = 32),
        type text NOT NULL CHECK (type ~ '^[a-z][a-z_]*$' AND length(type) <= 40),
        -- single: posted at once; pending: a hold; post / void: resolves the hold named by pending_id
        phase text NOT NULL CHECK (phase IN ('single', 'pending', 'post', 'void')),
        pending_id bigint,
        reverses_id bigint,
        reason text CHECK (length(reason) BETWEEN 1 AND 500),
        reference_type text CHECK (reference_type ~ '^[a-z][a-z_]*$' AND length(reference_type) <= 40),
        reference_id text CHECK (length(reference_id) BETWEEN 1 AND 100),
        metadata jsonb CHECK (jsonb_typeof(metadata) = 'object' AND pg_column_size(metadata) <= 4096),
        -- when the database transaction that wrote it began (a posting's created_at is when it was applied)
        created_at timestamptz NOT NULL DEFAULT now(),
        -- postings may only be attached by the database transaction that wrote this row
        created_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT ledger_transactions_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT ledger_transactions_pending_phase CHECK ((phase IN ('post', 'void')) = (pending_id IS NOT NULL)),
        CONSTRAINT ledger_transactions_reversal_phase CHECK (reverses_id IS NULL OR phase = 'single'),
        CONSTRAINT ledger_transactions_reference CHECK ((reference_type IS NULL) = (reference_id IS NULL)),
        CONSTRAINT ledger_transactions_backwards CHECK (pending_id < id AND reverses_id < id)
      )`);
    // A hold is resolved (posted or voided) once; a transaction is reversed once.
    await q.query(`CREATE UNIQUE INDEX ledger_transactions_resolved_once ON ledger_transactions (pending_id) WHERE pending_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX ledger_transactions_reversed_once ON ledger_transactions (reverses_id) WHERE reverses_id IS NOT NULL`);
    // The console's ledger-transactions list filters by reference and by time range.
    await q.query(`CREATE INDEX ledger_transactions_reference_id ON ledger_transactions (reference_id) WHERE reference_id IS NOT NULL`);
    await q.query(`CREATE INDEX ledger_transactions_created_at ON ledger_transactions (created_at, id)`);
    // No index on (reference_type, reference_id): a business record finds its entry by idempotency key
    // (`gift:<id>`, `recharge:<id>`), and what resolves or reverses it by pending_id / reverses_id.
    await q.query(`
      CREATE FUNCTION ledger_check_transaction_target() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target_phase text;
      BEGIN
        IF NEW.pending_id IS NOT NULL THEN
          SELECT phase INTO target_phase FROM ledger_transactions WHERE id = NEW.pending_id;
          IF target_phase IS DISTINCT FROM 'pending' THEN
            RAISE EXCEPTION 'ledger transaction %: only a pending transaction can be posted or voided (% is %)', NEW.idempotency_key, NEW.pending_id, coalesce(target_phase, 'missing')
              USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        IF NEW.reverses_id IS NOT NULL THEN
          SELECT phase INTO target_phase FROM ledger_transactions WHERE id = NEW.reverses_id;
          IF target_phase IS NULL OR target_phase NOT IN ('single', 'post') THEN
            RAISE EXCEPTION 'ledger transaction %: only a posted transaction can be reversed (% is %)', NEW.idempotency_key, NEW.reverses_id, coalesce(target_phase, 'missing')
              USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_transactions_target BEFORE INSERT ON ledger_transactions FOR EACH ROW
      WHEN (NEW.pending_id IS NOT NULL OR NEW.reverses_id IS NOT NULL)
      EXECUTE FUNCTION ledger_check_transaction_target()`);
    await q.query(`CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // transaction_id and account_id are checked by ledger_apply_postings once per statement (existence,
    // and the posting's asset is its account's), instead of two foreign-key lookups per row.
    await q.query(`
      CREATE TABLE ledger_postings (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id bigint NOT NULL,
        account_id bigint NOT NULL,
        asset text NOT NULL,
        -- posted moves the posted balance; hold reserves (pending); release ends a hold (posted or voided)
        kind text NOT NULL CHECK (kind IN ('posted', 'hold', 'release')),
        -- signed: a debit is negative, a credit positive; limited so no sum of postings can overflow
        amount bigint NOT NULL CHECK (amount <> 0 AND amount BETWEEN -1000000000000000 AND 1000000000000000),
        -- the account's posted balance just after this posting
        running_balance bigint NOT NULL,
        released_id bigint,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ledger_postings_release CHECK ((kind = 'release') = (released_id IS NOT NULL))
      )`);
    // History and balance-at-a-moment of one account; per account, created_at follows id (rows are locked).
    await q.query(`CREATE INDEX ledger_postings_account_time ON ledger_postings (account_id, created_at, id)`);
    await q.query(`CREATE INDEX ledger_postings_transaction ON ledger_postings (transaction_id)`);
    await q.query(`CREATE UNIQUE INDEX ledger_postings_released_once ON ledger_postings (released_id) WHERE released_id IS NOT NULL`);
    await q.query(APPLY_POSTINGS_FUNCTION);
    await q.query(`
      CREATE TRIGGER ledger_postings_apply AFTER INSERT ON ledger_postings
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_postings()`);
    await q.query(`CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);

    // An operation refused for insufficient funds is remembered under its key, so a replay gets the same answer.
    await q.query(`
      CREATE TABLE ledger_rejections (
        idempotency_key text PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        body_hash bytea NOT NULL CHECK (length(body_hash) = 32),
        account_id bigint NOT NULL REFERENCES ledger_accounts (id),
        available bigint NOT NULL,
        requested bigint NOT NULL CHECK (requested > 0),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE TRIGGER ledger_rejections_append_only BEFORE UPDATE OR DELETE ON ledger_rejections FOR EACH ROW EXECUTE FUNCTION append_only()`);
    await q.query(`CREATE TRIGGER ledger_rejections_no_truncate BEFORE TRUNCATE ON ledger_rejections FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_rejections, ledger_postings, ledger_transactions, ledger_accounts, ledger_assets`);
    await q.query(`DROP FUNCTION ledger_apply_postings(), ledger_check_transaction_target(), ledger_refuse_balance_change(), ledger_refuse_opening_balance()`);
  }
}

/**
 * Applies one INSERT statement of postings to the balances, after checking it. Statement-level with a
 * transition table: a batch of gifts updates each account once, whatever the number of its postings.
 */
const APPLY_POSTINGS_FUNCTION = `
CREATE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shape record;
  bad record;
  applied record;
BEGIN
  -- Shape: each transaction exists, was written by this database transaction, and its phase allows these
  -- kinds. One index lookup per transaction: LATERAL with OFFSET 0 (not flattened into a join), so the
  -- journal is never scanned, whatever its statistics say.
  SELECT min(g.transaction_id) FILTER (
           WHERE t.id IS NULL OR t.created_xid <> pg_current_xact_id()
              OR NOT CASE t.phase WHEN 'single' THEN g.only_posted WHEN 'pending' THEN g.only_holds WHEN 'void' THEN g.only_releases ELSE g.no_holds END) AS bad_id,
         -- debits that skip the overdraft check: a chargeback's clawback, posting a hold that was reserved
         coalesce(array_agg(g.transaction_id) FILTER (WHERE t.phase = 'post' OR t.type = 'chargeback'), '{}') AS exempt_ids
  INTO shape
  FROM (SELECT transaction_id, bool_and(kind = 'posted') AS only_posted, bool_and(kind = 'hold') AS only_holds,
               bool_and(kind = 'release') AS only_releases, bool_and(kind <> 'hold') AS no_holds
        FROM inserted GROUP BY transaction_id) g
  LEFT JOIN LATERAL (SELECT id, phase, type, created_xid FROM ledger_transactions WHERE id = g.transaction_id OFFSET 0) t ON true;
  IF shape.bad_id IS NOT NULL THEN
    SELECT t.idempotency_key, t.phase, t.created_xid = pg_current_xact_id() AS own INTO bad FROM ledger_transactions t WHERE t.id = shape.bad_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger postings name transaction %, which does not exist', shape.bad_id USING ERRCODE = 'foreign_key_violation';
    ELSIF NOT bad.own THEN
      RAISE EXCEPTION 'ledger transaction %: postings are added only by the database transaction that wrote it', bad.idempotency_key USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'ledger transaction %: these kinds of posting cannot belong to a % transaction', bad.idempotency_key, bad.phase USING ERRCODE = 'check_violation';
  END IF;

  -- Nothing is created or lost: per transaction, asset and kind, the amounts sum to zero.
  SELECT n.transaction_id, n.asset, n.kind, sum(n.amount) AS total INTO bad
  FROM inserted n GROUP BY n.transaction_id, n.asset, n.kind HAVING sum(n.amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction %: % % postings sum to %, not zero', bad.transaction_id, bad.asset, bad.kind, bad.total
      USING ERRCODE = 'check_violation';
  END IF;

  IF EXISTS (SELECT 1 FROM inserted WHERE kind = 'release') THEN
    -- A release ends exactly one hold of the pending transaction it resolves, on the same account and amount.
    SELECT r.id INTO bad
    FROM inserted r
    CROSS JOIN LATERAL (SELECT pending_id FROM ledger_transactions WHERE id = r.transaction_id OFFSET 0) rt
    LEFT JOIN LATERAL (SELECT id, kind, account_id, amount, transaction_id FROM ledger_postings WHERE id = r.released_id OFFSET 0) h ON true
    WHERE r.kind = 'release'
      AND (h.id IS NULL OR h.kind <> 'hold' OR h.account_id <> r.account_id OR h.amount <> r.amount OR h.transaction_id <> rt.pending_id)
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'ledger posting %: a release must match a hold of the transaction it resolves', bad.id USING ERRCODE = 'check_violation';
    END IF;
    -- Resolving a hold releases all of it, and posts on each account at most what was held, same direction.
    SELECT rt.id INTO bad
    FROM (SELECT DISTINCT transaction_id FROM inserted WHERE kind = 'release') x
    CROSS JOIN LATERAL (SELECT id, pending_id FROM ledger_transactions WHERE id = x.transaction_id OFFSET 0) rt
    WHERE ((SELECT count(*) FROM ledger_postings h WHERE h.transaction_id = rt.pending_id)
           <> (SELECT count(*) FROM inserted r WHERE r.transaction_id = rt.id AND r.kind = 'release')
        OR EXISTS (
          SELECT 1 FROM inserted p
          WHERE p.transaction_id = rt.id AND p.kind = 'posted'
            AND NOT EXISTS (SELECT 1 FROM inserted r WHERE r.transaction_id = rt.id AND r.kind = 'release' AND r.account_id = p.account_id
                            AND sign(r.amount) = sign(p.amount) AND abs(p.amount) <= abs(r.amount))))
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'ledger transaction %: must release every hold and post no more than was held', bad.id USING ERRCODE = 'check_violation';
    END IF;
  END IF;

  -- Apply, once per account. An account is updated only if it exists, has the postings' asset, and its
  -- posted balance is where the postings' running balances start (base); any other account is a refusal.
  -- Overdraft: a forbid account debited here (not by a chargeback's clawback, not by posting a hold
  -- that was reserved) must end with available = posted - pending debits >= 0.
  WITH d AS (
    SELECT account_id, min(asset) AS asset, max(asset) AS asset_max, min(base) AS base, max(base) AS base_max,
           coalesce(sum(amount) FILTER (WHERE kind = 'posted'), 0) AS posted_delta,
           coalesce(sum(-amount) FILTER (WHERE kind = 'hold' AND amount < 0), 0)
             - coalesce(sum(-amount) FILTER (WHERE kind = 'release' AND amount < 0), 0) AS pending_debits_delta,
           coalesce(sum(amount) FILTER (WHERE kind = 'hold' AND amount > 0), 0)
             - coalesce(sum(amount) FILTER (WHERE kind = 'release' AND amount > 0), 0) AS pending_credits_delta,
           count(*) AS postings,
           bool_or(checks_funds) AS debited
    FROM (
      SELECT n.account_id, n.asset, n.kind, n.amount,
             n.running_balance - sum(CASE WHEN n.kind = 'posted' THEN n.amount ELSE 0 END) OVER (PARTITION BY n.account_id ORDER BY n.id) AS base,
             n.amount < 0 AND n.kind <> 'release' AND n.transaction_id <> ALL (shape.exempt_ids) AS checks_funds
      FROM inserted n
    ) p
    GROUP BY account_id
  ), u AS (
    UPDATE ledger_accounts a
    SET posted = a.posted + d.posted_delta,
        pending_debits = a.pending_debits + d.pending_debits_delta,
        pending_credits = a.pending_credits + d.pending_credits_delta,
        version = a.version + d.postings,
        updated_at = now()
    FROM d
    WHERE a.id = d.account_id AND a.asset = d.asset AND d.asset_max = d.asset AND a.posted = d.base AND d.base_max = d.base
    RETURNING a.id, CASE WHEN a.overdraft = 'forbid' AND d.debited AND a.posted - a.pending_debits < 0 THEN a.code END AS overdrawn_code,
              a.posted - a.pending_debits AS available
  )
  SELECT (SELECT count(*) FROM d) AS expected, count(*) AS updated, array_agg(u.id) AS ids,
         min(u.overdrawn_code) AS overdrawn_code, min(u.available) FILTER (WHERE u.overdrawn_code IS NOT NULL) AS overdrawn_available
  INTO applied FROM u;

  IF applied.updated <> applied.expected THEN
    SELECT n.id, n.account_id, a.code, a.asset AS account_asset, n.asset INTO bad
    FROM inserted n LEFT JOIN ledger_accounts a ON a.id = n.account_id
    WHERE n.account_id <> ALL (coalesce(applied.ids, '{}'))
    ORDER BY (a.id IS NULL) DESC, (a.asset IS DISTINCT FROM n.asset) DESC
    LIMIT 1;
    IF bad.code IS NULL THEN
      RAISE EXCEPTION 'ledger posting %: account % does not exist', bad.id, bad.account_id USING ERRCODE = 'foreign_key_violation';
    ELSIF bad.account_asset <> bad.asset THEN
      RAISE EXCEPTION 'ledger posting %: % is a % account, not %', bad.id, bad.code, bad.account_asset, bad.asset USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'ledger account %: running balances do not continue its posted balance', bad.code USING ERRCODE = 'check_violation';
  END IF;
  IF applied.overdrawn_code IS NOT NULL THEN
    RAISE EXCEPTION 'ledger account %: available balance would be %', applied.overdrawn_code, applied.overdrawn_available USING ERRCODE = 'check_violation';
  END IF;

  RETURN NULL;
END $$`;

/** ISO 4217 currencies in use and their minor-unit exponents (frozen here; libs/ledger keeps the same table). */
const ISO_4217_SCALES: Record<string, number> = {
  AED: 2, AFN: 2, ALL: 2, AMD: 2, ANG: 2, AOA: 2, ARS: 2, AUD: 2, AWG: 2, AZN: 2, BAM: 2, BBD: 2, BDT: 2,
  BGN: 2, BHD: 3, BIF: 0, BMD: 2, BND: 2, BOB: 2, BRL: 2, BSD: 2, BTN: 2, BWP: 2, BYN: 2, BZD: 2, CAD: 2,
  CDF: 2, CHF: 2, CLF: 4, CLP: 0, CNY: 2, COP: 2, CRC: 2, CUP: 2, CVE: 2, CZK: 2, DJF: 0, DKK: 2, DOP: 2,
  DZD: 2, EGP: 2, ERN: 2, ETB: 2, EUR: 2, FJD: 2, FKP: 2, GBP: 2, GEL: 2, GHS: 2, GIP: 2, GMD: 2, GNF: 0,
  GTQ: 2, GYD: 2, HKD: 2, HNL: 2, HTG: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, IQD: 3, IRR: 2, ISK: 0, JMD: 2,
  JOD: 3, JPY: 0, KES: 2, KGS: 2, KHR: 2, KMF: 0, KPW: 2, KRW: 0, KWD: 3, KYD: 2, KZT: 2, LAK: 2, LBP: 2,
  LKR: 2, LRD: 2, LSL: 2, LYD: 3, MAD: 2, MDL: 2, MGA: 2, MKD: 2, MMK: 2, MNT: 2, MOP: 2, MRU: 2, MUR: 2,
  MVR: 2, MWK: 2, MXN: 2, MYR: 2, MZN: 2, NAD: 2, NGN: 2, NIO: 2, NOK: 2, NPR: 2, NZD: 2, OMR: 3, PAB: 2,
  PEN: 2, PGK: 2, PHP: 2, PKR: 2, PLN: 2, PYG: 0, QAR: 2, RON: 2, RSD: 2, RUB: 2, RWF: 0, SAR: 2, SBD: 2,
  SCR: 2, SDG: 2, SEK: 2, SGD: 2, SHP: 2, SLE: 2, SOS: 2, SRD: 2, SSP: 2, STN: 2, SVC: 2, SYP: 2, SZL: 2,
  THB: 2, TJS: 2, TMT: 2, TND: 3, TOP: 2, TRY: 2, TTD: 2, TWD: 2, TZS: 2, UAH: 2, UGX: 0, USD: 2, UYI: 0,
  UYU: 2, UYW: 4, UZS: 2, VES: 2, VND: 0, VUV: 0, WST: 2, XAF: 0, XCD: 2, XCG: 2, XOF: 0, XPF: 0, YER: 2,
  ZAR: 2, ZMW: 2, ZWG: 2,
};
