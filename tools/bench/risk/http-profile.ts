/**
 * Where the API's CPU goes on `POST /api/risk/decisions`: boots the API in this process (the same
 * `createApiApp` as main.ts), loads it with autocannon, records a V8 CPU profile of the measured part
 * only, and prints self time by package and by function. The load generator runs in this process
 * too, so its functions (autocannon, hdr-histogram) show up in the profile, named.
 *
 *   node -r @swc-node/register tools/bench/risk/http-profile.ts [--decisions=10000] [--out=/tmp/risk-api.cpuprofile]
 */
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { parseArgs } from 'node:util';
import { dropDatabase } from '@coinops/db';
import { deletePrefix, drive, freePort, prepareDatabase } from './http-setup';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/coinops_bench_risk_profile' },
    decisions: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '32' },
    out: { type: 'string', default: '/tmp/risk-api.cpuprofile' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const shape = { users: 10_000, events: 100_000, connections: Number(args.connections) };
const decisions = Number(args.decisions);
const KEY_PREFIX = `coinops-bench-risk-profile-${randomBytes(3).toString('hex')}`;
const TOP_FUNCTIONS = 40;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function post<T>(session: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** `node_modules/<package>` or the repository folder a script belongs to. */
function ownerOf(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const repo = /\/work\/main\/((?:apps|libs|tools)\/[^/]+)/.exec(url) ?? /\/((?:apps|libs|tools)\/[^/]+)\//.exec(url);
  if (repo) return repo[1];
  return url.startsWith('node:') || url === '' ? '(node and V8)' : url;
}

function summarize(profile: { nodes: ProfileNode[]; samples: number[] }): void {
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (!count) continue;
    const owner = ownerOf(node.callFrame.url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + count);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/work\/main\//, '')}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  const table = (map: Map<string, number>, limit: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, count]) => `  ${((100 * count) / total).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  console.log(`self time by package (${total} samples):\n${table(byOwner, 30)}`);
  console.log(`self time by function (top ${TOP_FUNCTIONS}):\n${table(byFunction, TOP_FUNCTIONS)}`);
}

async function main(): Promise<void> {
  const url = args.url as string;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const db = await prepareDatabase(url, redis, KEY_PREFIX, shape);
  const token = randomBytes(24).toString('hex');
  const port = await freePort();
  Object.assign(process.env, { DATABASE_URL: url, PORT: String(port), RISK_SERVICE_TOKEN: token, LOG_LEVEL: args['log-level'], NODE_ENV: 'development', QUEUE_PREFIX: KEY_PREFIX });
  // Imported after the environment is set: the API reads its configuration once, when it is built.
  const { createApiApp } = await import('../../../apps/api/src/app.factory');
  const app = await createApiApp();
  await app.listen(port, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${port}`;
  const session = new Session();
  session.connect();
  try {
    await drive(apiUrl, token, 2_000, shape);
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
    await post(session, 'Profiler.start');
    const run = await drive(apiUrl, token, decisions, shape);
    const { profile } = await post<{ profile: { nodes: ProfileNode[]; samples: number[] } }>(session, 'Profiler.stop');
    writeFileSync(args.out as string, JSON.stringify(profile));
    console.log(`${decisions} decisions in ${run.seconds.toFixed(2)} s (${Math.round(decisions / run.seconds)}/s, API and client in one process); profile in ${args.out}`);
    summarize(profile);
  } finally {
    session.disconnect();
    await app.close();
    await deletePrefix(redis, KEY_PREFIX);
    redis.disconnect();
    await db.destroy();
    await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
