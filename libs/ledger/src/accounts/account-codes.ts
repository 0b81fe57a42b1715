import { ValidationFailed } from '@coinops/contracts';
import { Asset, CurrencyCode, isCurrency } from '../money/assets';

export type AccountKind = 'user' | 'creator' | 'platform' | 'provider';
export type OverdraftPolicy = 'forbid' | 'allow';

/**
 * Everything needed to open an account on first use. Build these with the helpers below rather than by
 * hand: the code, asset and overdraft policy of an account never change once opened.
 */
export interface AccountSpec {
  readonly code: string;
  readonly asset: Asset;
  readonly kind: AccountKind;
  readonly ownerId: string | null;
  readonly overdraft: OverdraftPolicy;
  /**
   * A hot platform account kept as N shard accounts (`<code>#<n>`), summed on read; each batch of postings
   * uses one shard, so concurrent batches do not queue on one row (docs/ledger.md, "Hot accounts").
   */
  readonly sharded: boolean;
}

const OWNER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const NAME_PART = /^[a-z0-9_]{1,40}$/;

function ownerId(id: string, field: string): string {
  if (typeof id !== 'string' || !OWNER_ID.test(id)) {
    throw ValidationFailed.field(field, 'must be 1-64 letters, digits, dots, dashes or underscores');
  }
  return id;
}

function currency(code: CurrencyCode): CurrencyCode {
  if (!isCurrency(code)) throw ValidationFailed.field('currency', `${code} is not an ISO 4217 currency`);
  return code;
}

/** A viewer's coin wallet: never below zero (except a chargeback's visible debt). */
export function userCoins(userId: string): AccountSpec {
  const id = ownerId(userId, 'user_id');
  return { code: `user:${id}:coins`, asset: 'COIN', kind: 'user', ownerId: id, overdraft: 'forbid', sharded: false };
}

/** A creator's earned diamonds: never below zero. */
export function creatorDiamonds(creatorId: string): AccountSpec {
  const id = ownerId(creatorId, 'creator_id');
  return { code: `creator:${id}:diamonds`, asset: 'DIAMOND', kind: 'creator', ownerId: id, overdraft: 'forbid', sharded: false };
}

/** A platform account (issuance, clearing, losses...): may go negative, it is the other side of the books. */
export function platformAccount(name: string, asset: Asset, options: { sharded?: boolean } = {}): AccountSpec {
  const parts = name.split(':');
  if (parts.length < 1 || parts.length > 4 || !parts.every((p) => NAME_PART.test(p))) {
    throw ValidationFailed.field('account', `platform account name ${name} must be 1-4 lowercase parts joined by ':'`);
  }
  return { code: `platform:${name}`, asset, kind: 'platform', ownerId: null, overdraft: 'allow', sharded: options.sharded ?? false };
}

// The hot platform accounts, built once: every gift names three of them.
const COINS_ISSUED = Object.freeze(platformAccount('coins:issued', 'COIN', { sharded: true }));
const COINS_SPENT = Object.freeze(platformAccount('coins:spent', 'COIN', { sharded: true }));
const COINS_ROUNDING = Object.freeze(platformAccount('coins:rounding', 'COIN', { sharded: true }));
const DIAMONDS_ISSUED = Object.freeze(platformAccount('diamonds:issued', 'DIAMOND', { sharded: true }));

/** Coins come into existence here (negative: every coin in circulation). */
export const platformCoinsIssued = (): AccountSpec => COINS_ISSUED;
/** Coins spent on gifts end here. */
export const platformCoinsSpent = (): AccountSpec => COINS_SPENT;
/** Coins of a gift whose diamond value fell short of a whole diamond (DESIGN §2: rounding has a named home). */
export const platformCoinsRounding = (): AccountSpec => COINS_ROUNDING;
/** Diamonds come into existence here. */
export const platformDiamondsIssued = (): AccountSpec => DIAMONDS_ISSUED;
/** Cash owed back to buyers until coins are spent (negative liability), per currency. */
export const platformRevenueDeferred = (code: CurrencyCode): AccountSpec =>
  platformAccount(`revenue:deferred:${currency(code).toLowerCase()}`, code);

/** Cash a payment provider owes us, per currency. */
export function providerClearing(provider: string, code: CurrencyCode): AccountSpec {
  const name = ownerId(provider, 'provider');
  return { code: `provider:${name}:clearing:${currency(code).toLowerCase()}`, asset: code, kind: 'provider', ownerId: null, overdraft: 'allow', sharded: false };
}

const shardCodes = new Map<string, string[]>();
const MAX_SHARDED_ACCOUNTS = 1000;

/** Shards of a hot account: `platform:coins:spent#0` ... `#(count-1)` (strings built once). */
export function shardCode(logicalCode: string, shard: number): string {
  let codes = shardCodes.get(logicalCode);
  if (!codes) {
    if (shardCodes.size >= MAX_SHARDED_ACCOUNTS) shardCodes.clear();
    codes = [];
    shardCodes.set(logicalCode, codes);
  }
  return (codes[shard] ??= `${logicalCode}#${shard}`);
}

/** The account a code belongs to for reading and for idempotency: `platform:coins:spent#3` → `platform:coins:spent`. */
export function logicalCode(code: string): string {
  const hash = code.indexOf('#');
  return hash === -1 ? code : code.slice(0, hash);
}
