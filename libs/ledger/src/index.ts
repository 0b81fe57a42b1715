/** @coinops/ledger: the double-entry engine (DESIGN §3, docs/ledger.md). No HTTP here. */
export { Ledger, DEFAULT_SHARD_COUNT } from './ledger';
export type { LedgerOptions, InTransaction } from './ledger';
export type { LedgerStats } from './engine/batch';
/** The ledger's statements, for tools that print their plans (libs/ledger/queries/hot-path.sql). */
export { LEDGER_SQL } from './engine/sql';
export { LedgerBatcher } from './batcher';
export { GroupCommit } from './group-commit';
export type { GroupCommitOptions } from './group-commit';
export type { BatcherOptions } from './batcher';
export type { Balance } from './balances';
export { InsufficientFunds } from './errors';

export {
  userCoins, creatorDiamonds, platformAccount, platformCoinsIssued, platformCoinsSpent, platformCoinsRounding,
  platformDiamondsIssued, platformRevenueDeferred, providerClearing, shardCode, logicalCode,
} from './accounts/account-codes';
export type { AccountSpec, AccountKind, OverdraftPolicy } from './accounts/account-codes';

export { TRANSACTION_TYPES, DEBT_ALLOWED_TYPES, LIMITS } from './transactions/types';
export type {
  TransactionType, TransactionPhase, TransactionState, PostingKind, PostingInput, TransactionInput, Reference,
  PostAmounts, LedgerCommand, LedgerPosting, LedgerTransaction, BatchResult,
} from './transactions/types';
export { canonicalJson, bodyHash } from './transactions/body-hash';

export { buildRechargeCredit, buildRechargeHold, rechargeKey } from './domain/recharges';
export type { RechargeEntry } from './domain/recharges';
export { buildGift, giftKey } from './domain/gifts';
export { rechargeCoinUsage, MAX_ATTRIBUTION_POSTINGS } from './domain/coin-attribution';
export type { RechargeCoinUsage, GiftConsumption, Queryable } from './domain/coin-attribution';
export type { GiftEntry } from './domain/gifts';
export { buildRechargeRefund, rechargeRefundKey } from './domain/refunds';
export type { RechargeRefundEntry } from './domain/refunds';
export { buildAdjustment, adjustmentKey, platformAdjustments } from './domain/adjustments';
export type { AdjustmentEntry } from './domain/adjustments';

export { VIRTUAL_ASSETS, CURRENCY_SCALES, isAsset, isCurrency, assetScale } from './money/assets';
export type { Asset, VirtualAsset, CurrencyCode } from './money/assets';
export { MAX_POSTING_AMOUNT, parseAmount, fromDb, toWire, formatMajor, parseMajor, assertPositive } from './money/amount';
export { ratio, convert, sourceFor, MAX_RATIO_TERM } from './money/ratio';
export type { IntegerRatio, Conversion } from './money/ratio';
export { DEFAULT_ECONOMY, splitGift, cashForDiamonds, coinPackage } from './economy/economy';
export type { EconomySettings, CoinPackage, GiftSplit, CashForDiamonds } from './economy/economy';

export { verifyLedger } from './verify/verify-ledger';
export type { LedgerReport, InvariantViolation } from './verify/verify-ledger';
export type { InvariantName } from './verify/invariants';
