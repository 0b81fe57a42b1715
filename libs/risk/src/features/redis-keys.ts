import type { ListKind, ListName } from '../types';
import { FRAUD_RETENTION_MS, VELOCITY_RETENTION_MS, YOUNG_ACCOUNT_MS } from './catalog';
import type { StoredEvent } from '../events/stored-event';

/**
 * Redis layout. Every velocity key is a sorted set: member `ref|coins|a|b`, score = event time in
 * ms. `a` and `b` are the counterpart identifiers whose distinct count the key answers (the cards
 * and devices of a user, the users and devices of a card ...). Members are deterministic, so a
 * redelivered or rebuilt event is the same member: counted once.
 */

/** The entities whose keys are rebuilt together from PostgreSQL (one marker each). */
export type EntityKind = 'u' | 'c' | 'd' | 'i' | 'cr';

export const FRAUD_KINDS = ['chargeback', 'refund_fraud', 'account_takeover'] as const;
export type FraudKind = (typeof FRAUD_KINDS)[number];

export interface KeyEntry {
  key: string;
  /** Empty for the first-recharge key, which keeps the earliest time only. */
  member: string;
  scoreMs: number;
  retentionMs: number;
}

export class RiskKeys {
  readonly base: string;

  constructor(keyPrefix: string) {
    if (!/^[A-Za-z0-9:_-]{1,64}$/.test(keyPrefix)) throw new Error('risk keyPrefix must be 1-64 of [A-Za-z0-9:_-]');
    this.base = `${keyPrefix}:risk`;
  }

  /** Present while Redis holds every event of the retention period (set by a full rebuild). */
  get epoch(): string {
    return `${this.base}:epoch`;
  }
  /** Held by the running full rebuild; it sets the epoch only if this key survived. */
  get rebuildToken(): string {
    return `${this.base}:rebuilding`;
  }
  /** Changes whenever a rule changes: evaluators reload their compiled rules when it differs. */
  get rulesToken(): string {
    return `${this.base}:rules`;
  }
  get listsMarker(): string {
    return `${this.base}:m:lists`;
  }
  marker(entity: EntityKind, value: string): string {
    return `${this.base}:m:${entity}:${value}`;
  }

  /** A user's recharges; members also carry method and BIN country (`ref|coins|card|device|method|bin`). */
  rechargesByUser(userId: string): string {
    return `${this.base}:r:u:${userId}`;
  }
  rechargesByCard(fingerprint: string): string {
    return `${this.base}:r:c:${fingerprint}`;
  }
  rechargesByDevice(deviceId: string): string {
    return `${this.base}:r:d:${deviceId}`;
  }
  rechargesByIp(ip: string): string {
    return `${this.base}:r:i:${ip}`;
  }
  giftsBySender(userId: string): string {
    return `${this.base}:g:u:${userId}`;
  }
  giftsToCreator(creatorId: string): string {
    return `${this.base}:g:c:${creatorId}`;
  }
  /** Gifts to a creator from accounts younger than 7 days at the time of the gift. */
  youngGiftsToCreator(creatorId: string): string {
    return `${this.base}:g:y:${creatorId}`;
  }
  securityChanges(userId: string): string {
    return `${this.base}:s:u:${userId}`;
  }
  /** Chargebacks, fraud refunds and account takeovers of a user, card or device (member `ref|0|kind|`). */
  fraud(entity: 'u' | 'c' | 'd', value: string): string {
    return `${this.base}:x:${entity}:${value}`;
  }
  /** Sorted set of one member: the time of the user's first recharge ever. */
  firstRecharge(userId: string): string {
    return `${this.base}:first:${userId}`;
  }
  /** Sorted set per list: member `kind:value`, score = expiry in ms (MAX_EXPIRY_MS when none). */
  list(list: ListName): string {
    return `${this.base}:l:${list}`;
  }
  /** The part of a key after the base: the read script rebuilds key names from it. */
  suffix(key: string): string {
    return key.slice(this.base.length + 1);
  }
}

/** Score of a list entry without expiry: the largest Date. */
export const MAX_EXPIRY_MS = 8_640_000_000_000_000;

export function listMember(kind: ListKind, value: string): string {
  return `${kind}:${value}`;
}

export function member(ref: string, coins: bigint | null, a = '', b = '', ...more: string[]): string {
  return [ref, (coins ?? 0n).toString(), a, b, ...more].join('|');
}

/** Every Redis entry one stored event contributes: what mirroring writes and rebuilding rewrites. */
export function keyEntriesFor(keys: RiskKeys, event: StoredEvent): KeyEntry[] {
  const at = event.occurredAt.getTime();
  const velocity = (key: string, m: string): KeyEntry => ({ key, member: m, scoreMs: at, retentionMs: VELOCITY_RETENTION_MS });
  const card = event.cardFingerprint ?? '';
  const device = event.deviceId ?? '';
  const entries: KeyEntry[] = [];
  switch (event.kind) {
    case 'recharge': {
      entries.push(velocity(keys.rechargesByUser(event.userId), member(event.ref, event.coins, card, device, event.method ?? '', event.binCountry ?? '')));
      if (event.cardFingerprint) entries.push(velocity(keys.rechargesByCard(card), member(event.ref, event.coins, event.userId, device)));
      if (event.deviceId) entries.push(velocity(keys.rechargesByDevice(device), member(event.ref, event.coins, event.userId, card)));
      if (event.ip) entries.push(velocity(keys.rechargesByIp(event.ip), member(event.ref, event.coins, event.userId, card)));
      entries.push({ key: keys.firstRecharge(event.userId), member: '', scoreMs: at, retentionMs: 0 });
      break;
    }
    case 'gift': {
      const creator = event.creatorId ?? '';
      entries.push(velocity(keys.giftsBySender(event.userId), member(event.ref, event.coins, creator)));
      entries.push(velocity(keys.giftsToCreator(creator), member(event.ref, event.coins, event.userId)));
      if (event.senderYoung) entries.push(velocity(keys.youngGiftsToCreator(creator), member(event.ref, event.coins, event.userId)));
      break;
    }
    case 'security_change':
      entries.push(velocity(keys.securityChanges(event.userId), member(event.ref, 0n, event.detail ?? '')));
      break;
    case 'chargeback':
    case 'refund_fraud':
    case 'account_takeover': {
      const fraud = (entity: 'u' | 'c' | 'd', value: string): KeyEntry => ({
        key: keys.fraud(entity, value),
        member: member(event.ref, 0n, event.kind),
        scoreMs: at,
        retentionMs: FRAUD_RETENTION_MS,
      });
      entries.push(fraud('u', event.userId));
      if (event.cardFingerprint) entries.push(fraud('c', event.cardFingerprint));
      if (event.deviceId) entries.push(fraud('d', event.deviceId));
      break;
    }
  }
  return entries;
}

/** Whether a gift sender counts as young, from the sender's account creation time. */
export function isYoungSender(senderCreatedAt: Date | undefined, giftAt: Date): boolean {
  if (!senderCreatedAt) return false;
  return giftAt.getTime() - senderCreatedAt.getTime() < YOUNG_ACCOUNT_MS;
}
