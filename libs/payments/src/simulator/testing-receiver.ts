import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  body: string;
  signature: string | undefined;
  atMs: number;
}

/**
 * A local HTTP endpoint for simulator tests: records every webhook and answers with `status(body)`.
 * Used by this lib's specs only (not exported from index.ts).
 */
export async function startReceiver(status: (body: string, count: number) => number = () => 200): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const startedAt = Date.now();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ body, signature: request.headers['stripe-signature'] as string | undefined, atMs: Date.now() - startedAt });
      response.writeHead(status(body, received.length));
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/stripe`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
