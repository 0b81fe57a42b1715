import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger, platformAccount, userCoins } from '@coinops/ledger';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

/**
 * Users, creators and gifts as the console reads them (ra-data-simple-rest): balances from the ledger
 * as decimal strings, filters, sort, range, and each wallet's journal with its running balance.
 */
describe('users, creators and gifts: the read API', () => {
  let api: TestApi;
  let reader: string;
  // A country no other spec uses (QZ is unassigned), so other files' users never show in these lists.
  const country = 'QZ';
  const tag = unique('list');
  const rich = `${tag}_rich`;
  const held = `${tag}_held`;
  const debtor = `${tag}_debtor`;
  const creatorId = `${tag}_creator`;

  async function send(type: string, data: Record<string, unknown>) {
    const body = JSON.stringify({ id: unique('evt'), type, occurred_at: new Date().toISOString(), data });
    const response = await request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
    if (response.status >= 300) throw new Error(`${type}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  }
  const get = (path: string, query: Record<string, unknown> = {}) =>
    request(api.http)
      .get(path)
      .query(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)])))
      .set('Authorization', `Bearer ${reader}`);

  beforeAll(async () => {
    api = await startApi();
    // support reads emails and filters by them; a viewer's view is masked (security-privacy.spec.ts)
    reader = await api.token('support');
    const ledger = api.app.get(Ledger);
    for (const [userId, email] of [[rich, 'rich@example.com'], [held, 'held@example.com'], [debtor, 'debtor@example.com']]) {
      await send('user.created', { user_id: userId, country, email });
    }
    await send('creator.created', { creator_id: creatorId, country, payout_currency: 'USD', kyc_status: 'verified' });
    await ledger.creditRecharge({ rechargeId: unique('r'), userId: rich, coins: 100n, amountMinor: 99n, currency: 'USD', provider: 'stripe' });
    await send('gift.sent', { gift_id: `${tag}_g1`, sender_id: rich, creator_id: creatorId, coins: 15 });
    await send('gift.sent', { gift_id: `${tag}_g2`, sender_id: rich, creator_id: creatorId, coins: 40, live_session_id: `${tag}_live` });
    await ledger.creditRecharge({ rechargeId: unique('r'), userId: held, coins: 20n, amountMinor: 99n, currency: 'USD', provider: 'stripe' });
    await ledger.holdRecharge({ rechargeId: unique('r'), userId: held, coins: 70n, amountMinor: 99n, currency: 'USD', provider: 'stripe' });
    // A chargeback clawback is the one way a wallet goes below zero: a visible debt.
    await ledger.post({ idempotencyKey: unique('cb'), type: 'chargeback', postings: [{ account: userCoins(debtor), amount: -30n }, { account: platformAccount('chargeback:coins', 'COIN'), amount: 30n }] });
  });
  afterAll(() => api.close());

  it('shows each user with balance, available, held and debt coins as decimal strings', async () => {
    const response = await get('/api/users', { filter: { country }, sort: ['id', 'ASC'] });
    expect(response.status).toBe(200);
    expect(response.headers['content-range']).toBe('users 0-2/3');
    expect(response.body.map((u: Record<string, unknown>) => [u.id, u.balance_coins, u.available_coins, u.held_coins, u.debt_coins])).toEqual([
      [debtor, '-30', '0', '0', '30'],
      [held, '20', '20', '70', '0'],
      [rich, '45', '45', '0', '0'],
    ]);
    expect(response.body[2]).toMatchObject({ email: 'rich@example.com', country, frozen: false, profile_received: true });
  });

  it('sorts by a balance and pages with range, Content-Range telling the total', async () => {
    const first = await get('/api/users', { filter: { country }, sort: ['available_coins', 'DESC'], range: [0, 1] });
    expect(first.body.map((u: { id: string }) => u.id)).toEqual([rich, held]);
    expect(first.headers['content-range']).toBe('users 0-1/3');
    const second = await get('/api/users', { filter: { country }, sort: ['available_coins', 'DESC'], range: [2, 3] });
    expect(second.body.map((u: { id: string }) => u.id)).toEqual([debtor]);
    expect(second.headers['content-range']).toBe('users 2-2/3');
  });

  it('filters by q, by several ids, by debt and by email', async () => {
    expect((await get('/api/users', { filter: { q: 'debtor@example', country } })).body.map((u: { id: string }) => u.id)).toEqual([debtor]);
    expect((await get('/api/users', { filter: { id: [rich, held] }, sort: ['id', 'ASC'] })).body.map((u: { id: string }) => u.id)).toEqual([held, rich]);
    expect((await get('/api/users', { filter: { country, has_debt: true } })).body.map((u: { id: string }) => u.id)).toEqual([debtor]);
    expect((await get('/api/users', { filter: { country, email: 'HELD@' } })).body.map((u: { id: string }) => u.id)).toEqual([held]);
  });

  it('refuses an unknown sort field, an unknown filter and a bad range with 400 naming them', async () => {
    const sort = await get('/api/users', { sort: ['password', 'ASC'] });
    expect(sort.status).toBe(400);
    expect(sort.body.details[0].field).toBe('sort');
    const filter = await get('/api/users', { filter: { balance: 3 } });
    expect(filter.status).toBe(400);
    expect(filter.body.details[0].field).toBe('filter.balance');
    expect((await get('/api/users', { range: [5, 2] })).status).toBe(400);
    expect((await get('/api/creators', { sort: ['coins', 'ASC'] })).status).toBe(400);
    expect((await get('/api/gifts', { sort: ['sender_email', 'ASC'] })).status).toBe(400);
  });

  it('answers one user by id, 404 for an unknown one and 400 for a malformed id', async () => {
    expect((await get(`/api/users/${held}`)).body).toMatchObject({ id: held, available_coins: '20', held_coins: '70' });
    expect((await get(`/api/users/${tag}_nobody`)).status).toBe(404);
    expect((await get(`/api/users/${encodeURIComponent('bad id!')}`)).status).toBe(400);
  });

  it("pages a user's journal with the running balance each posting left", async () => {
    const response = await get(`/api/users/${rich}/journal`, { sort: ['created_at', 'ASC'] });
    expect(response.status).toBe(200);
    expect(response.headers['content-range']).toBe('journal 0-2/3');
    expect(response.body.map((line: Record<string, unknown>) => [line.type, line.amount, line.running_balance])).toEqual([
      ['recharge', '100', '100'],
      ['gift', '-15', '85'],
      ['gift', '-40', '45'],
    ]);
    expect(response.body[1]).toMatchObject({ kind: 'posted', reference_type: 'gift', reference_id: `${tag}_g1` });
    const newest = await get(`/api/users/${rich}/journal`, { range: [0, 0] });
    expect(newest.body.map((line: { running_balance: string }) => line.running_balance)).toEqual(['45']);
    expect(newest.headers['content-range']).toBe('journal 0-0/3');
    const gifts = await get(`/api/users/${rich}/journal`, { filter: { type: 'gift' } });
    expect(gifts.body).toHaveLength(2);
    expect((await get(`/api/users/${tag}_nobody/journal`)).status).toBe(404);
  });

  it('shows a held recharge in the journal as a hold that leaves the balance where it was', async () => {
    const response = await get(`/api/users/${held}/journal`, { sort: ['created_at', 'ASC'] });
    expect(response.body.map((line: Record<string, unknown>) => [line.kind, line.amount, line.running_balance])).toEqual([
      ['posted', '20', '20'],
      ['hold', '70', '20'],
    ]);
  });

  it('shows creators with their diamonds and their journal', async () => {
    const list = await get('/api/creators', { filter: { country, kyc_status: 'verified' } });
    expect(list.headers['content-range']).toBe('creators 0-0/1');
    // 15 coins: 7 diamonds; 40 coins: 20 diamonds.
    expect(list.body[0]).toMatchObject({ id: creatorId, balance_diamonds: '27', available_diamonds: '27', held_diamonds: '0', debt_diamonds: '0', payout_currency: 'USD' });
    const journal = await get(`/api/creators/${creatorId}/journal`, { sort: ['id', 'ASC'] });
    expect(journal.body.map((line: Record<string, unknown>) => [line.amount, line.running_balance])).toEqual([['7', '7'], ['20', '27']]);
  });

  it('lists gifts with filters on sender, live session and coins, sorted and paged', async () => {
    const bySender = await get('/api/gifts', { filter: { sender_id: rich }, sort: ['coins', 'DESC'] });
    expect(bySender.body.map((g: Record<string, unknown>) => [g.id, g.coins, g.diamonds, g.rounding_coins])).toEqual([
      [`${tag}_g2`, '40', '20', '0'],
      [`${tag}_g1`, '15', '7', '1'],
    ]);
    expect((await get('/api/gifts', { filter: { live_session_id: `${tag}_live` } })).body.map((g: { id: string }) => g.id)).toEqual([`${tag}_g2`]);
    expect((await get('/api/gifts', { filter: { q: tag, coins_gte: 20 } })).body.map((g: { id: string }) => g.id)).toEqual([`${tag}_g2`]);
    expect((await get(`/api/gifts/${tag}_g1`)).body).toMatchObject({ sender_id: rich, creator_id: creatorId, coins: '15' });
  });

  it('shows the economy configuration: integer ratios with their rounding accounts, and coin packages by currency', async () => {
    const response = await get('/api/economy');
    expect(response.status).toBe(200);
    expect(response.body.diamonds_per_coin).toMatchObject({ numerator: '1', denominator: '2', remainder_account: 'platform:coins:rounding' });
    expect(response.body.cash_minor_per_diamond.USD).toMatchObject({ numerator: '1', denominator: '2' });
    expect(response.body.coin_packages).toContainEqual({ id: 'coins_70', coins: '70', active: true, prices: { EUR: '99', USD: '99' } });
  });
});
