/**
 * The payout flow's configuration (docs/payouts.md, "Configuration"): validated once by libs/config
 * (`PAYOUT_*` variables) and handed to the flow; the defaults below are the same as config's.
 */
export interface PayoutSettings {
  /** Smallest payout, in minor units of the creator's payout currency. */
  readonly minAmountMinor: bigint;
  /** Above this USD value (the diamonds at the USD rate), two distinct operators approve. */
  readonly dualApprovalUsdMinor: bigint;
  /** Diamonds earned in the last N days are held until they mature. */
  readonly reserveWindowDays: number;
  /** Held when above this multiple of the creator's average paid payout (with at least `unusualMinHistory` of them). */
  readonly unusualFactor: number;
  readonly unusualMinHistory: number;
  /** Held when at least this share (percent) of the last 30 days' diamonds came from flagged or young accounts. */
  readonly flaggedSharePercent: number;
  readonly youngAccountDays: number;
  /** Approved payouts taken into one execution batch. */
  readonly batchSize: number;
}

export const DEFAULT_PAYOUT_SETTINGS: PayoutSettings = Object.freeze({
  minAmountMinor: 1_000n,
  dualApprovalUsdMinor: 100_000n,
  reserveWindowDays: 7,
  unusualFactor: 5,
  unusualMinHistory: 3,
  flaggedSharePercent: 50,
  youngAccountDays: 7,
  batchSize: 50,
});

/** The `PAYOUT_*` fields of libs/config's `Config`. */
export interface PayoutConfig {
  PAYOUT_MIN_AMOUNT_MINOR: number;
  PAYOUT_DUAL_APPROVAL_USD_MINOR: number;
  PAYOUT_RESERVE_WINDOW_DAYS: number;
  PAYOUT_UNUSUAL_FACTOR: number;
  PAYOUT_FLAGGED_SHARE_PERCENT: number;
  PAYOUT_YOUNG_ACCOUNT_DAYS: number;
  PAYOUT_BATCH_SIZE: number;
}

export function payoutSettings(config: PayoutConfig): PayoutSettings {
  return Object.freeze({
    ...DEFAULT_PAYOUT_SETTINGS,
    minAmountMinor: BigInt(config.PAYOUT_MIN_AMOUNT_MINOR),
    dualApprovalUsdMinor: BigInt(config.PAYOUT_DUAL_APPROVAL_USD_MINOR),
    reserveWindowDays: config.PAYOUT_RESERVE_WINDOW_DAYS,
    unusualFactor: config.PAYOUT_UNUSUAL_FACTOR,
    flaggedSharePercent: config.PAYOUT_FLAGGED_SHARE_PERCENT,
    youngAccountDays: config.PAYOUT_YOUNG_ACCOUNT_DAYS,
    batchSize: config.PAYOUT_BATCH_SIZE,
  });
}
