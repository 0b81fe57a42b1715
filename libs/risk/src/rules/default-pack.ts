import type { RuleDraft } from '../types';

export interface DefaultRule {
  key: string;
  draft: RuleDraft;
  /** Where the pattern and its threshold come from (copied into docs/risk.md). */
  source: string;
}

const APP_STORES = '["app_store", "play_store"]';

/**
 * The default pack, seeded by `RiskEngine.seedDefaultRules()` (not by a migration: operators tune
 * these, and a seed never overwrites a rule that already exists). Thresholds are starting points.
 */
export const DEFAULT_RULES: DefaultRule[] = [
  {
    key: 'block_list_hit',
    draft: {
      name: 'Block-list hit',
      eventKind: 'any',
      expression: 'lists.blocked',
      action: 'block',
      score: 100,
      severity: 'critical',
      description: 'The user, card, device, IP, BIN, BIN country or email domain is on the block list.',
    },
    source: 'Stripe Radar evaluates block lists before review rules; an operator decided, so no threshold.',
  },
  {
    key: 'under_18',
    draft: {
      name: 'Buyer under 18',
      eventKind: 'any',
      expression: 'user.has_birth_year && user.age_years < 18',
      action: 'block',
      score: 100,
      severity: 'critical',
      description: 'Coin purchases and gifts are for adults (DESIGN §4). age_years is the age reached this calendar year.',
    },
    source: 'DESIGN §4 "Age": a user whose birth_year says under 18 is blocked from recharging and gifting.',
  },
  {
    key: 'frozen_account',
    draft: {
      name: 'Frozen account',
      eventKind: 'any',
      expression: 'user.frozen',
      action: 'block',
      score: 100,
      severity: 'critical',
      description: 'The account is frozen (reported unauthorized activity, rejected review).',
    },
    source: 'DESIGN §4 "Reported unauthorized activity": a report freezes the account at once.',
  },
  {
    key: 'card_testing_small_recharges',
    draft: {
      name: 'Card testing: many small recharges on one card',
      expression: 'event.has_card && card.count_1h >= 5 && card.coins_1h <= card.count_1h * 150',
      action: 'block',
      score: 90,
      severity: 'high',
      description: 'Five or more recharges on one card within an hour averaging at most 150 coins (about two dollars) each.',
    },
    source: 'Card testing as Stripe describes it (many small authorizations on one card in a short time); 5 per hour and 150 coins are coinops starting values.',
  },
  {
    key: 'card_testing_many_cards_per_device',
    draft: {
      name: 'Card testing: many cards on one device',
      expression: 'event.has_device && device.distinct_cards_24h >= 4',
      action: 'block',
      score: 80,
      severity: 'high',
      description: 'Four or more distinct cards used from one device in 24 hours.',
    },
    source: 'Stripe Radar counter card_count_for_customer_daily, applied per device; 4 is a coinops starting value.',
  },
  {
    key: 'stolen_card_burst',
    draft: {
      name: 'Stolen card burst',
      expression: 'event.has_card && card.count_10m >= 3 && card.coins_10m >= 30000',
      action: 'review',
      score: 60,
      severity: 'high',
      description: 'Three or more recharges worth 30,000 coins or more on one card within 10 minutes: a stolen card being emptied.',
    },
    source: 'Velocity on the card (Stripe Radar counters per card); 3 in 10 minutes and 30,000 coins are coinops starting values.',
  },
  {
    key: 'large_first_recharge_new_account',
    draft: {
      name: 'Large first recharge on a new account',
      expression: 'user.is_first_recharge && user.account_age_hours < 24 && event.coins >= 20000',
      action: 'review',
      score: 50,
      severity: 'medium',
      description: 'The first recharge ever, of 20,000 coins or more, on an account younger than a day.',
    },
    source: 'DESIGN §4 features "account age, first recharge"; 24 hours and 20,000 coins are coinops starting values.',
  },
  {
    key: 'country_mismatch',
    draft: {
      name: 'Card, IP and account countries disagree',
      expression: 'mismatch.bin_account && mismatch.ip_account',
      action: 'review',
      score: 40,
      severity: 'medium',
      description: 'The card was issued in another country than the account, and the IP is in another country too.',
    },
    source: 'Stripe Radar attributes card_country / ip_country mismatches; requiring both keeps travellers out of review.',
  },
  {
    key: 'many_cards_per_user',
    draft: {
      name: 'Many cards for one user',
      expression: 'user.distinct_cards_24h >= 3',
      action: 'review',
      score: 50,
      severity: 'medium',
      description: 'Three or more distinct cards used by one user in 24 hours.',
    },
    source: 'Stripe Radar counter card_count_for_customer_daily; 3 is a coinops starting value.',
  },
  {
    key: 'many_users_per_card',
    draft: {
      name: 'Many users on one card',
      expression: 'event.has_card && card.distinct_users_24h >= 3',
      action: 'review',
      score: 60,
      severity: 'high',
      description: 'Three or more accounts recharged with the same card in 24 hours.',
    },
    source: 'The mirror of Stripe Radar card_count_for_customer_daily: customers per card instead of cards per customer; 3 per day is a coinops starting value.',
  },
  {
    key: 'many_users_per_device',
    draft: {
      name: 'Many users on one device',
      expression: 'event.has_device && device.distinct_users_24h >= 3',
      action: 'review',
      score: 50,
      severity: 'medium',
      description: 'Three or more accounts recharged from the same device in 24 hours.',
    },
    source: 'The same counter keyed by device (accounts farmed on one phone); 3 per day is a coinops starting value.',
  },
  {
    key: 'ip_velocity',
    draft: {
      name: 'IP velocity',
      expression: 'event.has_ip && (ip.count_1h >= 10 || ip.distinct_users_24h >= 5)',
      action: 'review',
      score: 40,
      severity: 'medium',
      description: 'Ten or more recharges from one IP within an hour, or five or more accounts from it in a day.',
    },
    source: 'Stripe Radar counter declined_charges_per_ip_address_hourly (coinops sees succeeded charges, so it counts recharges); 10 per hour is a coinops starting value.',
  },
  {
    key: 'recharge_after_security_change',
    draft: {
      name: 'Recharge soon after a security change',
      expression: 'user.security_changes_1h > 0',
      action: 'review',
      score: 50,
      severity: 'high',
      description: 'A password, email, phone or new device change in the last hour, then a recharge: account takeover pattern.',
    },
    source: 'Account takeover pattern (DESIGN §4 reported unauthorized activity, issue 4 "security change in the last hour").',
  },
  {
    key: 'recharge_gifted_away',
    draft: {
      name: 'Recharge gifted away within minutes',
      eventKind: 'gift',
      expression: 'user.count_10m > 0 && user.gift_coins_10m >= 1000 && user.gift_coins_10m * 100 >= user.coins_10m * 80',
      action: 'review',
      score: 50,
      severity: 'high',
      description: 'At least 80 % of the coins recharged in the last 10 minutes (and 1,000 coins or more) already gifted: cashing out a stolen card through a creator.',
    },
    source: 'Issue 4 gift-side feature "coins gifted within minutes of their recharge"; 10 minutes, 80 % and 1,000 coins are coinops starting values.',
  },
  {
    key: 'creator_young_payer_concentration',
    draft: {
      name: 'Creator funded by young accounts',
      eventKind: 'gift',
      expression: 'creator.distinct_payers_24h >= 5 && creator.young_payer_share_pct_24h >= 50',
      action: 'review',
      score: 40,
      severity: 'medium',
      description: 'Five or more payers into one creator in 24 hours, half or more of the coins from accounts younger than 7 days.',
    },
    source: 'Issue 4 gift-side features (distinct payers into a creator, share from accounts younger than 7 days); 5 payers and 50 % are coinops starting values.',
  },
  {
    key: 'prior_chargeback_card_or_device',
    draft: {
      name: 'Prior chargeback on the card or device',
      expression: 'card.chargebacks > 0 || device.chargebacks > 0',
      action: 'block',
      score: 90,
      severity: 'high',
      description: 'The card or device had a chargeback in the last 365 days.',
    },
    source: 'Dispute programmes (DESIGN §4: Visa VAMP, Mastercard ECM) count every chargeback against the merchant; one prior chargeback on the instrument is enough.',
  },
  {
    key: 'prior_fraud_user',
    draft: {
      name: 'Prior fraud on the user',
      eventKind: 'any',
      expression: 'user.chargebacks > 0 || user.fraud_refunds > 0 || user.account_takeovers > 0 || card.fraud_refunds > 0 || device.fraud_refunds > 0',
      action: 'review',
      score: 50,
      severity: 'high',
      description: 'The user had a chargeback, fraud refund or confirmed account takeover, or the card or device a fraud refund, in the last 365 days.',
    },
    source: 'Issue 4 facts "prior chargebacks and fraud refunds"; any prior fraud sends the next event to a person.',
  },
  {
    key: 'method_limit_exceeded',
    draft: {
      name: 'Amount above the method limit',
      expression: `(event.method in ${APP_STORES} && method.coins_24h > 700000) || (!(event.method in ${APP_STORES}) && method.coins_24h > 350000)`,
      action: 'review',
      score: 40,
      severity: 'medium',
      description: 'More coins bought with this payment method in 24 hours than its daily limit: 350,000 coins for cards, wallets and PayPal, 700,000 for app stores (the store bears the card risk).',
    },
    source: 'coinops policy (no published figure): daily per-user limits per payment method, in coins so that they hold in every currency.',
  },
];
