import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SharedThrottlerStorage } from '../src/auth/shared-throttler-storage';
import { startApi, type TestApi } from './harness';

/**
 * The per-IP sign-in throttle is shared by every API process (Redis), so two processes do not double the
 * budget; and it keeps working, per process, while Redis is down.
 */
describe('the sign-in throttle across API processes', () => {
  const apis: TestApi[] = [];
  const saved = { limit: process.env.LOGIN_RATE_PER_MINUTE, prefix: process.env.QUEUE_PREFIX };
  beforeAll(async () => {
    process.env.LOGIN_RATE_PER_MINUTE = '6';
    // Its own counters (a fresh budget), under the run's prefix so the run's teardown removes them.
    process.env.QUEUE_PREFIX = `${saved.prefix ?? 'coinops-test'}-throttle-${randomBytes(4).toString('hex')}`;
    try {
      apis.push(await startApi(), await startApi());
    } finally {
      process.env.LOGIN_RATE_PER_MINUTE = saved.limit;
      process.env.QUEUE_PREFIX = saved.prefix;
    }
  });
  afterAll(async () => {
    for (const api of apis) await api.close();
  });

  it('counts the attempts made on either process against one budget', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const api = apis[attempt % 2];
      const response = await request(api.http).post('/api/auth/login').send({ email: 'nobody@example.org', password: 'not-the-password-1' });
      statuses.push(response.status);
    }
    // six attempts in the minute, three on each process, then 429 on both
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it('falls back to counting in the process while Redis does not answer', async () => {
    const storage = new SharedThrottlerStorage('redis://127.0.0.1:1', 'coinops-throttle-down');
    try {
      const blocked: boolean[] = [];
      for (let attempt = 0; attempt < 4; attempt++) blocked.push((await storage.increment('ip', 60_000, 3, 60_000, 'login')).isBlocked);
      expect(blocked).toEqual([false, false, false, true]);
    } finally {
      storage.onApplicationShutdown();
    }
  });
});
