import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const PROXIED_PREFIXES = ['/api/', '/api?', '/metrics'];

function proxy(req: IncomingMessage, res: ServerResponse, apiPort: number) {
  const upstream = request(
    { host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${apiPort}` } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`API unreachable: ${error.message}`);
  });
  req.pipe(upstream);
}

async function serveFile(req: IncomingMessage, res: ServerResponse, distDir: string) {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://console').pathname);
  const candidate = normalize(join(distDir, path));
  const insideDist = candidate.startsWith(distDir.endsWith(sep) ? distDir : distDir + sep);
  const file = insideDist && (await stat(candidate).catch(() => null))?.isFile() ? candidate : join(distDir, 'index.html');
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

/**
 * What a deployment does in front of the console: the built files, and `/api` and `/metrics` forwarded
 * to the API, so the browser sees one origin exactly as with `vite preview`.
 */
export async function serveConsole(distDir: string, apiPort: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (PROXIED_PREFIXES.some((prefix) => req.url === prefix.replace(/[/?]$/, '') || req.url?.startsWith(prefix))) {
      proxy(req, res, apiPort);
    } else {
      serveFile(req, res, distDir).catch((error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('console server has no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
