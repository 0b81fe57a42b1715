import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** The last lines a child printed, kept for the failure message; bounded so a chatty process cannot grow it. */
const MAX_LOG_LINES = 200;

export interface Child {
  name: string;
  process: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

const running = new Set<Child>();

// If the test runner dies between setup and teardown, do not leave an API listening behind.
process.once('exit', () => {
  for (const child of running) child.process.kill('SIGKILL');
});

export function startChild(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const spawned = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (log.length > MAX_LOG_LINES) log.splice(0, log.length - MAX_LOG_LINES);
  };
  spawned.stdout!.on('data', keep);
  spawned.stderr!.on('data', keep);
  const child: Child = {
    name,
    process: spawned,
    log,
    exited: new Promise((resolve) => {
      spawned.once('exit', (code) => {
        running.delete(child);
        resolve(code);
      });
      spawned.once('error', (error) => {
        log.push(String(error));
        running.delete(child);
        resolve(-1);
      });
    }),
  };
  running.add(child);
  return child;
}

export function describeFailure(child: Child, what: string): Error {
  return new Error(`${child.name}: ${what}\n--- last output ---\n${child.log.slice(-60).join('\n')}`);
}

/** Runs a command to completion, failing with its output if it exits non-zero or outlives the timeout. */
export async function runToCompletion(child: Child, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw describeFailure(child, `exited with ${code} (timeout ${timeoutMs} ms)`);
}

/** SIGTERM, then SIGKILL after a grace period: only the processes this harness started, by their pid. */
export async function stopChild(child: Child | undefined, graceMs = 5_000): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

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

/** Polls `url` until it answers 200, the child exits, or the deadline passes. */
export async function waitForHttpOk(child: Child, url: string, timeoutMs: number, intervalMs = 250): Promise<number> {
  const startedAt = Date.now();
  let exited = false;
  void child.exited.then(() => (exited = true));
  let lastProblem = 'no answer yet';
  while (Date.now() - startedAt < timeoutMs) {
    if (exited) throw describeFailure(child, `exited before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return Date.now() - startedAt;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = String((error as Error).cause ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw describeFailure(child, `${url} did not answer 200 within ${timeoutMs} ms (${lastProblem})`);
}

/** Waits until the child prints a line matching `pattern` (a process with no HTTP port, like the worker). */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs: number, intervalMs = 100): Promise<number> {
  const startedAt = Date.now();
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() - startedAt < timeoutMs) {
    if (child.log.some((line) => pattern.test(line))) return Date.now() - startedAt;
    if (exited) throw describeFailure(child, `exited before printing ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw describeFailure(child, `did not print ${pattern} within ${timeoutMs} ms`);
}
