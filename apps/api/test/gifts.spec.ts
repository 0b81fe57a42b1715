import { systemActor } from '@coinops/access';
import { loadConfig } from '@coinops/config';
import { signEvent, UsersService } from '@coinops/economy';
import { creatorDiamonds, Ledger, platformCoinsRounding, platformCoinsSpent, userCoins } from '@coinops/ledger';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

describe('gift.sent: gifts posted synchronously through the signed event API', () => {
  let api: TestApi;
  let ledger: Ledger;
  beforeAll(async () => {
    api = await startApi();
    ledger = api.app.get(Ledger);
  });
  afterAll(() => api.close());

  // A replay is the same bytes: one occurred_at for the whole run.
  const occurredAt = new Date().toISOString();
  function sendGift(data: { gift_id?: string; sender_id: string; creator_id: string; coins: number | string; gift_type?: string; live_session_id?: string }, id = unique('evt')) {
    const body = JSON.stringify({ id, type: 'gift.sent', occurred_at: occurredAt, data: { gift_id: unique('g'), ...data } });
    return request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
  }
  /** No recharge flow yet: the same primitive it will use. */
  async function fund(userId: string, coins: bigint) {
    await ledger.creditRecharge({ rechargeId: unique('r'), userId, coins, amountMinor: 99n, currency: 'USD', provider: 'stripe' });
  }

  it('posts a gift with enough coins: coins leave the wallet, the creator earns diamonds at the configured ratio, rounding goes to its named account', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 100n);
    const roundingBefore = (await ledger.balance(platformCoinsRounding())).posted;
    const spentBefore = (await ledger.balance(platformCoinsSpent())).posted;

    const response = await sendGift({ sender_id: senderId, creator_id: creatorId, coins: 15, gift_type: 'rose', live_session_id: 'live-1' });
    expect(response.status).toBe(200);
    // The default economy: 1 diamond per 2 coins; 15 coins are 7 diamonds (14 coins) and 1 coin of rounding.
    expect(response.body).toMatchObject({ type: 'gift.sent', status: 'processed', gift: { sender_id: senderId, creator_id: creatorId, coins: '15', diamonds: '7', rounding_coins: '1' } });

    expect((await ledger.balance(userCoins(senderId))).available).toBe(85n);
    expect((await ledger.balance(creatorDiamonds(creatorId))).posted).toBe(7n);
    expect((await ledger.balance(platformCoinsRounding())).posted - roundingBefore).toBe(1n);
    expect((await ledger.balance(platformCoinsSpent())).posted - spentBefore).toBe(14n);

    const [gift] = await api.dataSource.query(`SELECT * FROM gifts WHERE id = $1`, [response.body.gift.id]);
    expect(gift).toMatchObject({ sender_id: senderId, creator_id: creatorId, coins: '15', diamonds: '7', rounding_coins: '1', gift_type: 'rose', live_session_id: 'live-1' });
    const [transaction] = await api.dataSource.query(`SELECT type, reference_type, reference_id FROM ledger_transactions WHERE id = $1`, [gift.ledger_transaction_id]);
    expect(transaction).toEqual({ type: 'gift', reference_type: 'gift', reference_id: response.body.gift.id });
  });

  it('opens the rows of a sender and a creator it has not heard of yet, without a profile', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 10n);
    expect((await sendGift({ sender_id: senderId, creator_id: creatorId, coins: 2 })).status).toBe(200);
    const [user] = await api.dataSource.query(`SELECT profile_received FROM users WHERE id = $1`, [senderId]);
    const [creator] = await api.dataSource.query(`SELECT profile_received FROM creators WHERE id = $1`, [creatorId]);
    expect([user, creator]).toEqual([{ profile_received: false }, { profile_received: false }]);
  });

  it('refuses a gift larger than the available coins with 409 and the available balance, and answers a replay the same', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 7n);
    const eventId = unique('evt');
    const giftId = unique('g');
    const refused = await sendGift({ gift_id: giftId, sender_id: senderId, creator_id: creatorId, coins: 10 }, eventId);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'Conflict', available: '7', requested: '10', account: userCoins(senderId).code });
    expect((await ledger.balance(userCoins(senderId))).available).toBe(7n);

    const replay = await sendGift({ gift_id: giftId, sender_id: senderId, creator_id: creatorId, coins: 10 }, eventId);
    expect(replay.status).toBe(409);
    expect(replay.body).toEqual(refused.body);
    const [event] = await api.dataSource.query(`SELECT status, response_status FROM platform_events WHERE id = $1`, [eventId]);
    expect(event).toEqual({ status: 'rejected', response_status: 409 });
    expect(await api.dataSource.query(`SELECT id FROM gifts WHERE id = $1`, [giftId])).toEqual([]);
  });

  it('refuses a gift from a frozen user with 409, whatever the balance, and takes gifts again once unfrozen', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 50n);
    const users = new UsersService(api.dataSource);
    await users.freeze(systemActor('test'), senderId, 'reported unauthorized activity');
    const refused = await sendGift({ sender_id: senderId, creator_id: creatorId, coins: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, state: 'frozen', user_id: senderId });
    expect((await ledger.balance(userCoins(senderId))).available).toBe(50n);

    await users.unfreeze(systemActor('test'), senderId, 'review found no takeover');
    expect((await sendGift({ sender_id: senderId, creator_id: creatorId, coins: 5 })).status).toBe(200);
    const actions = await api.dataSource.query(`SELECT action FROM audit_events WHERE entity = 'user' AND entity_id = $1 ORDER BY id`, [senderId]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['user.frozen', 'user.unfrozen']);
  });

  it('posts a replayed gift event once and answers it the same', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 30n);
    const eventId = unique('evt');
    const data = { gift_id: unique('g'), sender_id: senderId, creator_id: creatorId, coins: 4 };
    const [first, second, third] = await Promise.all([sendGift(data, eventId), sendGift(data, eventId), sendGift(data, eventId)]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect((await ledger.balance(userCoins(senderId))).available).toBe(26n);
    expect((await ledger.balance(creatorDiamonds(creatorId))).posted).toBe(2n);
  });

  it('posts a gift id once even when it comes again under another event id', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 30n);
    const data = { gift_id: unique('g'), sender_id: senderId, creator_id: creatorId, coins: 6 };
    expect((await sendGift(data)).status).toBe(200);
    expect((await sendGift(data)).status).toBe(200);
    expect((await ledger.balance(userCoins(senderId))).available).toBe(24n);
    const conflicting = await sendGift({ ...data, coins: 9 });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.idempotency_key).toBe(`gift:${data.gift_id}`);
  });

  it('posts exactly 10 of 50 concurrent one-coin gifts from a wallet funded for 10', async () => {
    const [senderId, creatorId] = [unique('u'), unique('c')];
    await fund(senderId, 10n);
    const responses = await Promise.all(Array.from({ length: 50 }, () => sendGift({ sender_id: senderId, creator_id: creatorId, coins: 1 })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect(responses.find((r) => r.status === 409)?.body.available).toBe('0');
    expect((await ledger.balance(userCoins(senderId))).posted).toBe(0n);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM gifts WHERE sender_id = $1`, [senderId]);
    expect(n).toBe(10);
  });
});
