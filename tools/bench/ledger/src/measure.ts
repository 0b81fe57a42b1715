import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';

/** Latencies in microseconds, sorted in place; p in [0, 100]. */
export function percentile(sortedMicros: Float64Array, p: number): number {
  if (sortedMicros.length === 0) return 0;
  const index = Math.min(sortedMicros.length - 1, Math.ceil((p / 100) * sortedMicros.length) - 1);
  return sortedMicros[Math.max(0, index)];
}

/** Busy and total jiffies of the whole machine (all cores): what share of the 2 cores the run used. */
export function cpuJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

export interface ServerCounters {
  commits: number;
  walBytes: number;
  walSyncs: number;
  walWrites: number;
}

/** Server-wide counters (other databases on the box count too: run the benchmark on a quiet machine). */
export async function serverCounters(pool: Pool): Promise<ServerCounters> {
  const { rows } = await pool.query(`
    SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
           pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal_bytes,
           (SELECT wal_sync FROM pg_stat_wal) AS wal_syncs,
           (SELECT wal_write FROM pg_stat_wal) AS wal_writes`);
  return { commits: Number(rows[0].commits), walBytes: Number(rows[0].wal_bytes), walSyncs: Number(rows[0].wal_syncs), walWrites: Number(rows[0].wal_writes) };
}

/** Samples this process's resident set; `peakMb` also covers what the kernel saw between samples. */
export function rssSampler(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const kernelPeak = process.resourceUsage().maxRSS * 1024;
      return Math.max(peak, kernelPeak) / (1024 * 1024);
    },
  };
}

/** CPU seconds (user + system) used so far by PostgreSQL backends serving this application (from /proc). */
export async function backendCpuSeconds(pool: Pool, applicationName: string): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [applicationName]);
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the backend exited meanwhile
    }
  }
  return ticks / ticksPerSecond;
}

/** CPU seconds used by this process. */
export function processCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
