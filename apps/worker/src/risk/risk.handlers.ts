import { JOBS } from '@coinops/outbox';
import type { GiftEvent, SubjectFacts } from '@coinops/risk';
import type { WorkerDomain } from '../domain/domain.providers';
import { handler } from '../job-handlers';

/** Gifts evaluated per call (the engine takes at most 1,000). */
const GIFTS_PER_EVALUATION = 500;

interface SenderRow {
  id: string;
  country: string | null;
  email: string | null;
  birth_year: number | null;
  created_at: Date;
  frozen_at: Date | null;
}

/**
 * `gifts.posted`: the gifts of one API batch are evaluated by the risk engine after the fact (the gift is
 * already posted: gifting stays synchronous). Each becomes an observation for the gift-side features
 * (distinct payers into a creator, the share of young payers, coins gifted soon after a recharge) and a
 * recorded decision, so the gift rules of the default pack (a recharge gifted away within minutes, young
 * payers concentrated on one creator, under-18 senders) raise alerts for trust and safety and count in
 * backtests. Idempotent twice over: the job's receipt, and one decision per gift id.
 */
export const riskHandlers = (domain: WorkerDomain) => [
  handler(JOBS.giftsPosted, async (manager, payload) => {
    const senders = [...new Set(payload.gifts.map((g) => g.sender_id))];
    const rows: SenderRow[] = await manager.query(`SELECT id, country, email, birth_year, created_at, frozen_at FROM users WHERE id = ANY($1::text[])`, [senders]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const inputs = payload.gifts.map((gift) => {
      const sender = byId.get(gift.sender_id);
      const occurredAt = new Date(gift.occurred_at);
      const event: GiftEvent = {
        kind: 'gift',
        id: gift.gift_id,
        userId: gift.sender_id,
        creatorId: gift.creator_id,
        coins: BigInt(gift.coins),
        senderCreatedAt: sender?.created_at,
        occurredAt,
      };
      return { event, subject: subjectFacts(sender, occurredAt) };
    });
    for (let start = 0; start < inputs.length; start += GIFTS_PER_EVALUATION) {
      await domain.risk.evaluateBatch(inputs.slice(start, start + GIFTS_PER_EVALUATION), { manager });
    }
  }),
];

/** A sender the platform has not told us about counts as a brand-new account (as for recharges). */
function subjectFacts(sender: SenderRow | undefined, occurredAt: Date): SubjectFacts {
  if (!sender) return { createdAt: occurredAt };
  return {
    createdAt: sender.created_at,
    country: sender.country ?? undefined,
    birthYear: sender.birth_year ?? undefined,
    emailDomain: sender.email?.split('@')[1]?.toLowerCase(),
    frozen: sender.frozen_at !== null,
  };
}
