import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './services';

export const REPO_ROOT = join(__dirname, '../../..');
const MAX_LOG_LINES = 200;
const BOOT_TIMEOUT_MS = 120_000;

/**
 * One api, worker or Stripe simulator process, started the way a deployment starts it (node + the TypeScript register
 * hook, configuration from the environment). Restartable: `kill()` is SIGKILL, `start()` boots a new one.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  readonly log: string[] = [];
  peakRssMb = 0;
  starts = 0;
  /** Exits nobody asked for (not our SIGKILL or stop): a crash, with the output that led to it. */
  readonly crashes: Array<{ atEpochMs: number; code: number | null; signal: string | null; lastLines: string[] }> = [];
  private expectingExit = false;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly port?: number,
    /** Without a port: the output line that says the process is ready (the worker's by default). */
    private readonly readyText = 'coinops worker running',
    private readonly args: string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--require', '@swc-node/register', this.script, ...this.args], { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts += 1;
    const keep = (chunk: Buffer) => {
      this.log.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((line) => `[${this.name}#${this.starts}] ${line}`));
      if (this.log.length > MAX_LOG_LINES) this.log.splice(0, this.log.length - MAX_LOG_LINES);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.expectingExit = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.expectingExit) this.crashes.push({ atEpochMs: Date.now(), code, signal, lastLines: this.log.filter((l) => l.startsWith(`[${this.name}#${this.starts}]`)).slice(-60) });
        resolve();
      }),
    );
    await this.waitReady(child);
  }

  /** SIGKILL: no shutdown hook runs, jobs in flight are abandoned mid-transaction. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.sampleRss();
    this.expectingExit = true;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.sampleRss();
    this.expectingExit = true;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** VmHWM of the current process (peak resident set), kept as the maximum over restarts. */
  sampleRss(): number {
    try {
      const status = readFileSync(`/proc/${this.child?.pid}/status`, 'utf8');
      const mb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      this.peakRssMb = Math.max(this.peakRssMb, mb);
    } catch {
      // not on Linux, or already gone
    }
    return this.peakRssMb;
  }

  failure(what: string): Error {
    return new Error(`${this.name}: ${what}\n--- last output ---\n${this.log.slice(-40).join('\n')}`);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw this.failure('exited while booting');
      if (this.port) {
        const ok = await fetch(`http://127.0.0.1:${this.port}/api/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
        if (ok) return;
      } else if (this.log.some((line) => line.includes(`#${this.starts}] ${this.readyText}`))) {
        return;
      }
      await sleep(200);
    }
    throw this.failure(`not ready within ${BOOT_TIMEOUT_MS} ms`);
  }
}
