import { JOBS } from '@coinops/outbox';
import type { WorkerDomain } from '../domain/domain.providers';
import { handler } from '../job-handlers';

/**
 * `gifts.posted`: the gifts of one API batch become risk observations (distinct payers into a creator,
 * the share of young payers, coins gifted soon after a recharge). Idempotent twice over: the job's receipt,
 * and the risk engine's one observation per gift id.
 */
export const riskHandlers = (domain: WorkerDomain) => [
  handler(JOBS.giftsPosted, async (manager, payload) => {
    const senders = [...new Set(payload.gifts.map((g) => g.sender_id))];
    const rows: Array<{ id: string; created_at: Date }> = await manager.query(`SELECT id, created_at FROM users WHERE id = ANY($1::text[])`, [senders]);
    const createdAt = new Map(rows.map((row) => [row.id, row.created_at]));
    for (const gift of payload.gifts) {
      await domain.risk.observe(
        {
          kind: 'gift',
          id: gift.gift_id,
          userId: gift.sender_id,
          creatorId: gift.creator_id,
          coins: BigInt(gift.coins),
          senderCreatedAt: createdAt.get(gift.sender_id),
          occurredAt: new Date(gift.occurred_at),
        },
        { manager },
      );
    }
  }),
];
