import { buildGift, GiftEntry, Ledger, LedgerBatcher } from '@coinops/ledger';

/** One way of getting a gift posted; the benchmark times `send` per gift. */
export interface GiftSender {
  readonly description: string;
  send(gift: GiftEntry): Promise<void>;
  close(): Promise<void>;
}

/** Through the lib: concurrent callers coalesced by the LedgerBatcher (group commit), or one transaction per gift. */
export function libSender(ledger: Ledger, options: { batchSize: number; batchesInFlight: number; maxWaitMs: number }): GiftSender {
  if (options.batchSize <= 1) {
    return {
      description: 'lib, one database transaction per gift (Ledger.postGift)',
      send: async (gift) => {
        await ledger.postGift(gift);
      },
      close: async () => undefined,
    };
  }
  const batcher = new LedgerBatcher(ledger, {
    maxBatchSize: options.batchSize,
    maxConcurrentBatches: options.batchesInFlight,
    maxWaitMs: options.maxWaitMs,
    maxQueued: 1_000_000,
  });
  return {
    description: `lib, LedgerBatcher: up to ${options.batchSize} gifts per database transaction, ${options.batchesInFlight} in flight`,
    send: async (gift) => {
      await batcher.post({ op: 'transfer', input: buildGift(gift, ledger.economy) });
    },
    close: async () => undefined,
  };
}

/**
 * The HTTP path (signed `gift.sent` events to `POST /api/events`) is measured by
 * tools/bench/ledger/http-bench.ts, which starts the real API itself; this mode points there.
 */
export function httpSender(_apiUrl: string): GiftSender {
  throw new Error('--mode=http: run `node -r @swc-node/register tools/bench/ledger/http-bench.ts` (it starts the API and posts signed gift.sent events)');
}
