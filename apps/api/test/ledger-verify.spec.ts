import { loadConfig } from '@coinops/config';
import { signEvent } from '@coinops/economy';
import { Ledger, userCoins } from '@coinops/ledger';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { startApi, startIsolatedApi, type TestApi } from './harness';

const secret = loadConfig().EVENTS_SECRET;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

/** What a superuser can do behind the ledger's back: triggers off (replica role) for one committed transaction. */
async function behindTheLedger(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    await manager.query(sql, parameters);
  });
}

async function giftsThroughTheApi(api: TestApi, senderId: string): Promise<void> {
  await api.app.get(Ledger).creditRecharge({ rechargeId: unique('r'), userId: senderId, coins: 40n, amountMinor: 499n, currency: 'USD', provider: 'stripe' });
  for (const coins of [3, 8, 11]) {
    const body = JSON.stringify({ id: unique('evt'), type: 'gift.sent', occurred_at: new Date().toISOString(), data: { gift_id: unique('g'), sender_id: senderId, creator_id: unique('c'), coins } });
    const response = await request(api.http).post('/api/events').set('Content-Type', 'application/json').set('Coinops-Signature', signEvent(secret, body)).send(body);
    expect(response.status).toBe(200);
  }
}

const verify = async (api: TestApi) => request(api.http).get('/api/ledger/verify').set('Authorization', `Bearer ${await api.token('finance')}`);

describe('GET /api/ledger/verify', () => {
  it('reports a clean ledger after gifts through the API, with every invariant checked', async () => {
    const api = await startApi();
    try {
      await giftsThroughTheApi(api, unique('u'));
      const response = await verify(api);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ok: true, violations: [] });
      expect(Object.keys(response.body.invariants).length).toBeGreaterThanOrEqual(7);
      expect(Object.values(response.body.invariants).every((count) => count === 0)).toBe(true);
      expect(response.body.counts.postings).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });

  it('reports a balance corrupted by plain SQL, naming the account and the broken invariants', async () => {
    // A database of its own: the corruption is never seen by the spec files running beside this one.
    const api = await startIsolatedApi('ledger_verify');
    try {
      const senderId = unique('u');
      await giftsThroughTheApi(api, senderId);
      const code = userCoins(senderId).code;
      await behindTheLedger(api.dataSource, `UPDATE ledger_accounts SET posted = posted + 1000 WHERE code = $1`, [code]);
      const response = await verify(api);
      expect(response.status).toBe(200);
      expect(response.body.ok).toBe(false);
      expect(response.body.violations).toEqual(expect.arrayContaining([
        expect.objectContaining({ invariant: 'balance_equals_postings', subject: code }),
        expect.objectContaining({ invariant: 'asset_sums_to_zero', subject: 'COIN' }),
      ]));
      await behindTheLedger(api.dataSource, `UPDATE ledger_accounts SET posted = posted - 1000 WHERE code = $1`, [code]);
      expect((await verify(api)).body.ok).toBe(true);
    } finally {
      await api.close();
    }
  });
});
