import { SeededRandom } from '@coinops/payments';
import type { ServiceProcess } from './processes';
import { sleep, type PrivatePostgres, type PrivateRedis } from './services';

export type FaultKind = 'worker_sigkill' | 'redis_restart' | 'postgres_restart' | 'payout_sigkill';

export interface FaultPlan {
  worker_sigkill: number;
  redis_restart: number;
  postgres_restart: number;
  /** Every worker SIGKILLed at the moment a payout batch is mid-execution (taken into `processing`, not yet accepted). */
  payout_sigkill: number;
}

/**
 * Serializes what kills workers: the timed injector and the payout watcher never kill a worker the other
 * is still booting (a kill during boot would look like a crash at start-up).
 */
export class WorkerGate {
  private chain: Promise<unknown> = Promise.resolve();
  /** Workers booting again after a kill (removed when up). */
  readonly booting = new Map<ServiceProcess, Promise<unknown>>();

  exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

}

export interface InjectedFault {
  kind: FaultKind;
  target: string;
  atMs: number;
  /** From the fault until the service (or process) answered again. */
  downMs: number;
  /** payout_sigkill: payouts the kill left taken into a batch and not yet accepted by the provider. */
  stranded?: number;
  /** payout_sigkill: their ids, and (filled in after the drain) how long after the kill the last of them was paid. */
  strandedIds?: string[];
  strandedPaidAfterMs?: number | null;
  /** Wall clock of the fault (ms since the epoch). */
  atEpochMs?: number;
}

export interface FaultTargets {
  workers: ServiceProcess[];
  redis: PrivateRedis;
  postgres: PrivatePostgres;
}

/**
 * The plan's faults in a seeded order, at seeded moments spread over `windowMs` (one at a time). Callers
 * pass the first part of the send window: recovery (a killed worker's jobs come back when their lock
 * expires, 30 s in BullMQ) then overlaps the sending instead of lengthening the drain.
 */
export function scheduleFaults(plan: FaultPlan, windowMs: number, seed: string): Array<{ kind: FaultKind; atMs: number }> {
  const random = new SeededRandom(seed).fork('faults');
  const kinds: FaultKind[] = (Object.keys(plan) as FaultKind[]).filter((kind) => kind !== 'payout_sigkill').flatMap((kind) => Array.from({ length: plan[kind] }, () => kind));
  // Each fault gets its own slot of the window and a random moment inside it: spread out, never piled up.
  const slots = kinds.map((kind) => ({ kind, order: random.next() })).sort((a, b) => a.order - b.order);
  // The worst moment for Redis to lose its data is while no worker is up to drain it: jobs pile up in Redis,
  // then vanish. The first Redis restart therefore follows the first worker SIGKILL (the others stay random).
  const firstKill = slots.findIndex((s) => s.kind === 'worker_sigkill');
  const firstRedis = slots.findIndex((s) => s.kind === 'redis_restart');
  if (firstKill >= 0 && firstRedis >= 0 && firstRedis !== firstKill + 1) {
    const [redis] = slots.splice(firstRedis, 1);
    slots.splice(slots.findIndex((s) => s.kind === 'worker_sigkill') + 1, 0, redis);
  }
  const slotMs = windowMs / Math.max(1, slots.length);
  return slots.map(({ kind }, index) => ({ kind, atMs: Math.round(index * slotMs + random.int(0, Math.floor(slotMs * 0.6))) }));
}

/**
 * Injects the scheduled faults while the driver sends: SIGKILL of a worker (then a new one boots),
 * Redis killed and started empty, PostgreSQL restarted (`fast`: connections cut, open transactions rolled
 * back; `immediate`: a crash, recovered from the WAL). Stops early when `shouldStop` says so.
 */
