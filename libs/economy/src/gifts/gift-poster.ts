import { enqueue, JOBS } from '@coinops/outbox';
import { Conflict, DomainError, IdempotencyConflict } from '@coinops/contracts';
import { buildGift, GroupCommit, splitGift, type BatchResult, type Ledger, type LedgerCommand } from '@coinops/ledger';
import type { DataSource, EntityManager } from 'typeorm';
import type { GiftSentEvent } from '../events/event-schemas';
import { errorReply, insertEvents, markRejected, storedReplies, type EventRecord, type EventReply } from '../events/event-store';

export interface GiftPosterOptions {
  /** Gifts per database transaction (at most 1000, the ledger's batch limit). */
  readonly maxBatchSize?: number;
  /** How long the first gift of a batch waits for company, in milliseconds. */
  readonly maxWaitMs?: number;
  /** Batches in flight at once; each holds one pooled connection. */
  readonly maxConcurrentBatches?: number;
  /** Gifts waiting beyond this are refused with 429 rather than queued without end. */
  readonly maxQueued?: number;
}

export interface GiftPosterStats {
  batches: number;
  gifts: number;
  retriedBatches: number;
}

/** Attempts of one batch after a deadlock or serialization failure (never expected: locks are ordered). */
const ATTEMPTS_PER_BATCH = 3;
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '23505']);

/**
 * Posts `gift.sent` events synchronously, many per database transaction (group commit): concurrent
 * requests arriving together share one transaction that stores their events, opens unknown senders and
 * creators, posts the gifts in one ledger batch and writes the gift rows. Each request still gets its
 * own answer: 200 with the gift, or 409 (not enough coins, frozen sender), remembered under the event id.
 */
export class GiftPoster {
  private readonly group: GroupCommit<GiftSentEvent, EventReply>;
  private readonly counters: GiftPosterStats = { batches: 0, gifts: 0, retriedBatches: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    options: GiftPosterOptions = {},
  ) {
    this.group = new GroupCommit((events) => this.run(events), {
      maxBatchSize: Math.max(1, Math.min(options.maxBatchSize ?? 200, 1000)),
      maxWaitMs: Math.max(0, Math.min(options.maxWaitMs ?? 2, 1000)),
      maxConcurrentBatches: Math.max(1, Math.min(options.maxConcurrentBatches ?? 4, 32)),
      maxQueued: options.maxQueued ?? 20_000,
      fullMessage: 'too many gifts waiting; retry shortly',
    });
  }

  stats(): Readonly<GiftPosterStats> {
    return { ...this.counters };
  }

  /** Full batches go at once; a partial one after `maxWaitMs`, or as soon as a batch in flight completes. */
  submit(event: GiftSentEvent): Promise<EventReply> {
    return this.group.submit(event);
  }

  /** One batch: a reply per event, in order. */
  private async run(events: readonly GiftSentEvent[]): Promise<EventReply[]> {
    // The same event id twice in one batch: the second shares the first's fate (or conflicts with it).
    const firstOf = new Map<string, GiftSentEvent>();
    for (const event of events) if (!firstOf.has(event.id)) firstOf.set(event.id, event);
    const unique = [...firstOf.values()];
    const records = unique.map((event) => ({ event, status: 'processed' as const, reply: acceptedReply(event, this.ledger) }));

    let written: Map<string, EventReply> | undefined;
    for (let attempt = 1; written === undefined; attempt += 1) {
      try {
        written = await this.dataSource.transaction((manager) => this.write(manager, records));
      } catch (error) {
        if (attempt >= ATTEMPTS_PER_BATCH || !RETRYABLE_SQLSTATES.has((error as { code?: string })?.code ?? '')) throw error;
        this.counters.retriedBatches += 1;
      }
    }
    const seenBefore = unique.filter((event) => !written!.has(event.id));
    const replies = new Map([...written, ...(await storedReplies(this.dataSource, seenBefore))]);
    this.counters.batches += 1;
    this.counters.gifts += events.length;

    return events.map((event) => {
      const reply = replies.get(event.id) as EventReply;
      if (firstOf.get(event.id) === event) return reply;
      if (firstOf.get(event.id)!.bodyHash !== event.bodyHash) return { ...errorReply(new IdempotencyConflict(`event:${event.id}`)), replayed: false };
      return { ...reply, replayed: true };
    });
  }

