import Stripe from 'stripe';
import { SeededRandom } from './seeded-random';
import { startReceiver } from './testing-receiver';
import { planCopies, SimulatorBackpressure, WebhookDelivery } from './webhook-delivery';

const SECRET = 'whsec_delivery_test_secret_000000';
const knobs = { latencyMs: { min: 20, max: 40 }, shuffleWindowMs: 150, duplicateShare: 0.3 };
const event = (n: number) => ({ id: `evt_${String(n).padStart(4, '0')}`, type: 'charge.succeeded', object: 'event' });

function plan(seed: string, count: number): number[][] {
  const random = new SeededRandom(seed).fork('delivery');
  return Array.from({ length: count }, () => planCopies(random, knobs));
}

describe('webhook delivery', () => {
  it('plans the same delays for the same seed, and other delays for another seed', () => {
    expect(plan('seed-1', 50)).toEqual(plan('seed-1', 50));
    expect(plan('seed-1', 50)).not.toEqual(plan('seed-2', 50));
  });

  it('delivers every event late, some twice and out of order, each signed so the stripe package accepts it', async () => {
    const receiver = await startReceiver();
    const delivery = new WebhookDelivery({ url: receiver.url, secret: SECRET, seed: 'seed-1', ...knobs, historyLimit: 100 });
    try {
      const planned = Array.from({ length: 40 }, (_, n) => delivery.send(event(n)));
      expect(planned).toEqual(plan('seed-1', 40));
      await delivery.idle();
      const copies = planned.reduce((sum, delays) => sum + delays.length, 0);
      expect(receiver.received).toHaveLength(copies);
      expect(copies).toBeGreaterThan(40);
      const ids = receiver.received.map((r) => JSON.parse(r.body).id as string);
      expect(new Set(ids).size).toBe(40);
      // Arrival order differs from send order, as the plan's delays say it must.
      const firstArrivals = [...new Set(ids)];
      expect(firstArrivals).not.toEqual(firstArrivals.slice().sort());
      // Nothing is attempted before the minimum latency (times are from the delivery's start, just before the sends).
      expect(Math.min(...delivery.history().map((a) => a.atMs))).toBeGreaterThanOrEqual(knobs.latencyMs.min);
      for (const webhook of receiver.received) expect(() => Stripe.webhooks.constructEvent(webhook.body, webhook.signature!, SECRET)).not.toThrow();
      expect(delivery.stats()).toMatchObject({ pending: 0, sent: 40, delivered: copies, duplicates: copies - 40, gaveUp: 0 });
    } finally {
      delivery.stop();
      await receiver.close();
    }
  });

  it('retries a non-2xx answer with exponential backoff and gives up after the bounded attempts', async () => {
    // The endpoint fails the first two attempts of evt_0000 and every attempt of evt_0001.
    const attempts = new Map<string, number>();
    const receiver = await startReceiver((body) => {
      const id = JSON.parse(body).id as string;
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      return id === 'evt_0001' || attempts.get(id)! <= 2 ? 503 : 200;
    });
    const delivery = new WebhookDelivery({ url: receiver.url, secret: SECRET, seed: 's', latencyMs: { min: 0, max: 0 }, shuffleWindowMs: 0, duplicateShare: 0, maxAttempts: 4, retryBaseMs: 30, retryMaxMs: 1_000 });
    try {
      delivery.send(event(0));
      delivery.send(event(1));
      await delivery.idle();
      expect(attempts).toEqual(new Map([['evt_0000', 3], ['evt_0001', 4]]));
      const times = delivery.history().filter((a) => a.eventId === 'evt_0001').map((a) => a.atMs);
      // Gaps of at least 30, 60, 120 ms between the four attempts.
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(28);
      expect(times[2] - times[1]).toBeGreaterThanOrEqual(58);
      expect(times[3] - times[2]).toBeGreaterThanOrEqual(118);
      expect(delivery.stats()).toMatchObject({ delivered: 1, gaveUp: 1, failedAttempts: 6, pending: 0 });
    } finally {
      delivery.stop();
      await receiver.close();
    }
  });

  it('refuses more pending deliveries than its bound, and stop() clears every timer', async () => {
    const receiver = await startReceiver();
    const delivery = new WebhookDelivery({ url: receiver.url, secret: SECRET, seed: 's', latencyMs: { min: 60_000, max: 60_000 }, shuffleWindowMs: 0, duplicateShare: 0, maxPending: 3 });
    try {
      for (let n = 0; n < 3; n++) delivery.send(event(n));
      expect(() => delivery.send(event(3))).toThrow(SimulatorBackpressure);
      delivery.stop();
      await delivery.idle();
      expect(delivery.stats().pending).toBe(0);
      expect(receiver.received).toHaveLength(0);
      expect(() => delivery.send(event(4))).toThrow(/stopped/);
    } finally {
      await receiver.close();
    }
  });

  it('refuses knobs outside their bounds', () => {
    expect(() => new WebhookDelivery({ url: 'http://127.0.0.1:1/x', secret: SECRET, seed: 1, duplicateShare: 2 })).toThrow(/duplicateShare/);
    expect(() => new WebhookDelivery({ url: 'http://127.0.0.1:1/x', secret: SECRET, seed: 1, maxAttempts: 1_000 })).toThrow(/maxAttempts/);
  });
});
