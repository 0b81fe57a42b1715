import { systemActor } from '@coinops/access';
import { loadConfig } from '@coinops/config';
import { redisConnection, SCHEDULED_JOBS } from '@coinops/outbox';
import { escalateOverdueReviews, openRechargeReview } from '@coinops/reviews';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../worker.module';

const job = SCHEDULED_JOBS.reviewsEscalate;
const unique = (label: string) => `${label}_${randomBytes(5).toString('hex')}`;

describe('the review escalation job', () => {
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let queue: Queue;
  let events: QueueEvents;
  let analystId: string;

  beforeAll(async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    dataSource = worker.get(DataSource);
    const config = loadConfig();
    queue = new Queue(job.queue, { connection: redisConnection(config.REDIS_URL, 'failFast'), prefix: config.QUEUE_PREFIX });
    events = new QueueEvents(job.queue, { connection: redisConnection(config.REDIS_URL, 'worker'), prefix: config.QUEUE_PREFIX });
    await events.waitUntilReady();
    [{ id: analystId }] = await dataSource.query(
      `INSERT INTO operators (email, name, role, password_hash) VALUES ($1, 'Escalation Analyst', 'trust_safety', 'not-a-login') RETURNING id`,
      [`${unique('analyst')}@coinops.dev`.replace(/_/g, '-')],
    );
  });
  afterAll(async () => {
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await worker?.close();
  });

  /** An item as the recharge evaluation opens it, then aged: due `minutesAgo` minutes ago (negative: in the future). */
  async function item(minutesAgo: number, heldBy: string | null = null): Promise<string> {
    const { reviewId } = await dataSource.transaction((m) =>
      openRechargeReview(m, systemActor('test'), { userId: unique('u'), rechargeId: randomUUID(), holdTransactionId: '1', decisionId: null, severity: 'high', ruleKeys: ['stolen_card_burst'], reason: 'test' }),
    );
    await dataSource.query(
      `UPDATE review_items SET sla_due_at = now() - make_interval(mins => $2), state = CASE WHEN $3::uuid IS NULL THEN 'open' ELSE 'in_review' END, assigned_to = $3, assigned_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE now() END WHERE id = $1`,
      [reviewId, minutesAgo, heldBy],
    );
    return reviewId;
  }
  const states = async (ids: string[]) =>
    Object.fromEntries((await dataSource.query(`SELECT id, state FROM review_items WHERE id = ANY($1::uuid[])`, [ids])).map((r: { id: string; state: string }) => [r.id, r.state]));
  const escalations = async (id: string) => dataSource.query(`SELECT actor_email, before, after, reason FROM audit_events WHERE entity_id = $1 AND action = 'review.escalated'`, [id]);

  it('is scheduled every minute in Redis when the worker starts', async () => {
    let schedulers: Awaited<ReturnType<Queue['getJobSchedulers']>> = [];
    for (let i = 0; i < 50 && schedulers.length === 0; i++) {
      schedulers = await queue.getJobSchedulers();
      if (schedulers.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(schedulers).toEqual([expect.objectContaining({ key: job.schedulerId, name: job.name, every: job.everyMs })]);
  });

  it('escalates open and claimed items past their SLA, audited by the system and told to the holder; a second run does nothing', async () => {
    const [lateOpen, lateClaimed, notYet] = [await item(10), await item(1, analystId), await item(-30)];
    const added = await queue.add(job.name, {}, { jobId: unique('run') });
    // The job's own count may be lower if the minute's scheduled run took some first: the states are the proof.
    expect(await added.waitUntilFinished(events, 30_000)).toEqual({ escalated: expect.any(Number), more: false });
    expect(await states([lateOpen, lateClaimed, notYet])).toEqual({ [lateOpen]: 'escalated', [lateClaimed]: 'escalated', [notYet]: 'open' });

    const [audit] = await escalations(lateClaimed);
    expect(audit).toMatchObject({ actor_email: 'system:reviews-escalation', before: { state: 'in_review', assigned_to: analystId }, after: { state: 'escalated' }, reason: expect.stringMatching(/past its high SLA/) });
    const notified = await dataSource.query(`SELECT payload FROM outbox WHERE job_name = 'operator.notification' AND payload->>'operator_id' = $1`, [analystId]);
    expect(notified.map((n: { payload: { kind: string; message: string } }) => n.payload)).toEqual([expect.objectContaining({ kind: 'review.escalated', message: expect.stringContaining(lateClaimed) })]);

    const again = await escalateOverdueReviews(dataSource, 'test:again');
    expect(again.escalated).not.toContain(lateOpen);
    expect(await escalations(lateOpen)).toHaveLength(1);
  });

  it('lets concurrent runs share a backlog without escalating any item twice', async () => {
    const late = await Promise.all(Array.from({ length: 12 }, (_, i) => item(5 + i)));
    const runs = await Promise.all([escalateOverdueReviews(dataSource, 'a', 3), escalateOverdueReviews(dataSource, 'b', 3), escalateOverdueReviews(dataSource, 'c', 3)]);
    const escalated = runs.flatMap((r) => r.escalated).filter((id) => late.includes(id));
    expect(escalated.sort()).toEqual([...late].sort());
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'review.escalated' AND entity_id = ANY($1::text[])`, [late]);
    expect(n).toBe(late.length);
  });
});
