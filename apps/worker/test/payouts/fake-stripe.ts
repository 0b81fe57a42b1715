import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTransfer {
  id: string;
  amount: number;
  currency: string;
  destination: string;
  creatorId: string;
  idempotencyKey: string;
}

/**
 * Just enough of Stripe's `POST /v1/transfers` for the kill test: a transfer is created when the request
 * arrives (before the slow answer), and an idempotency key seen before answers the first transfer again,
 * as Stripe does. `onRequest(n)` sees every request as it arrives (the test kills the worker there).
 */
export async function startFakeStripe(options: { answerDelayMs: number; onRequest?: (count: number, key: string) => void }) {
  const transfers = new Map<string, FakeTransfer>();
  const creations: string[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      if (req.method !== 'POST' || req.url !== '/v1/transfers') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'not here' } }));
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const form = new URLSearchParams(body);
      requests += 1;
      options.onRequest?.(requests, key);
      let transfer = transfers.get(key);
      if (!transfer) {
        transfer = { id: `tr_fake_${creations.length + 1}`, amount: Number(form.get('amount')), currency: String(form.get('currency')), destination: String(form.get('destination')), creatorId: String(form.get('metadata[creator_id]')), idempotencyKey: key };
        transfers.set(key, transfer);
        creations.push(key);
      }
      const answer = { id: transfer.id, object: 'transfer', amount: transfer.amount, currency: transfer.currency, destination: transfer.destination, reversed: false, metadata: { creator_id: transfer.creatorId } };
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'application/json', 'Request-Id': `req_${requests}` }).end(JSON.stringify(answer));
      }, options.answerDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    transfers,
    /** Idempotency keys in the order their transfer was created (once each, whatever the retries). */
    creations,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}
