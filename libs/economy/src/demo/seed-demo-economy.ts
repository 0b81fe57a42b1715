import { systemActor } from '@coinops/access';
import { Ledger, platformAccount, userCoins } from '@coinops/ledger';
import type { DataSource } from 'typeorm';
import { loadEconomyConfig, packagePrice } from '../config/economy-config';
import { parsePlatformEvent } from '../events/event-schemas';
import { PlatformEventsService } from '../events/platform-events';
import { GiftPoster } from '../gifts/gift-poster';
import { UsersService } from '../users/users';

/** The demo economy's people: what `npm start` and the console's browser tests show. */
export const DEMO_ECONOMY = {
  users: { ana: 'demo_ana', ben: 'demo_ben', chloe: 'demo_chloe' },
  creators: { mia: 'demo_creator_mia', leo: 'demo_creator_leo' },
} as const;

const { ana, ben, chloe } = DEMO_ECONOMY.users;
const { mia, leo } = DEMO_ECONOMY.creators;
const DEMO_TIME = new Date('2026-01-15T12:00:00Z');

/**
 * Seeds a small economy through the same paths as production: signed-event processing for profiles and
 * gifts, the ledger's recharge primitives for coins (there is no recharge flow yet), a held recharge, a
 * chargeback clawback that leaves a debt, and a frozen user. Every step has a fixed id, so seeding twice
 * changes nothing. Never run in production (the caller checks). The data source needs `accessEntities` (audit rows).
 *
 * Ends with: ana 1,400 coins bought, 365 gifted; ben 350 bought, 350 more held for review, 50 gifted;
 * chloe 70 bought, 60 gifted, then a 70-coin chargeback: 60 coins of debt, and frozen.
 */
export async function seedDemoEconomy(dataSource: DataSource): Promise<{ users: number; creators: number; gifts: number }> {
  const economy = await loadEconomyConfig(dataSource);
  const ledger = new Ledger(dataSource, { economy: economy.settings });
  const events = new PlatformEventsService(dataSource, new GiftPoster(dataSource, ledger, { maxWaitMs: 0 }));
  let sequence = 0;
  const send = async (type: string, data: Record<string, unknown>) => {
    sequence += 1;
    const reply = await events.receive(
      parsePlatformEvent({ id: `demo_evt_${sequence}`, type, occurred_at: new Date(DEMO_TIME.getTime() + sequence * 60_000).toISOString(), data }),
    );
    if (reply.status >= 300) throw new Error(`demo ${type} ${JSON.stringify(data)}: ${reply.status} ${JSON.stringify(reply.body)}`);
  };
  const recharge = (rechargeId: string, userId: string, packageId: string) => {
    const { coins, priceMinor } = packagePrice(economy, packageId, 'USD');
    return { rechargeId, userId, coins, amountMinor: priceMinor, currency: 'USD', provider: 'stripe' };
  };

  await send('user.created', { user_id: ana, country: 'FR', email: 'ana@example.com', birth_year: 1994, device_id: 'demo-device-ana', ip: '203.0.113.10' });
  await send('user.created', { user_id: ben, country: 'US', email: 'ben@example.com', birth_year: 1988, device_id: 'demo-device-ben', ip: '198.51.100.7' });
  await send('user.created', { user_id: chloe, country: 'DE', email: 'chloe@example.com', birth_year: 2001, device_id: 'demo-device-chloe', ip: '192.0.2.44' });
  await send('creator.created', { creator_id: mia, user_id: 'demo_mia', country: 'US', payout_currency: 'USD', kyc_status: 'verified', tax_form: 'W-9' });
  await send('creator.created', { creator_id: leo, user_id: 'demo_leo', country: 'FR', payout_currency: 'EUR', kyc_status: 'pending' });

  await ledger.creditRecharge(recharge('demo_recharge_ana_1', ana, 'coins_1400'));
  await ledger.creditRecharge(recharge('demo_recharge_ben_1', ben, 'coins_350'));
  await ledger.holdRecharge(recharge('demo_recharge_ben_2', ben, 'coins_350'));
  await ledger.creditRecharge(recharge('demo_recharge_chloe_1', chloe, 'coins_70'));

  const gifts: Array<[string, string, string, number, string]> = [
    ['demo_gift_1', ana, mia, 100, 'lion'],
    ['demo_gift_2', ana, mia, 15, 'rose'],
    ['demo_gift_3', ben, leo, 50, 'galaxy'],
    ['demo_gift_4', ana, leo, 250, 'universe'],
    ['demo_gift_5', chloe, mia, 60, 'rose'],
  ];
  for (const [giftId, senderId, creatorId, coins, giftType] of gifts) {
    await send('gift.sent', { gift_id: giftId, sender_id: senderId, creator_id: creatorId, coins, gift_type: giftType, live_session_id: 'demo_live_1' });
  }

  // A chargeback's clawback takes back all 70 coins, though 60 were gifted: a visible debt (DESIGN §3).
  await ledger.post({
    idempotencyKey: 'demo_chargeback_chloe_1',
    type: 'chargeback',
    postings: [{ account: userCoins(chloe), amount: -70n }, { account: platformAccount('chargeback:coins', 'COIN'), amount: 70n }],
    reference: { type: 'recharge', id: 'demo_recharge_chloe_1' },
    metadata: { demo: true },
  });
  const [frozen] = await dataSource.query(`SELECT frozen_at FROM users WHERE id = $1`, [chloe]);
  if (!frozen?.frozen_at) await new UsersService(dataSource).freeze(systemActor('demo-seed'), chloe, 'demo: chargeback for a recharge the card holder did not make');
  return { users: 3, creators: 2, gifts: gifts.length };
}