  /** Inside the batch's transaction: the events first (a concurrent duplicate waits here), then the postings. */
  private async write(manager: EntityManager, records: readonly EventRecord[]): Promise<Map<string, EventReply>> {
    const inserted = await insertEvents(manager, records);
    const fresh = records.filter((r) => inserted.has(r.event.id)).map((r) => r as EventRecord & { event: GiftSentEvent });
    const replies = new Map<string, EventReply>();
    if (fresh.length === 0) return replies;

    const frozen = await openProfilesAndFindFrozen(manager, fresh.map((r) => r.event.data.sender_id), fresh.map((r) => r.event.data.creator_id));

    const rejections: Array<{ id: string; reply: Omit<EventReply, 'replayed'> }> = [];
    const toPost: Array<EventRecord & { event: GiftSentEvent }> = [];
    const commands: LedgerCommand[] = [];
    for (const record of fresh) {
      const sender = record.event.data.sender_id;
      if (frozen.has(sender)) {
        rejections.push({ id: record.event.id, reply: errorReply(new Conflict(`user ${sender} is frozen: gifting is suspended`, undefined, { user_id: sender, state: 'frozen' })) });
        continue;
      }
      try {
        commands.push({ op: 'transfer', input: buildGift(giftEntry(record.event), this.ledger.economy) });
        toPost.push(record);
      } catch (error) {
        // The events' validation already checked what the ledger checks; one bad gift must still not fail its batch.
        if (!(error instanceof DomainError)) throw error;
        rejections.push({ id: record.event.id, reply: errorReply(error) });
      }
    }
    const results: readonly BatchResult[] = commands.length ? await this.ledger.postBatch(commands, { manager }) : [];

    const posted: Array<{ event: GiftSentEvent; transactionId: string }> = [];
    results.forEach((result, index) => {
      const { event } = toPost[index];
      if (result.ok) posted.push({ event, transactionId: result.transaction.id });
      else rejections.push({ id: event.id, reply: errorReply(result.error as DomainError) });
    });
    await insertGifts(manager, posted, this.ledger);
    if (posted.length) {
      // One job per batch: the worker feeds the gifts to the risk engine's features, off the request path.
      await enqueue(manager, JOBS.giftsPosted, {
        gifts: posted.map(({ event }) => ({
          gift_id: event.data.gift_id,
          sender_id: event.data.sender_id,
          creator_id: event.data.creator_id,
          coins: event.data.coins.toString(),
          occurred_at: event.occurredAt.toISOString(),
        })),
      });
    }
    await markRejected(manager, rejections);

    for (const record of fresh) replies.set(record.event.id, { ...record.reply, replayed: false });
    for (const rejection of rejections) replies.set(rejection.id, { ...rejection.reply, replayed: false });
    return replies;
  }
}

function giftEntry(event: GiftSentEvent) {
  const { gift_id, sender_id, creator_id, coins, gift_type, live_session_id } = event.data;
  return {
    giftId: gift_id,
    senderId: sender_id,
    creatorId: creator_id,
    coins,
    // Part of the ledger's idempotency hash: the same gift sent again under another event id must match.
    metadata: { ...(gift_type ? { gift_type } : {}), ...(live_session_id ? { live_session_id } : {}) },
  };
}

/** The answer of a gift that posts: stored with the event before posting, replaced if the gift is refused. */
function acceptedReply(event: GiftSentEvent, ledger: Ledger): Omit<EventReply, 'replayed'> {
  const split = splitGift(event.data.coins, ledger.economy.diamondsPerCoin);
  return {
    status: 200,
    body: {
      id: event.id,
      type: event.type,
      status: 'processed',
      gift: {
        id: event.data.gift_id,
        sender_id: event.data.sender_id,
        creator_id: event.data.creator_id,
        coins: event.data.coins.toString(),
        diamonds: split.diamonds.toString(),
        rounding_coins: split.roundingCoins.toString(),
      },
    },
  };
}

/**
 * One round trip: a gift may name a user or creator before their *.created event, so their rows open empty
 * (profile_received false; sorted, so concurrent batches wait on each other in one order); and the senders
 * that are frozen. The SELECT sees the rows as they were before this statement: a row opened here is never frozen.
 */
async function openProfilesAndFindFrozen(manager: EntityManager, senderIds: readonly string[], creatorIds: readonly string[]): Promise<Set<string>> {
  const senders = [...new Set(senderIds)].sort();
  const rows: Array<{ id: string }> = await manager.query(
    `WITH opened_users AS (
       INSERT INTO users (id) SELECT id FROM unnest($1::text[]) AS s(id) ORDER BY id ON CONFLICT (id) DO NOTHING
     ), opened_creators AS (
       INSERT INTO creators (id) SELECT id FROM unnest($2::text[]) AS s(id) ORDER BY id ON CONFLICT (id) DO NOTHING
     )
     SELECT id FROM users WHERE id = ANY($1::text[]) AND frozen_at IS NOT NULL`,
    [senders, [...new Set(creatorIds)].sort()],
  );
  return new Set(rows.map((row) => row.id));
}

/** Gift rows of posted gifts; a gift id posted before (under another event id) already has its row. */
async function insertGifts(manager: EntityManager, all: ReadonlyArray<{ event: GiftSentEvent; transactionId: string }>, ledger: Ledger): Promise<void> {
  const posted = [...new Map(all.map((p) => [p.event.data.gift_id, p])).values()];
  if (posted.length === 0) return;
  const splits = posted.map(({ event }) => splitGift(event.data.coins, ledger.economy.diamondsPerCoin));
  await manager.query(
    `INSERT INTO gifts (id, event_id, sender_id, creator_id, coins, diamonds, rounding_coins, gift_type, live_session_id, ledger_transaction_id, occurred_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[])
     ON CONFLICT (id) DO NOTHING`,
    [
      posted.map(({ event }) => event.data.gift_id),
      posted.map(({ event }) => event.id),
      posted.map(({ event }) => event.data.sender_id),
      posted.map(({ event }) => event.data.creator_id),
      posted.map(({ event }) => event.data.coins.toString()),
      splits.map((split) => split.diamonds.toString()),
      splits.map((split) => split.roundingCoins.toString()),
      posted.map(({ event }) => event.data.gift_type ?? null),
      posted.map(({ event }) => event.data.live_session_id ?? null),
      posted.map(({ transactionId }) => transactionId),
      posted.map(({ event }) => event.occurredAt.toISOString()),
    ],
  );
}
