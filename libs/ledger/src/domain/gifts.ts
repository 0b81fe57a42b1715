import { creatorDiamonds, platformCoinsRounding, platformCoinsSpent, platformDiamondsIssued, userCoins } from '../accounts/account-codes';
import { DEFAULT_ECONOMY, EconomySettings, splitGift } from '../economy/economy';
import type { PostingInput, TransactionInput } from '../transactions/types';

export interface GiftEntry {
  readonly giftId: string;
  readonly senderId: string;
  readonly creatorId: string;
  readonly coins: bigint;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export function giftKey(giftId: string): string {
  return `gift:${giftId}`;
}

/**
 * Gift of N coins: the sender's coins to `platform:coins:spent` (and `platform:coins:rounding` for coins
 * worth less than a whole diamond); diamonds issued to the creator at the economy's rate.
 */
export function buildGift(entry: GiftEntry, economy: EconomySettings = DEFAULT_ECONOMY): TransactionInput {
  const split = splitGift(entry.coins, economy.diamondsPerCoin);
  const postings: PostingInput[] = [{ account: userCoins(entry.senderId), amount: -entry.coins }];
  if (split.coinsForDiamonds > 0n) postings.push({ account: platformCoinsSpent(), amount: split.coinsForDiamonds });
  if (split.roundingCoins > 0n) postings.push({ account: platformCoinsRounding(), amount: split.roundingCoins });
  if (split.diamonds > 0n) {
    postings.push({ account: platformDiamondsIssued(), amount: -split.diamonds }, { account: creatorDiamonds(entry.creatorId), amount: split.diamonds });
  } else {
    // No diamond earned: still validate the creator id, so a bad event is refused whatever its size.
    creatorDiamonds(entry.creatorId);
  }
  return {
    idempotencyKey: giftKey(entry.giftId),
    type: 'gift',
    postings,
    reference: { type: 'gift', id: entry.giftId },
    metadata: entry.metadata,
  };
}
