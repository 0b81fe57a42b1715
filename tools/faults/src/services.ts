import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';

const run = promisify(execFile);

/**
 * The PostgreSQL server binaries: PG_BIN if set, else Debian's newest `/usr/lib/postgresql/<version>/bin`
 * (15 on this machine and in CI), else wherever `initdb` is on the PATH.
 */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin/initdb'))) : [];
  if (versions.length) return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
  return '';
}
const PG_BIN = postgresBin();
const START_TIMEOUT_MS = 30_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A scratch directory for one run's servers; removed by `removeScratch`. */
export function makeScratch(): string {
  return mkdtempSync(join(tmpdir(), 'coinops-faults-'));
}

export function removeScratch(dir: string): void {
  if (dir.includes('coinops-faults-') && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A PostgreSQL cluster of the suite's own (initdb in a scratch directory, a free port, trust auth), so
 * restarting it hurts nobody else. initdb and the server refuse to run as root: as root they run as the
 * `postgres` system user (runuser), otherwise as whoever runs the suite.
 */
export class PrivatePostgres {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly logFile: string,
  ) {}

  static async create(scratch: string): Promise<PrivatePostgres> {
    const home = join(scratch, 'pg');
    await run('mkdir', ['-p', home]);
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(scratch, Number(stdout.trim()), Number(gid.trim()));
      chownSync(home, Number(stdout.trim()), Number(gid.trim()));
    }
    const server = new PrivatePostgres(join(home, 'data'), await freePort(), join(home, 'server.log'));
    await server.pg('initdb', ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await server.start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // Socket directory in the scratch dir: /var/run/postgresql may not be writable, and is not ours.
    const options = `-p ${this.port} -k ${join(this.dataDir, '..')} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB`;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', this.logFile, '-w', '-t', String(START_TIMEOUT_MS / 1000), 'start']);
  }

  /** `fast` rolls back open transactions and disconnects everyone; `immediate` is a crash (WAL recovery on start). */
  async restart(mode: 'fast' | 'immediate'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
    await this.start();
  }

  async stop(): Promise<void> {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  }

  /** A client for checks; fails fast while the server is down. */
  async query<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: `${this.url}/${database}`, connectionTimeoutMillis: 3_000 });
    // A restart terminates the connection ("administrator command"): the query fails, the process must not.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  private async pg(tool: string, args: string[]): Promise<void> {
    const binary = PG_BIN ? join(PG_BIN, tool) : tool;
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd: '/' });
    else await run(binary, args);
  }
}

/** A redis-server of the suite's own that keeps nothing on disk: a restart loses everything it held. */
export class PrivateRedis {
  private process?: ChildProcess;
  private constructor(readonly port: number) {}

  static async create(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await sleep(50);
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** SIGKILL: no save, no shutdown; whatever was queued in it is gone. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async restart(downMs: number): Promise<void> {
    await this.kill();
    await sleep(downMs);
    await this.start();
  }
}
