import { GroupCommit, type GroupCommitOptions } from '@coinops/ledger';
import { JOBS, type RechargeReceivedPayload } from '@coinops/outbox';
import { evaluateRecharges, MAX_RECHARGE_BATCH, rechargeRounds } from '@coinops/payments';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { WorkerDomain } from '../domain/domain.providers';
import type { OutboxJobData } from '../job-handlers';

type RechargeJob = Job<OutboxJobData<RechargeReceivedPayload>>;
type Outcome = { ok: true; applied: boolean } | { ok: false; error: unknown };

/** Defaults measured with tools/bench/recharges (docs/payments.md, "End-to-end benchmark"). */
export const RECHARGE_BATCH_DEFAULTS: GroupCommitOptions = {
  maxBatchSize: 200,
  maxWaitMs: 5,
  maxConcurrentBatches: 2,
  maxQueued: 10_000,
  fullMessage: 'too many recharge evaluations waiting',
};

/**
 * `recharge.received` jobs evaluated together: the jobs BullMQ hands the payments processor at the
 * same time are group-committed, and each batch is evaluated in as few transactions as its recharges
 * allow (`rechargeRounds`: one, unless two share a user, card, device or IP). Each transaction writes
 * the jobs' receipts and their effects together, so a redelivered job acts once, as with the
 * dispatcher. When a transaction fails, its jobs are retried one by one through `single` (the
 * dispatcher): a bad recharge fails only its own job, which BullMQ retries.
 */
export class RechargeBatcher {
  private readonly logger = new Logger(RechargeBatcher.name);
  private readonly group: GroupCommit<RechargeJob, Outcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly domain: Pick<WorkerDomain, 'risk' | 'ledger'>,
    private readonly single: (job: RechargeJob) => Promise<{ applied: boolean }>,
    options: Partial<GroupCommitOptions> = {},
  ) {
    const settings = { ...RECHARGE_BATCH_DEFAULTS, ...options };
    if (settings.maxBatchSize < 1 || settings.maxBatchSize > MAX_RECHARGE_BATCH) throw new Error(`recharge batch size must be 1-${MAX_RECHARGE_BATCH}`);
    this.group = new GroupCommit((jobs) => this.run(jobs), settings);
  }

  async submit(job: RechargeJob): Promise<{ applied: boolean }> {
    const outcome = await this.group.submit(job);
    if (!outcome.ok) throw outcome.error;
    return { applied: outcome.applied };
  }

  /** Evaluates a batch; never rejects: each job gets its own outcome (by position: one job may come twice). */
  async run(jobs: RechargeJob[]): Promise<Outcome[]> {
    const outcomes: Array<Outcome | undefined> = jobs.map(() => undefined);
    const items = jobs
      .map((job, index) => ({ job, index, rechargeId: job.data?.payload?.recharge_id }))
      .filter((item) => /^\d{1,19}$/.test(String(item.job.data?.outbox_id)) && typeof item.rechargeId === 'string');
    let rounds: Array<typeof items>;
    try {
      rounds = await rechargeRounds(this.dataSource.manager, items);
    } catch {
      rounds = items.map((item) => [item]); // a malformed id fails the read: every job alone
    }
    for (const round of rounds) {
      try {
        const applied = await this.dataSource.transaction((manager) => this.evaluateRound(manager, round.map((item) => item.job)));
        round.forEach((item, i) => (outcomes[item.index] = { ok: true, applied: applied[i] }));
      } catch (error) {
        if (round.length > 1) this.logger.warn(`a batch of ${round.length} recharge evaluations failed (${(error as Error)?.message ?? error}); retrying them one by one`);
        for (const item of round) outcomes[item.index] = await this.alone(item.job);
      }
    }
    // Jobs left out (no valid outbox id or recharge id) fail through the dispatcher, which names the problem.
    return Promise.all(jobs.map(async (job, index) => outcomes[index] ?? (await this.alone(job))));
  }

  /** One round: the receipts of its jobs (first delivery only) and the evaluation of their recharges. */
  private async evaluateRound(manager: EntityManager, round: RechargeJob[]): Promise<boolean[]> {
    const outboxIds = [...new Set(round.map((job) => String(job.data.outbox_id)))];
    const receipts: Array<{ outbox_id: string }> = await manager.query(
      `INSERT INTO job_receipts (outbox_id, job_name) SELECT unnest($1::bigint[]), $2 ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id::text`,
      [outboxIds, JOBS.rechargeReceived.name],
    );
    const fresh = new Set(receipts.map((r) => r.outbox_id));
    // The first mention of a fresh receipt acts; later mentions of it (a duplicate delivery) do nothing.
    const applied = round.map((job) => fresh.delete(String(job.data.outbox_id)));
    await evaluateRecharges(
      manager,
      this.domain,
      round.filter((_, i) => applied[i]).map((job) => ({ rechargeId: job.data.payload.recharge_id, requestId: `outbox-${job.data.outbox_id}` })),
    );
    return applied;
  }

  private async alone(job: RechargeJob): Promise<Outcome> {
    try {
      return { ok: true, ...(await this.single(job)) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
