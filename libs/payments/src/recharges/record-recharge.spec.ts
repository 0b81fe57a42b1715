import { accessEntities } from '@coinops/access';
import { ValidationFailed } from '@coinops/contracts';
import { createDataSource } from '@coinops/db';
import { JOBS, runOnce } from '@coinops/outbox';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { rechargeIntakeFromPlatformEvent, type RechargeIntake } from './recharge-intake';
import { RECHARGE_STATES } from './recharge-states';
import { recordRecharge } from './record-recharge';

describe('recording a recharge', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, entities: accessEntities, poolSize: 8 });
    await db.initialize();
  });
  afterAll(() => db.destroy());

  const intake = (providerRef = `ch_${randomUUID().replace(/-/g, '')}`): RechargeIntake => ({
    provider: 'stripe',
    providerRef,
    userId: 'u_77',
    method: 'apple_pay',
    coins: 1400n,
    amountMinor: 1999n,
    currency: 'USD',
    cardFingerprint: 'fpAbc',
    cardBrand: 'visa',
    cardLast4: '4242',
    binCountry: 'US',
    wallet: 'apple_pay',
    deviceId: 'dev-1',
    ip: '2001:db8::1',
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    sourceEventId: 'evt_1',
  });
  const outboxRows = (rechargeId: string) =>
    db.query(`SELECT queue, job_name, payload FROM outbox WHERE job_name = $1 AND payload->>'recharge_id' = $2`, [JOBS.rechargeReceived.name, rechargeId]);

  it('stores a recharge once per provider reference with one recharge.received job, even when eight callers race', async () => {
    const same = intake();
    const results = await Promise.all(Array.from({ length: 8 }, () => db.transaction((manager) => recordRecharge(manager, same))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.rechargeId)).size).toBe(1);
    const rows = await db.query(`SELECT * FROM recharges WHERE provider = 'stripe' AND provider_ref = $1`, [same.providerRef]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: 'u_77', method: 'apple_pay', coins: '1400', amount_minor: '1999', currency: 'USD', card_last4: '4242', bin_country: 'US', wallet: 'apple_pay', ip: '2001:db8::1', state: 'received', decision: null });
    expect(await outboxRows(results[0].rechargeId)).toEqual([
      { queue: 'payments', job_name: 'recharge.received', payload: { recharge_id: results[0].rechargeId, provider: 'stripe', provider_ref: same.providerRef } },
    ]);
  });

  it('writes neither the recharge nor its job when the transaction rolls back', async () => {
    const lost = intake();
    await expect(
      db.transaction(async (manager) => {
        await recordRecharge(manager, lost);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await db.query(`SELECT 1 FROM recharges WHERE provider_ref = $1`, [lost.providerRef])).toHaveLength(0);
    expect(await db.query(`SELECT 1 FROM outbox WHERE payload->>'provider_ref' = $1`, [lost.providerRef])).toHaveLength(0);
  });

  it('refuses to run outside a transaction and refuses an invalid intake with field errors', async () => {
    await expect(recordRecharge(db.manager, intake())).rejects.toThrow(/inside a transaction/);
    const error = await db.transaction((manager) => recordRecharge(manager, { ...intake(), coins: 0n, currency: 'usd', ip: '999.1.1.1' })).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.details.map((d: { field: string }) => d.field)).toEqual(['coins', 'currency', 'ip']);
  });

  it('takes the platform recharge.succeeded event under provider platform and its recharge_id', async () => {
    const recharge = rechargeIntakeFromPlatformEvent('pevt_1', new Date('2026-01-02T00:00:00Z'), {
      recharge_id: `rc_${randomUUID()}`, user_id: 'u_8', method: 'app_store', coins: 70n, amount: 99n, currency: 'JPY', package_id: 'coins_70',
    });
    const recorded = await db.transaction((manager) => recordRecharge(manager, recharge));
    const [row] = await db.query(`SELECT provider, provider_ref, method, currency, source_event_id FROM recharges WHERE id = $1`, [recorded.rechargeId]);
    expect(row).toEqual({ provider: 'platform', provider_ref: recharge.providerRef, method: 'app_store', currency: 'JPY', source_event_id: 'pevt_1' });
  });

  it('never deletes a recharge, and the states in code are the states the database accepts', async () => {
    const { rechargeId } = await db.transaction((manager) => recordRecharge(manager, intake()));
    await expect(db.query(`DELETE FROM recharges WHERE id = $1`, [rechargeId])).rejects.toThrow(/append-only/);
    const [{ definition }] = await db.query(`SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'recharges'::regclass AND pg_get_constraintdef(oid) LIKE '%state%'`);
    expect([...definition.matchAll(/'([a-z_]+)'::text/g)].map((m: RegExpMatchArray) => m[1])).toEqual([...RECHARGE_STATES]);
  });
});
