/**
 * Gifts as signed `gift.sent` events to `POST /api/events` (DESIGN §7), over keep-alive HTTP/1.1
 * connections: the whole path an event takes (signature, validation, group commit, ledger batch).
 * Shaped like the benchmark's `GiftSender`, so `src/bench.ts --mode=http` can use it too.
 */
import { Agent, request } from 'node:http';
import { signEvent } from '@coinops/economy';

export interface HttpGift {
  readonly giftId: string;
  readonly senderId: string;
  readonly creatorId: string;
  readonly coins: bigint;
}

export interface HttpGiftSender {
  readonly description: string;
  /** Resolves with the HTTP status (200 posted, 409 refused); rejects on a transport error or a 5xx. */
  send(gift: HttpGift): Promise<number>;
  close(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** `apiUrls`: one API, or several replicas taken in turn (as a load balancer would). */
export function httpGiftSender(apiUrls: string | readonly string[], eventsSecret: string, options: { connections?: number } = {}): HttpGiftSender {
  const urls = (typeof apiUrls === 'string' ? [apiUrls] : apiUrls).map((apiUrl) => new URL('/api/events', apiUrl));
  const connections = options.connections ?? 64;
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const occurredAt = new Date().toISOString();
  let turn = 0;
  return {
    description: `HTTP: signed gift.sent events to ${urls.map((u) => u.href).join(' + ')} over keep-alive connections (at most ${connections} per API)`,
    send(gift) {
      const url = urls[turn++ % urls.length];
      const body = JSON.stringify({
        id: `evt_${gift.giftId}`,
        type: 'gift.sent',
        occurred_at: occurredAt,
        data: { gift_id: gift.giftId, sender_id: gift.senderId, creator_id: gift.creatorId, coins: gift.coins.toString() },
      });
      return new Promise<number>((resolve, reject) => {
        const call = request(
          url,
          {
            method: 'POST',
            agent,
            timeout: REQUEST_TIMEOUT_MS,
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Coinops-Signature': signEvent(eventsSecret, body) },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const status = response.statusCode ?? 0;
              if (status >= 500 || (status >= 300 && status !== 409)) reject(new Error(`gift ${gift.giftId}: HTTP ${status} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
              else resolve(status);
            });
          },
        );
        call.on('timeout', () => call.destroy(new Error(`gift ${gift.giftId}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
        call.on('error', reject);
        call.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}
