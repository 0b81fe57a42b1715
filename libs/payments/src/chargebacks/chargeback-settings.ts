/** What happens to diamonds earned from disputed coins (docs/chargebacks.md, "Gifted coins"). */
export const CHARGEBACK_DIAMONDS_POLICIES = ['hold', 'claw_back', 'ignore'] as const;
export type ChargebackDiamondsPolicy = (typeof CHARGEBACK_DIAMONDS_POLICIES)[number];

export interface ChargebackSettings {
  /** Booked to losses when a dispute is lost, in minor units of the charge's currency (CHARGEBACK_FEE_MINOR). */
  feeMinor: bigint;
  /** Freeze the user when a dispute opens (CHARGEBACK_AUTO_FREEZE). */
  autoFreeze: boolean;
  diamondsPolicy: ChargebackDiamondsPolicy;
}

/** Stripe's US dispute fee is $15.00 (stripe.com/pricing, "Disputes"): 1500 minor units of the charge currency. */
export const DEFAULT_CHARGEBACK_SETTINGS: Readonly<ChargebackSettings> = Object.freeze({ feeMinor: 1500n, autoFreeze: true, diamondsPolicy: 'hold' });

export function chargebackSettingsFromConfig(config: { CHARGEBACK_FEE_MINOR?: number; CHARGEBACK_AUTO_FREEZE?: boolean; CHARGEBACK_DIAMONDS_POLICY?: ChargebackDiamondsPolicy }): ChargebackSettings {
  return {
    feeMinor: BigInt(config.CHARGEBACK_FEE_MINOR ?? Number(DEFAULT_CHARGEBACK_SETTINGS.feeMinor)),
    autoFreeze: config.CHARGEBACK_AUTO_FREEZE ?? DEFAULT_CHARGEBACK_SETTINGS.autoFreeze,
    diamondsPolicy: config.CHARGEBACK_DIAMONDS_POLICY ?? DEFAULT_CHARGEBACK_SETTINGS.diamondsPolicy,
  };
}