export async function injectFaults(
  schedule: Array<{ kind: FaultKind; atMs: number }>,
  targets: FaultTargets,
  seed: string,
  shouldStop: () => boolean,
  gate: WorkerGate = new WorkerGate(),
): Promise<InjectedFault[]> {
  const random = new SeededRandom(seed).fork('fault-targets');
  const injected: InjectedFault[] = [];
  const startedAt = Date.now();
  let postgresRestarts = 0;
  // A killed worker boots again in the background: the next fault may land while it is still down.
  const booting = gate.booting;
  let bootFailure: unknown;
  for (const { kind, atMs } of schedule) {
    while (Date.now() - startedAt < atMs && !shouldStop()) await sleep(50);
    if (shouldStop()) break;
    const at = Date.now();
    let target: string;
    if (kind === 'worker_sigkill') {
      const worker = random.pick(targets.workers);
      target = worker.name;
      await gate.exclusive(async () => {
        await booting.get(worker);
        await worker.kill();
      });
      const fault: InjectedFault = { kind, target, atMs: at - startedAt, downMs: -1 };
      injected.push(fault);
      const restartAfterMs = random.int(0, 1_000);
      const boot = sleep(restartAfterMs)
        .then(() => worker.start())
        .then(() => void (fault.downMs = Date.now() - at))
        .catch((error: unknown) => void (bootFailure ??= error))
        .finally(() => booting.get(worker) === boot && booting.delete(worker));
      booting.set(worker, boot);
      continue;
    } else if (kind === 'redis_restart') {
      target = 'redis';
      await targets.redis.restart(random.int(300, 2_000));
    } else {
      const mode = postgresRestarts++ % 2 === 0 ? 'fast' : 'immediate';
      target = `postgres (${mode})`;
      await targets.postgres.restart(mode);
    }
    injected.push({ kind, target, atMs: at - startedAt, downMs: Date.now() - at });
  }
  await Promise.all(booting.values());
  if (bootFailure) throw bootFailure;
  return injected;
}

/**
 * The payout fault: watches for a payout batch mid-execution (a provider call in flight: the payout's
 * advisory lock is held) and SIGKILLs every running worker at that moment — the one
 * running the batch among them — then boots them again. `count` times, each after the workers are back;
 * stops when `shouldStop` says so. `stranded` is how many payouts the kill left taken but unsubmitted: the
 * next run must send them again under the same key, and the provider must not pay them twice.
 */
export async function killDuringPayouts(
  count: number,
  targets: FaultTargets,
  gate: WorkerGate,
  query: <T>(sql: string) => Promise<T[]>,
  shouldStop: () => boolean,
): Promise<InjectedFault[]> {
  const injected: InjectedFault[] = [];
  const startedAt = Date.now();
  const midBatchIds = async () =>
    (await query<{ id: string }>(`SELECT id::text FROM payouts WHERE state = 'processing' AND submitted_at IS NULL`).catch(() => [])).map((r) => r.id);
  // A provider call in flight: the worker holds the payout's session advisory lock (two-key form, class
  // hashtext('payout-send')) for exactly that long. Payouts a previous kill stranded hold no lock until a run picks them up.
  const midCall = async () => {
    const [row] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = (hashtext('payout-send')::bigint & 4294967295)::text::oid`,
    ).catch(() => [{ n: 0 }]);
    return row?.n ?? 0;
  };
  // A kill that came after the batch finished does not count (it is still reported): try again at the next batch.
  while (injected.filter((f) => (f.stranded ?? 0) > 0).length < count && !shouldStop()) {
    if ((await midCall()) === 0) {
      await sleep(25);
      continue;
    }
    await gate.exclusive(async () => {
      // A worker still booting from an earlier fault is not running a batch: only the running ones are killed.
      const victims = targets.workers.filter((w) => w.running && !gate.booting.has(w));
      if (victims.length === 0 || (await midCall()) === 0) return;
      const at = Date.now();
      await Promise.all(victims.map((w) => w.kill()));
      const strandedIds = await midBatchIds();
      const stranded = strandedIds.length;
      // The lock died with the killed connection: nothing of this kill can trigger the next one.
      await sleep(300);
      await Promise.all(victims.map((w) => w.start()));
      injected.push({ kind: 'payout_sigkill', target: `${victims.map((w) => w.name).join('+')} (${stranded} payout(s) mid-call)`, atMs: at - startedAt, downMs: Date.now() - at, stranded, strandedIds, atEpochMs: at });
    });
  }
  return injected;
}
