import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { errorBody } from './infrastructure/error.filter';

/** Same bound as the JSON parser of every other route (app.factory's BODY_LIMIT, 256 kB). */
export const MACHINE_BODY_LIMIT_BYTES = 256 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** What a fast-path handler gets: the raw body (kept for signature checks) and the parsed JSON. */
export interface MachineRequest {
  headers: IncomingMessage['headers'];
  rawBody: Buffer | undefined;
  body: unknown;
}

/**
 * A machine-to-machine route answered before Express: the route's own authentication (a service
 * token, a provider signature) runs in `handle`, which throws DomainErrors like a controller.
 */
export interface MachineRoute {
  method: 'POST';
  path: string;
  /** The route's pattern in metrics (the same label Express would give it). */
  metricsRoute: string;
  handle(request: MachineRequest): Promise<unknown>;
}

export interface MachineRouteHooks {
  /** Called per request with the raw objects, like an Express middleware (metrics). */
  observe?: (req: IncomingMessage, res: ServerResponse, route: MachineRoute) => void;
  log: (level: 'info' | 'warn' | 'error', entry: Record<string, unknown>, message: string) => void;
}

/**
 * A fast path for the machine routes (the payments service's decisions, provider webhooks): each
 * request through Express and Nest costs ~0.45 ms of CPU before the handler runs (router, pino-http,
 * helmet, CORS, body parser, guards, interceptors; measured in docs/risk.md), more than the decision
 * itself. These routes need none of it but their own authentication, the JSON body, the error shape,
 * the request id, the access log and the metrics, which this keeps. Only an exact `POST <path>` with a
 * JSON body, no Origin header (browsers go through CORS in Express) and no content encoding is taken;
 * everything else, including every other route, goes to Express and its deny-by-default guard.
 */
export function installMachineRoutes(server: Server, routes: MachineRoute[], hooks: MachineRouteHooks): void {
  const byPath = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (listeners.length !== 1) throw new Error(`expected one request listener (Express), found ${listeners.length}`);
  const express = listeners[0];
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = byPath.get(`${req.method} ${req.url}`);
    if (!route || req.headers.origin !== undefined || req.headers['content-encoding'] !== undefined) return express(req, res);
    void serve(route, req, res, hooks);
  });
}

async function serve(route: MachineRoute, req: IncomingMessage, res: ServerResponse, hooks: MachineRouteHooks): Promise<void> {
  const startedAt = performance.now();
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  hooks.observe?.(req, res, route);
  let status = 200;
  let payload: unknown;
  let failure: unknown;
  try {
    const rawBody = await readBody(req);
    const isJson = JSON_TYPE.test(req.headers['content-type'] ?? '');
    payload = await route.handle({ headers: req.headers, rawBody: isJson ? rawBody : undefined, body: isJson ? parseJson(rawBody) : undefined });
  } catch (error) {
    failure = error;
    const body = errorBody(error);
    status = body.statusCode;
    payload = body;
  }
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  hooks.log(
    level,
    {
      req: { id: requestId, method: req.method, url: req.url, remote_address: req.socket.remoteAddress },
      res: { status_code: status },
      responseTime: Math.round(performance.now() - startedAt),
      ...(level === 'error' && failure instanceof Error && { err: { message: failure.message, stack: failure.stack } }),
    },
    level === 'info' ? 'request completed' : 'request errored',
  );
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
  ) {
    super(type);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MACHINE_BODY_LIMIT_BYTES) {
      req.resume();
      return reject(new BodyError(413, 'entity.too.large'));
    }
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MACHINE_BODY_LIMIT_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyError(413, 'entity.too.large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

/** Like express.json in strict mode: an object or an array, or a 400 naming the body. */
function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BodyError(400, 'entity.parse.failed');
  }
  if (typeof value !== 'object' || value === null) throw new BodyError(400, 'entity.parse.failed');
  return value;
}
