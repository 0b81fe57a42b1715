/**
 * What the HTTP risk benchmark reads from the machine: CPU of each process from /proc, peak RSS, and
 * Redis's own account of the feature script. Linux only, like the rest of the benchmarks.
 */
import { readFileSync } from 'node:fs';
import type Redis from 'ioredis';

/** USER_HZ on Linux: /proc counts CPU time in hundredths of a second. */
export const TICKS_PER_SECOND = 100;

/** CPU ticks (user + system) of one process. */
export function processTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The highest resident set the process ever had (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Busy and total jiffies of the whole machine (all cores). */
export function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: fields.reduce((sum, value) => sum + value, 0) - idle, total: fields.reduce((sum, value) => sum + value, 0) };
}

/** Calls and microseconds Redis spent in EVALSHA (server-wide, read as a delta). */
export async function evalshaStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  const match = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
  return match ? { calls: Number(match[1]), usec: Number(match[2]) } : { calls: 0, usec: 0 };
}

/** CPU ticks of the Redis server, when it runs on this machine and /proc shows it. */
export async function redisTicks(redis: Redis): Promise<number | null> {
  const match = /process_id:(\d+)/.exec(await redis.info('server'));
  try {
    return match ? processTicks(Number(match[1])) : null;
  } catch {
    return null;
  }
}

/** Sum of the CPU ticks of PostgreSQL backends serving one application name (from /proc). */
export function backendTicks(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      ticks += processTicks(pid);
    } catch {
      // the backend exited meanwhile
    }
  }
  return ticks;
}

/** Latencies in milliseconds, sorted ascending; p in [0, 100]. */
export function percentile(sortedMs: Float64Array, p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}
