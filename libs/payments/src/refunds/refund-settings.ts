/**
 * Thresholds and rates of the refund and adjustment flows (docs/refunds.md, "Thresholds"). The API
 * builds them from configuration; tests pass their own.
 */
export interface RefundSettings {
  /** A refund worth more than this many USD cents needs a second operator (default 5000 = 50 USD). */
  approvalThresholdUsdMinor: bigint;
  /** Provider calls of one attempt before a refund that keeps meeting an unavailable provider is `failed`. */
  maxProviderAttempts: number;
}

export interface AdjustmentSettings {
  /** Adjustments above these amounts need a second operator. */
  approvalThresholdCoins: bigint;
  approvalThresholdDiamonds: bigint;
}

export const DEFAULT_REFUND_SETTINGS: RefundSettings = Object.freeze({ approvalThresholdUsdMinor: 5_000n, maxProviderAttempts: 6 });

/**
 * About 50 USD each: the demo's best package sells 1,400 coins for 19.99 USD (70 coins per dollar,
 * rounded down to 3,500), and a diamond pays out 0.5 US cent (libs/ledger economy: 10,000 diamonds).
 */
export const DEFAULT_ADJUSTMENT_SETTINGS: AdjustmentSettings = Object.freeze({ approvalThresholdCoins: 3_500n, approvalThresholdDiamonds: 10_000n });

/**
 * US cents per minor unit of each currency the demo uses, as integer ratios (DESIGN §2: no floats),
 * for the approval threshold only — never to move money. Rates of late 2025, rounded; a currency not
 * listed has no rate and its refunds always go to a second operator.
 */
export const USD_MINOR_PER_MINOR: Readonly<Record<string, { numerator: bigint; denominator: bigint }>> = Object.freeze({
  USD: { numerator: 1n, denominator: 1n },
  EUR: { numerator: 108n, denominator: 100n },
  GBP: { numerator: 127n, denominator: 100n },
  CAD: { numerator: 72n, denominator: 100n },
  AUD: { numerator: 65n, denominator: 100n },
  // JPY has no minor unit: one yen is about 0.67 US cent.
  JPY: { numerator: 67n, denominator: 100n },
  BRL: { numerator: 18n, denominator: 100n },
});

/** The amount in US cents, rounded up (so rounding never lets a refund slip under the threshold); null without a rate. */
export function usdMinorEquivalent(amountMinor: bigint, currency: string): bigint | null {
  const rate = USD_MINOR_PER_MINOR[currency];
  if (!rate) return null;
  return (amountMinor * rate.numerator + rate.denominator - 1n) / rate.denominator;
}

/** From the validated configuration (REFUND_*, ADJUSTMENT_*; README's table); defaults when absent. */
export function refundSettingsFromConfig(config: { REFUND_APPROVAL_THRESHOLD_USD_MINOR?: number; REFUND_PROVIDER_MAX_ATTEMPTS?: number }): RefundSettings {
  return {
    approvalThresholdUsdMinor: config.REFUND_APPROVAL_THRESHOLD_USD_MINOR === undefined ? DEFAULT_REFUND_SETTINGS.approvalThresholdUsdMinor : BigInt(config.REFUND_APPROVAL_THRESHOLD_USD_MINOR),
    maxProviderAttempts: config.REFUND_PROVIDER_MAX_ATTEMPTS ?? DEFAULT_REFUND_SETTINGS.maxProviderAttempts,
  };
}

export function adjustmentSettingsFromConfig(config: { ADJUSTMENT_APPROVAL_THRESHOLD_COINS?: number; ADJUSTMENT_APPROVAL_THRESHOLD_DIAMONDS?: number }): AdjustmentSettings {
  return {
    approvalThresholdCoins: config.ADJUSTMENT_APPROVAL_THRESHOLD_COINS === undefined ? DEFAULT_ADJUSTMENT_SETTINGS.approvalThresholdCoins : BigInt(config.ADJUSTMENT_APPROVAL_THRESHOLD_COINS),
    approvalThresholdDiamonds: config.ADJUSTMENT_APPROVAL_THRESHOLD_DIAMONDS === undefined ? DEFAULT_ADJUSTMENT_SETTINGS.approvalThresholdDiamonds : BigInt(config.ADJUSTMENT_APPROVAL_THRESHOLD_DIAMONDS),
  };
}
