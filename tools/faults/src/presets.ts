import type { FaultSuiteOptions } from './suite';

type Preset = Omit<FaultSuiteOptions, 'log' | 'seed'>;

/** CI (jest): about a minute per topology on 2 shared cores; one fault of each kind at least. */
export const SHORT: Preset = {
  apis: 1,
  workers: 1,
  events: 600,
  ratePerSecond: 30,
  concurrency: 8,
  faults: { worker_sigkill: 2, redis_restart: 1, postgres_restart: 1, payout_sigkill: 1 },
  moneyOut: { refunds: 3, largeRefunds: 1, disputes: 2, payouts: 4, largePayouts: 1 },
  duplicateShare: 0.1,
  retryForMs: 60_000,
  drainTimeoutMs: 90_000,
};

/** `npm run faults`: ten times the events, several of each fault. */
export const FULL: Preset = {
  apis: 1,
  workers: 1,
  events: 6_000,
  ratePerSecond: 50,
  concurrency: 16,
  faults: { worker_sigkill: 6, redis_restart: 3, postgres_restart: 3, payout_sigkill: 2 },
  moneyOut: { refunds: 12, largeRefunds: 4, disputes: 8, payouts: 16, largePayouts: 4 },
  duplicateShare: 0.1,
  retryForMs: 120_000,
  drainTimeoutMs: 180_000,
};
