import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedStripe } from '@coinops/payments';
import { Control } from './control';
import { parseForm } from './form';
import { stripeSimOptions, type StripeSimOptions } from './options';
import { StripeApi, stripeError, type Reply } from './stripe-api';

const MAX_BODY_BYTES = 256 * 1024;

export interface StripeSimServer {
  /** `http://host:port` */
  url: string;
  port: number;
  stripe: SimulatedStripe;
  api: StripeApi;
  options: StripeSimOptions;
  stop(): Promise<void>;
}

/**
 * The Stripe simulator as an HTTP process: `/v1/refunds`, `/v1/transfers` and `/v1/charges/:id` for
 * the official `stripe` client (`createStripeClient(key, { host, port, protocol: 'http' })`), `/sim/...`
 * control endpoints, and every event delivered to the API as a signed webhook (late, shuffled, some
 * twice, retried) by `WebhookDelivery`.
 */
export async function startStripeSim(given: Partial<StripeSimOptions> = {}): Promise<StripeSimServer> {
  const options = stripeSimOptions(given);
  let control: Control | null = null;
  const stripe = new SimulatedStripe({
    secret: options.webhookSecret,
    seed: options.seed,
    // Objects made through /sim with `created` carry that (simulated) time; the rest, now.
    nowSeconds: () => control?.clockSeconds ?? Date.now() / 1000,
    // Signatures are always made with the real clock: the API refuses timestamps older than 300 s.
    delivery: { ...options.delivery, url: options.webhookUrl, nowSeconds: () => Date.now() / 1000 },
  });
  const api = new StripeApi(stripe, options);
  control = new Control(stripe, api);
  const routes = control;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => send(response, stripeError(500, 'api_error', `simulator error: ${String(error).slice(0, 200)}`)));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    if (raw === null) return send(response, stripeError(413, 'invalid_request_error', `request body larger than ${MAX_BODY_BYTES} bytes`));
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const method = request.method ?? 'GET';
    if (path.startsWith('/sim/')) {
      let body: Record<string, unknown> = {};
      if (raw.length) {
        try {
          body = JSON.parse(raw);
        } catch {
          return send(response, stripeError(400, 'invalid_request_error', 'body must be JSON'));
        }
      }
      return send(response, routes.route(method, path, body ?? {}) ?? stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`));
    }
    if (!path.startsWith('/v1/')) return send(response, stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`));
    const refused = authenticate(request.headers.authorization, options.apiKey);
    if (refused) return send(response, refused);
    await sleep(api.latencyMs());
    const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'].slice(0, 255) : null;
    if (method === 'POST' && path === '/v1/refunds') return send(response, api.createRefund(parseForm(raw), key));
    if (method === 'POST' && path === '/v1/transfers') return send(response, api.createTransfer(parseForm(raw), key));
    const charge = /^\/v1\/charges\/([A-Za-z0-9_]{1,100})$/.exec(path);
    if (method === 'GET' && charge) return send(response, api.getCharge(charge[1]));
    return send(response, stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}). The simulator speaks POST /v1/refunds, POST /v1/transfers and GET /v1/charges/:id.`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    stripe,
    api,
    options,
    async stop() {
      api.stop();
      stripe.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function authenticate(header: string | undefined, apiKey: string | null): Reply | null {
  const key = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  if (!key) return stripeError(401, 'invalid_request_error', 'You did not provide an API key.');
  if (apiKey ? key !== apiKey : !key.startsWith('sk_')) return stripeError(401, 'invalid_request_error', 'Invalid API Key provided.');
  return null;
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

let requestCounter = 0;

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return;
  requestCounter += 1;
  response.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_sim${requestCounter}`, ...reply.headers });
  response.end(JSON.stringify(reply.body));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
