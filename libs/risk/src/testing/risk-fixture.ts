import { createHash, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@coinops/db';
import { RiskEngine } from '../engine';
import type { GiftEvent, RechargeEvent, SecurityChangeEvent, SubjectFacts } from '../types';

/** Test wiring on the run's real database and Redis, under a key prefix of this spec file's own. */
export interface RiskFixture {
  db: DataSource;
  redis: Redis;
  engine: RiskEngine;
  keyPrefix: string;
  errors: unknown[];
  close(): Promise<void>;
  /** Deletes every Redis key of this fixture's prefix (what a FLUSHALL does to it). */
  flushRedis(): Promise<void>;
}

export async function openRiskFixture(label: string, options: { autoRebuild?: boolean } = {}): Promise<RiskFixture> {
  const url = process.env.DATABASE_URL;
  const queuePrefix = process.env.QUEUE_PREFIX;
  if (!url || !queuePrefix) throw new Error('DATABASE_URL and QUEUE_PREFIX come from the db test harness (jest globalSetup)');
  const db = createDataSource({ url, entities: [], poolSize: 4, applicationName: `risk-test-${label}` });
  await db.initialize();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  const keyPrefix = `${queuePrefix}:${label}`;
  const errors: unknown[] = [];
  const engine = new RiskEngine({ dataSource: db, redis, keyPrefix, autoRebuild: options.autoRebuild ?? false, onError: (error) => errors.push(error) });
  const flushRedis = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  };
  return {
    db,
    redis,
    engine,
    keyPrefix,
    errors,
    flushRedis,
    async close() {
      await engine.close();
      redis.disconnect();
      await db.destroy();
    },
  };
}

/** A short random id, so spec files sharing one database never see each other's users or cards. */
export function uid(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A stable IPv4 address of a user's own (private range, never contacted). */
export function ipOf(userId: string): string {
  const [a, b, c] = createHash('sha1').update(userId).digest();
  return `10.${a}.${b}.${c}`;
}

/** An adult with a year-old account in the US: the user no default rule should notice. */
export function ordinaryUser(overrides: Partial<SubjectFacts> = {}): SubjectFacts {
  return { country: 'US', createdAt: new Date(Date.now() - 365 * DAY_MS), birthYear: 1990, emailDomain: 'example.com', frozen: false, ...overrides };
}

export function recharge(userId: string, at: Date, overrides: Partial<RechargeEvent> = {}): RechargeEvent {
  return {
    kind: 'recharge',
    id: uid('rch'),
    userId,
    method: 'card',
    amountMinor: 999n,
    currency: 'USD',
    coins: 700n,
    cardFingerprint: `card-of-${userId}`,
    cardBrand: 'visa',
    binCountry: 'US',
    deviceId: `device-of-${userId}`,
    ip: ipOf(userId),
    ipCountry: 'US',
    occurredAt: at,
    ...overrides,
  };
}

export function gift(userId: string, creatorId: string, at: Date, overrides: Partial<GiftEvent> = {}): GiftEvent {
  return { kind: 'gift', id: uid('gift'), userId, creatorId, coins: 100n, deviceId: `device-of-${userId}`, occurredAt: at, ...overrides };
}

export function securityChange(userId: string, at: Date, overrides: Partial<SecurityChangeEvent> = {}): SecurityChangeEvent {
  return { kind: 'security_change', id: uid('sec'), userId, change: 'password', occurredAt: at, ...overrides };
}

/** Keys of the rules that matched, sorted. */
export function ruleKeys(decision: { reasons: { ruleKey: string }[] }): string[] {
  return decision.reasons.map((r) => r.ruleKey).sort();
}
