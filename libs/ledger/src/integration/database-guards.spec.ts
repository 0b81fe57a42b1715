import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { userCoins } from '../accounts/account-codes';
import { Ledger } from '../ledger';
import { CURRENCY_SCALES } from '../money/assets';
import { openLedger, uniqueId } from './harness';

/** What the database refuses by itself, whatever code (ours or a console in psql) sends it. */
describe('database guards on the ledger tables', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  let sql: Client;
  let transactionId: string;
  let userCode: string;

  beforeAll(async () => {
    ({ dataSource, ledger } = await openLedger());
    sql = new Client({ connectionString: process.env.DATABASE_URL });
    await sql.connect();
    const userId = uniqueId('u');
    userCode = userCoins(userId).code;
    const recharge = await ledger.creditRecharge({ rechargeId: uniqueId('r'), userId, coins: 10n, amountMinor: 100n, currency: 'USD', provider: 'stripe' });
    transactionId = recharge.id;
  });
  afterAll(async () => {
    await sql.end();
    await dataSource.destroy();
  });

  it.each([
    ['UPDATE ledger_transactions SET type = $$adjustment$$ WHERE id = $1'],
    ['DELETE FROM ledger_transactions WHERE id = $1'],
    ['UPDATE ledger_postings SET amount = amount * 2 WHERE transaction_id = $1'],
    ['DELETE FROM ledger_postings WHERE transaction_id = $1'],
  ])('refuses %s on the journal', async (statement) => {
    await expect(sql.query(statement, [transactionId])).rejects.toThrow(/append-only/);
  });

  it('refuses TRUNCATE of the journal', async () => {
    await expect(sql.query('TRUNCATE ledger_postings, ledger_transactions CASCADE')).rejects.toThrow(/append-only/);
  });

  it('refuses a balance changed outside the posting path', async () => {
    await expect(sql.query('UPDATE ledger_accounts SET posted = posted + 1000 WHERE code = $1', [userCode])).rejects.toThrow(/only by inserting ledger_postings/);
    await expect(sql.query('INSERT INTO ledger_accounts (code, asset, kind, overdraft, posted) VALUES ($1, $$COIN$$, $$platform$$, $$allow$$, 5)', [`platform:${uniqueId('x')}`])).rejects.toThrow(/zero balances/);
    await expect(sql.query('DELETE FROM ledger_accounts WHERE code = $1', [userCode])).rejects.toThrow(/append-only/);
    expect((await ledger.balance(userCode)).posted).toBe(10n);
  });

  it('refuses postings that do not balance, even inserted by hand', async () => {
    await sql.query('BEGIN');
    try {
      const { rows } = await sql.query(`INSERT INTO ledger_transactions (idempotency_key, body_hash, type, phase) VALUES ($1, decode(repeat('ab', 32), 'hex'), 'adjustment', 'single') RETURNING id`, [uniqueId('k')]);
      const { rows: [account] } = await sql.query('SELECT id, posted FROM ledger_accounts WHERE code = $1', [userCode]);
      await expect(sql.query(`INSERT INTO ledger_postings (transaction_id, account_id, asset, kind, amount, running_balance) VALUES ($1, $2, 'COIN', 'posted', 5, $3)`, [rows[0].id, account.id, BigInt(account.posted) + 5n]))
        .rejects.toThrow(/sum to 5, not zero/);
    } finally {
      await sql.query('ROLLBACK');
    }
  });

  it('refuses postings added later to a transaction another database transaction wrote', async () => {
    const { rows: [account] } = await sql.query('SELECT id, posted FROM ledger_accounts WHERE code = $1', [userCode]);
    await expect(sql.query(
      `INSERT INTO ledger_postings (transaction_id, account_id, asset, kind, amount, running_balance) VALUES ($1, $2, 'COIN', 'posted', 5, $3), ($1, $2, 'COIN', 'posted', -5, $4)`,
      [transactionId, account.id, BigInt(account.posted) + 5n, account.posted],
    )).rejects.toThrow(/only by the database transaction that wrote it/);
  });

  it('checks amounts and assets with constraints', async () => {
    const { rows: [account] } = await sql.query('SELECT id, posted FROM ledger_accounts WHERE code = $1', [userCode]);
    await sql.query('BEGIN');
    try {
      const { rows } = await sql.query(`INSERT INTO ledger_transactions (idempotency_key, body_hash, type, phase) VALUES ($1, decode(repeat('cd', 32), 'hex'), 'adjustment', 'single') RETURNING id`, [uniqueId('k')]);
      await sql.query('SAVEPOINT s');
      await expect(sql.query(
        `INSERT INTO ledger_postings (transaction_id, account_id, asset, kind, amount, running_balance) VALUES ($1, $2, 'DIAMOND', 'posted', 1, $3), ($1, $2, 'DIAMOND', 'posted', -1, $4)`,
        [rows[0].id, account.id, BigInt(account.posted) + 1n, account.posted],
      ))
        .rejects.toThrow(/is a COIN account, not DIAMOND/);
      await sql.query('ROLLBACK TO SAVEPOINT s');
      await expect(sql.query(`INSERT INTO ledger_postings (transaction_id, account_id, asset, kind, amount, running_balance) VALUES ($1, $2, 'COIN', 'posted', 0, 0)`, [rows[0].id, account.id]))
        .rejects.toThrow(/check constraint/);
    } finally {
      await sql.query('ROLLBACK');
    }
    await expect(sql.query(`INSERT INTO ledger_accounts (code, asset, kind, overdraft) VALUES ($1, 'XYZ', 'platform', 'allow')`, [`platform:${uniqueId('x')}`])).rejects.toThrow(/foreign key/);
  });

  it('knows the same currencies and scales as the code', async () => {
    const { rows } = await sql.query(`SELECT code, scale FROM ledger_assets WHERE kind = 'currency'`);
    expect(Object.fromEntries(rows.map((r) => [r.code, r.scale]))).toEqual(CURRENCY_SCALES);
  });
});
