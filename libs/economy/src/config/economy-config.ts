import { ValidationFailed } from '@coinops/contracts';
import { ratio, type CoinPackage, type EconomySettings, type IntegerRatio } from '@coinops/ledger';
import type { Queryable } from '../events/event-store';

/**
 * The economy's configuration (DESIGN §2), stored in `economy_ratios` and `coin_packages`: every
 * conversion an integer fraction, and where its rounding remainder goes. Read once at start-up by the
 * API and the worker and handed to the Ledger; a change takes effect at the next start.
 */
export interface RatioDto {
  numerator: string;
  denominator: string;
  /** The platform account that receives what rounding down leaves. */
  remainder_account: string;
  description: string;
}

export interface CoinPackageDto {
  id: string;
  coins: string;
  active: boolean;
  /** Price per currency, minor units as decimal strings: `{ "USD": "99" }`. */
  prices: Record<string, string>;
}

export interface EconomyConfigDto {
  diamonds_per_coin: RatioDto;
  cash_minor_per_diamond: Record<string, RatioDto>;
  coin_packages: CoinPackageDto[];
}

export interface EconomyConfig {
  /** What the Ledger takes (`new Ledger(dataSource, { economy: config.settings })`). */
  readonly settings: EconomySettings;
  readonly dto: EconomyConfigDto;
}

const MAX_PACKAGES = 200;

export async function loadEconomyConfig(source: Queryable): Promise<EconomyConfig> {
  const ratios: Array<{ key: string; numerator: string; denominator: string; remainder_account: string; description: string }> = await source.query(
    `SELECT key, numerator::text, denominator::text, remainder_account, description FROM economy_ratios ORDER BY key`,
  );
  const packages: Array<{ id: string; coins: string; active: boolean; currency: string | null; price_minor: string | null }> = await source.query(
    `SELECT p.id, p.coins::text, p.active, pr.currency, pr.price_minor::text
     FROM (SELECT * FROM coin_packages ORDER BY coins, id LIMIT ${MAX_PACKAGES}) p
     LEFT JOIN coin_package_prices pr ON pr.package_id = p.id
     ORDER BY p.coins, p.id, pr.currency`,
  );

  const toRatio = (row: (typeof ratios)[number]): IntegerRatio => ratio(BigInt(row.numerator), BigInt(row.denominator));
  const toDto = (row: (typeof ratios)[number]): RatioDto => ({ numerator: row.numerator, denominator: row.denominator, remainder_account: row.remainder_account, description: row.description });
  const diamonds = ratios.find((row) => row.key === 'diamonds_per_coin');
  if (!diamonds) throw new Error('economy_ratios has no diamonds_per_coin: run the migrations');

  const cashRatios: Record<string, IntegerRatio> = {};
  const cashDtos: Record<string, RatioDto> = {};
  for (const row of ratios.filter((r) => r.key.startsWith('cash_minor_per_diamond:'))) {
    const currency = row.key.slice('cash_minor_per_diamond:'.length);
    cashRatios[currency] = toRatio(row);
    cashDtos[currency] = toDto(row);
  }

  const packageDtos = new Map<string, CoinPackageDto>();
  const ledgerPackages: CoinPackage[] = [];
  for (const row of packages) {
    const dto = packageDtos.get(row.id) ?? { id: row.id, coins: row.coins, active: row.active, prices: {} };
    packageDtos.set(row.id, dto);
    if (row.currency && row.price_minor) {
      dto.prices[row.currency] = row.price_minor;
      if (row.active) ledgerPackages.push({ id: row.id, coins: BigInt(row.coins), priceMinor: BigInt(row.price_minor), currency: row.currency });
    }
  }

  return {
    settings: Object.freeze({ diamondsPerCoin: toRatio(diamonds), cashMinorPerDiamond: Object.freeze(cashRatios), coinPackages: Object.freeze(ledgerPackages) }),
    dto: { diamonds_per_coin: toDto(diamonds), cash_minor_per_diamond: cashDtos, coin_packages: [...packageDtos.values()] },
  };
}

/**
 * A package's price in one currency. The ledger's `CoinPackage` has one currency per entry, so
 * `settings.coinPackages` lists a package once per priced currency; look prices up here.
 */
export function packagePrice(config: EconomyConfig, packageId: string, currency: string): { coins: bigint; priceMinor: bigint } {
  const found = config.dto.coin_packages.find((p) => p.id === packageId && p.active);
  if (!found) throw ValidationFailed.field('package_id', `unknown or inactive coin package ${packageId}`);
  const price = found.prices[currency];
  if (!price) throw ValidationFailed.field('currency', `coin package ${packageId} has no ${currency} price`);
  return { coins: BigInt(found.coins), priceMinor: BigInt(price) };
}
