import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { creatorDiamonds, Ledger, userCoins } from '@coinops/ledger';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

describe('ledger-accounts and ledger-transactions: the read API', () => {
  let api: TestApi;
  let finance: string;
  const senderId = unique('u');
  const creatorId = unique('c');
  const giftId = unique('g');
  let startedAt: string;

  const get = (path: string, query: Record<string, unknown> = {}, token = finance) =>
    request(api.http)
      .get(path)
      .query(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)])))
      .set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    api = await startApi();
    finance = await api.token('finance');
    startedAt = new Date(Date.now() - 1_000).toISOString();
    await api.app.get(Ledger).creditRecharge({ rechargeId: unique('r'), userId: senderId, coins: 50n, amountMinor: 499n, currency: 'USD', provider: 'stripe' });
    const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: giftId, sender_id: senderId, creator_id: creatorId, coins: 20 } });
    const gift = await request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
    expect(gift.status).toBe(200);
  });
  afterAll(() => api.close());

  it('filters accounts by owner, asset and kind, with balances as decimal strings', async () => {
    const byOwner = await get('/api/ledger-accounts', { filter: { owner_id: senderId } });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toEqual([expect.objectContaining({ code: userCoins(senderId).code, asset: 'COIN', kind: 'user', overdraft: 'forbid', posted: '30', available: '30', version: '2' })]);
    const diamonds = await get('/api/ledger-accounts', { filter: { asset: 'DIAMOND', kind: 'creator', q: creatorId } });
    expect(diamonds.body.map((a: { code: string; posted: string }) => [a.code, a.posted])).toEqual([[creatorDiamonds(creatorId).code, '10']]);
    const shards = await get('/api/ledger-accounts', { filter: { logical_code: 'platform:coins:spent' }, sort: ['code', 'ASC'], range: [0, 99] });
    expect(shards.body.length).toBeGreaterThan(0);
    expect(shards.body.every((a: { code: string; kind: string }) => a.code.startsWith('platform:coins:spent#') && a.kind === 'platform')).toBe(true);
    expect((await get(`/api/ledger-accounts/${byOwner.body[0].id}`)).body.code).toBe(userCoins(senderId).code);
    expect((await get('/api/ledger-accounts', { filter: { kind: 'wallet' } })).status).toBe(400);
    expect((await get('/api/ledger-accounts', { sort: ['secret', 'ASC'] })).status).toBe(400);
  });

  it("pages an account's journal by account id", async () => {
    const [account] = (await get('/api/ledger-accounts', { filter: { owner_id: senderId } })).body;
    const journal = await get(`/api/ledger-accounts/${account.id}/journal`, { sort: ['id', 'ASC'] });
    expect(journal.body.map((line: Record<string, unknown>) => [line.type, line.amount, line.running_balance])).toEqual([['recharge', '50', '50'], ['gift', '-20', '30']]);
  });

  it('filters transactions by account, type, reference and time range, each with its postings', async () => {
    const byAccount = await get('/api/ledger-transactions', { filter: { account: userCoins(senderId).code }, sort: ['id', 'ASC'] });
    expect(byAccount.status).toBe(200);
    expect(byAccount.headers['content-range']).toBe('ledger-transactions 0-1/2');
    expect(byAccount.body.map((t: { type: string }) => t.type)).toEqual(['recharge', 'gift']);

    const gift = await get('/api/ledger-transactions', { filter: { type: 'gift', reference_id: giftId, created_at_gte: startedAt, created_at_lte: new Date(Date.now() + 60_000).toISOString() } });
    expect(gift.body).toHaveLength(1);
    expect(gift.body[0]).toMatchObject({ type: 'gift', phase: 'single', state: 'posted', reference_type: 'gift', reference_id: giftId, idempotency_key: `gift:${giftId}` });
    const legs = gift.body[0].postings.map((p: { account_code: string; amount: string }) => [p.account_code.split('#')[0], p.amount]).sort();
    expect(legs).toEqual([
      [creatorDiamonds(creatorId).code, '10'],
      ['platform:coins:spent', '20'],
      ['platform:diamonds:issued', '-10'],
      [userCoins(senderId).code, '-20'],
    ].sort());

    const [account] = (await get('/api/ledger-accounts', { filter: { owner_id: senderId } })).body;
    const byAccountId = await get('/api/ledger-transactions', { filter: { account_id: account.id, type: 'recharge' } });
    expect(byAccountId.body.map((t: { type: string }) => t.type)).toEqual(['recharge']);
    const before = await get('/api/ledger-transactions', { filter: { reference_id: giftId, created_at_lte: startedAt } });
    expect(before.body).toEqual([]);
    expect((await get(`/api/ledger-transactions/${gift.body[0].id}`)).body.postings).toHaveLength(4);
    expect((await get('/api/ledger-transactions/999999999999')).status).toBe(404);
    expect((await get('/api/ledger-transactions', { sort: ['amount', 'ASC'] })).status).toBe(400);
  });

  it('lets a viewer read the ledger, and refuses them the verification', async () => {
    const viewer = await api.token('viewer');
    expect((await get('/api/ledger-accounts', {}, viewer)).status).toBe(200);
    expect((await get('/api/ledger-transactions', {}, viewer)).status).toBe(200);
    expect((await get('/api/users', {}, viewer)).status).toBe(200);
    expect((await get('/api/creators', {}, viewer)).status).toBe(200);
    expect((await get('/api/gifts', {}, viewer)).status).toBe(200);
    expect((await get('/api/ledger/verify', {}, viewer)).status).toBe(403);
    expect((await get('/api/ledger/verify', {}, await api.token('support'))).status).toBe(403);
    expect((await get('/api/ledger/verify', {}, await api.token('admin'))).status).toBe(200);
  });
});
