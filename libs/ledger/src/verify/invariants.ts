/**
 * Each invariant is one read-only query returning the offending rows (at most VIOLATIONS_PER_INVARIANT).
 * docs/ledger.md lists them; the posting trigger enforces the same rules as rows are written, these
 * queries catch anything that went around it (a disabled trigger, a restored backup, plain SQL).
 */
export const VIOLATIONS_PER_INVARIANT = 100;

export type InvariantName =
  | 'asset_sums_to_zero'
  | 'balance_equals_postings'
  | 'transaction_balanced'
  | 'running_balance'
  | 'no_overdraft'
  | 'pending_resolved_once'
  | 'reversal_mirrors_original';

/** Rows have `subject` and `detail`. */
export const INVARIANT_QUERIES: Readonly<Record<InvariantName, string>> = {
  asset_sums_to_zero: `
    SELECT asset AS subject, format('posted sums to %s; pending debits %s vs pending credits %s', sum(posted), sum(pending_debits), sum(pending_credits)) AS detail
    FROM ledger_accounts GROUP BY asset
    HAVING sum(posted) <> 0 OR sum(pending_debits) <> sum(pending_credits)`,

  balance_equals_postings: `
    SELECT a.code AS subject,
           format('posted %s / pending debits %s / pending credits %s / version %s, postings say %s / %s / %s / %s',
                  a.posted, a.pending_debits, a.pending_credits, a.version,
                  coalesce(s.posted, 0), coalesce(s.pending_debits, 0), coalesce(s.pending_credits, 0), coalesce(s.postings, 0)) AS detail
    FROM ledger_accounts a
    LEFT JOIN (
      SELECT account_id,
             sum(amount) FILTER (WHERE kind = 'posted') AS posted,
             coalesce(sum(-amount) FILTER (WHERE kind = 'hold' AND amount < 0), 0) - coalesce(sum(-amount) FILTER (WHERE kind = 'release' AND amount < 0), 0) AS pending_debits,
             coalesce(sum(amount) FILTER (WHERE kind = 'hold' AND amount > 0), 0) - coalesce(sum(amount) FILTER (WHERE kind = 'release' AND amount > 0), 0) AS pending_credits,
             count(*) AS postings
      FROM ledger_postings GROUP BY account_id
    ) s ON s.account_id = a.id
    WHERE (a.posted, a.pending_debits, a.pending_credits, a.version)
          IS DISTINCT FROM (coalesce(s.posted, 0), coalesce(s.pending_debits, 0), coalesce(s.pending_credits, 0), coalesce(s.postings, 0))
    LIMIT ${VIOLATIONS_PER_INVARIANT}`,

  transaction_balanced: `
    SELECT t.idempotency_key AS subject, format('%s %s postings sum to %s', x.asset, x.kind, x.total) AS detail
    FROM (SELECT transaction_id, asset, kind, sum(amount) AS total FROM ledger_postings GROUP BY 1, 2, 3 HAVING sum(amount) <> 0) x
    JOIN ledger_transactions t ON t.id = x.transaction_id
    LIMIT ${VIOLATIONS_PER_INVARIANT}`,

  running_balance: `
    SELECT a.code AS subject, format('posting %s has running balance %s, the postings before it say %s', x.id, x.running_balance, x.expected) AS detail
    FROM (
      SELECT id, account_id, running_balance,
             sum(CASE WHEN kind = 'posted' THEN amount ELSE 0 END) OVER (PARTITION BY account_id ORDER BY id) AS expected
      FROM ledger_postings
    ) x JOIN ledger_accounts a ON a.id = x.account_id
    WHERE x.running_balance <> x.expected
    LIMIT ${VIOLATIONS_PER_INVARIANT}`,

  // Below zero only by a chargeback's clawback (a visible debt); no other debit ever left it negative.
  no_overdraft: `
    (SELECT a.code AS subject, format('available %s without a chargeback', a.posted - a.pending_debits) AS detail
     FROM ledger_accounts a
     WHERE a.overdraft = 'forbid' AND a.posted - a.pending_debits < 0
       AND NOT EXISTS (SELECT 1 FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
                       WHERE p.account_id = a.id AND t.type = 'chargeback' AND p.amount < 0)
     LIMIT ${VIOLATIONS_PER_INVARIANT})
    UNION ALL
    (SELECT a.code, format('%s debit %s (posting %s) left the balance at %s', t.type, p.amount, p.id, p.running_balance)
     FROM ledger_postings p
     JOIN ledger_accounts a ON a.id = p.account_id
     JOIN ledger_transactions t ON t.id = p.transaction_id
     WHERE a.overdraft = 'forbid' AND p.kind = 'posted' AND p.amount < 0 AND p.running_balance < 0
       AND t.type <> 'chargeback' AND t.phase <> 'post'
     LIMIT ${VIOLATIONS_PER_INVARIANT})`,

  pending_resolved_once: `
    (SELECT t.idempotency_key AS subject, format('resolved %s times', count(*)) AS detail
     FROM ledger_transactions r JOIN ledger_transactions t ON t.id = r.pending_id
     GROUP BY t.idempotency_key HAVING count(*) > 1
     LIMIT ${VIOLATIONS_PER_INVARIANT})
    UNION ALL
    (SELECT t.idempotency_key, format('hold %s released %s times, transaction resolved: %s', h.id, released.times, resolution.id IS NOT NULL)
     FROM ledger_postings h
     JOIN ledger_transactions t ON t.id = h.transaction_id
     CROSS JOIN LATERAL (SELECT count(*) AS times FROM ledger_postings r WHERE r.released_id = h.id) released
     LEFT JOIN ledger_transactions resolution ON resolution.pending_id = t.id
     WHERE h.kind = 'hold' AND (released.times > 1 OR (released.times = 1) <> (resolution.id IS NOT NULL))
     LIMIT ${VIOLATIONS_PER_INVARIANT})`,

  reversal_mirrors_original: `
    SELECT r.idempotency_key AS subject, format('does not negate the posted postings of transaction %s', r.reverses_id) AS detail
    FROM ledger_transactions r
    WHERE r.reverses_id IS NOT NULL AND EXISTS (
      (SELECT account_id, -amount FROM ledger_postings WHERE transaction_id = r.reverses_id AND kind = 'posted'
       EXCEPT ALL SELECT account_id, amount FROM ledger_postings WHERE transaction_id = r.id)
      UNION ALL
      (SELECT account_id, amount FROM ledger_postings WHERE transaction_id = r.id
       EXCEPT ALL SELECT account_id, -amount FROM ledger_postings WHERE transaction_id = r.reverses_id AND kind = 'posted'))
    LIMIT ${VIOLATIONS_PER_INVARIANT}`,
};

/** Accounts in visible debt: a `forbid` account below zero after a chargeback's clawback. Reported, not a violation. */
export const DEBTS_QUERY = `
  SELECT code, asset, posted FROM ledger_accounts
  WHERE overdraft = 'forbid' AND posted < 0 ORDER BY posted LIMIT ${VIOLATIONS_PER_INVARIANT}`;

export const COUNTS_QUERY = `
  SELECT (SELECT count(*) FROM ledger_accounts) AS accounts,
         (SELECT count(*) FROM ledger_transactions) AS transactions,
         (SELECT count(*) FROM ledger_postings) AS postings`;
