import { accessEntities } from '@coinops/access';
import { loadConfig } from '@coinops/config';
import { createDataSource } from '@coinops/db';
import { Ledger, verifyLedger } from '@coinops/ledger';
import { redisConnection, SCHEDULED_JOBS } from '@coinops/outbox';
import { DEFAULT_PAYOUT_SETTINGS, PayoutService, processProviderEvent, receiveProviderEvent, requestPayoutIn } from '@coinops/payments';
import type { RiskEngine } from '@coinops/risk';
import { Queue, type Job } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { WorkerDomain } from '../domain/domain.providers';
import { providerEventHandlers } from '../payments/provider-events.handlers';
import { createTestDatabase, dropTestDatabase } from '../../../../libs/db/src/testing';
import { simulatedProvider } from '../testing/simulated-provider';
import { PayoutsProcessor, PayoutsSchedule } from './payouts.processor';

const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;
const execute = SCHEDULED_JOBS.payoutsExecute;
const reevaluate = SCHEDULED_JOBS.payoutsReevaluate;

/** The worker's payouts queue: its two schedules, the execute job through the worker's provider, and the webhook's handler. */
describe('the payouts processor', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  let queue: Queue;
  let url: string;
  // A database of its own: a worker booted by another spec runs the same schedules on the run's database.
  beforeAll(async () => {
    url = await createTestDatabase('payouts_processor');
    dataSource = createDataSource({ url, entities: accessEntities, poolSize: 4 });
    await dataSource.initialize();
    ledger = new Ledger(dataSource);
    const config = loadConfig();
    queue = new Queue(execute.queue, { connection: redisConnection(config.REDIS_URL, 'failFast'), prefix: config.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await dataSource?.destroy();
    if (url) await dropTestDatabase(url);
  });

  it('registers the execute and re-evaluate schedules once, however often the worker starts', async () => {
    const schedule = new PayoutsSchedule(queue);
    await schedule.register();
    await schedule.register();
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.name, s.every]).sort()).toEqual([
      [execute.schedulerId, execute.name, execute.everyMs],
      [reevaluate.schedulerId, reevaluate.name, reevaluate.everyMs],
    ].sort());
  });

  it("executes approved payouts through the worker's provider, and the worker's provider-event handler pays them", async () => {
    const { stripe, provider } = simulatedProvider({ seed: unique('seed') });
    const domain = { ledger, provider, risk: {} as RiskEngine } as WorkerDomain;
    const processor = new PayoutsProcessor(dataSource, domain, loadConfig());

    const [creatorId, senderId] = [unique('c'), unique('u')];
    await dataSource.query(`INSERT INTO users (id, created_at) VALUES ($1, now() - interval '400 days')`, [senderId]);
    await dataSource.query(`INSERT INTO creators (id, country, payout_currency, kyc_status, tax_form) VALUES ($1, 'DE', 'EUR', 'verified', 'W-8BEN')`, [creatorId]);
    await ledger.creditRecharge({ rechargeId: unique('r'), userId: senderId, coins: 9_000n, amountMinor: 9_000n, currency: 'USD', provider: 'stripe' });
    await ledger.postGift({ giftId: unique('g'), senderId, creatorId, coins: 9_000n });
    const system = { operatorId: null, email: 'system:test', role: null, requestId: null };
    const payout = await dataSource.transaction((m) => requestPayoutIn(m, { ledger, settings: DEFAULT_PAYOUT_SETTINGS }, system, { payoutId: unique('po'), creatorId, diamonds: 4_500n, via: 'platform', method: 'sepa' }));
    const [operator] = await dataSource.query(`INSERT INTO operators (email, name, role, password_hash) VALUES ($1, 'F', 'finance', 'x') RETURNING id, email`, [`${unique('f').replace(/_/g, '-')}@coinops.dev`]);
    await new PayoutService(dataSource, { ledger, settings: DEFAULT_PAYOUT_SETTINGS }).approve({ operatorId: operator.id, email: operator.email, role: 'finance', requestId: null }, payout.id, 'checked');

    const result = await processor.process({ name: execute.name } as Job);
    expect(result).toMatchObject({ batches: [expect.any(String)], accepted: 1, failed: 0 });
    const [event] = stripe.takeEmitted();
    const { body, signature } = stripe.sign(event);
    await receiveProviderEvent(dataSource, provider.verifyWebhook(Buffer.from(body), { 'stripe-signature': signature }));
    const [{ id: rowId }] = await dataSource.query(`SELECT id::text FROM provider_events WHERE provider_event_id = $1`, [event.id]);
    expect(await processProviderEvent(dataSource, rowId, providerEventHandlers(domain))).toBe('done');
    const [paid] = await dataSource.query(`SELECT state, amount_minor, currency FROM payouts WHERE id = $1`, [payout.id]);
    expect(paid).toEqual({ state: 'paid', amount_minor: '2250', currency: 'EUR' });

    expect(await processor.process({ name: reevaluate.name } as Job)).toMatchObject({ evaluated: expect.any(Number) });
    await expect(processor.process({ name: 'payouts.unknown' } as Job)).rejects.toThrow(/no processor for job payouts.unknown/);
    expect((await verifyLedger(dataSource)).violations).toEqual([]);
  });
});
