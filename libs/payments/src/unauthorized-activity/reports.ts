import { recordAudit, type Actor } from '@coinops/access';
import {
  Conflict, NotFound, transition, UNAUTHORIZED_ACTIVITY_MACHINE, ValidationFailed,
  type UnauthorizedActivityAction, type UnauthorizedActivityState,
} from '@coinops/contracts';
import { rechargeCoinUsage } from '@coinops/ledger';
import { readSlaPolicy } from '@coinops/reviews';
import type { RiskEngine } from '@coinops/risk';
import type { EntityManager } from 'typeorm';

/** What one report may name, and block: bounded so one transaction stays small. */
export const REPORT_LIMITS = Object.freeze({ recharges: 100, gifts: 500, blocks: 50, descriptionLength: 2000, reasonLength: 1000 });

const PLATFORM_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTRUMENT = /^[A-Za-z0-9_.:@-]{1,128}$/;

/** Starts the refund of a recharge's unspent coins through the refund flow (its four-eyes and provider call). */
export type RequestUnspentRefund = (manager: EntityManager, actor: Actor, request: { rechargeId: string; reason: string }) => Promise<{ refundId: string; state: string } | null>;

/** Freezes and unfreezes gifting with its audit row (`UsersService` of @coinops/economy; named here to keep payments below economy). */
export interface UserFreezer {
  setFrozenIn(manager: EntityManager, actor: Actor, userId: string, frozenReason: string | null, auditReason?: string): Promise<void>;
}

export interface ReportDeps {
  users: UserFreezer;
  risk: RiskEngine;
  requestUnspentRefund: RequestUnspentRefund;
}

export interface NewReport {
  userId: string;
  description: string;
  rechargeIds?: string[];
  giftIds?: string[];
  since?: Date | null;
}

export interface ConfirmReport {
  reason: string;
  /** Recharges whose unspent coins are refunded: by default those the report names. */
  refundRechargeIds?: string[];
  blockDevices?: string[];
  blockCards?: string[];
  blockIps?: string[];
}

export interface ReportRow {
  id: string;
  user_id: string;
  state: UnauthorizedActivityState;
  description: string;
  recharge_ids: string[];
  gift_ids: string[];
  since: Date | null;
  review_id: string | null;
  froze_user: boolean;
  reported_by: string;
  reported_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  actions: Record<string, unknown> | null;
  recovered_by: string | null;
  recovered_at: Date | null;
}

function text(value: unknown, field: string, max: number, min = 3): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) throw ValidationFailed.field(field, `must be ${min}-${max} characters`);
  return value.trim();
}

function ids(value: unknown, field: string, pattern: RegExp, max: number): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > max) throw ValidationFailed.field(field, `must be a list of at most ${max} ids`);
  const bad = value.findIndex((v) => typeof v !== 'string' || !pattern.test(v));
  if (bad >= 0) throw ValidationFailed.field(`${field}[${bad}]`, 'is not a valid id');
  return [...new Set(value as string[])];
}

function operatorOf(actor: Actor): string {
  if (!actor.operatorId) throw new ValidationFailed([{ field: 'actor', message: 'an unauthorized-activity report is recorded by an operator' }]);
  return actor.operatorId;
}

/**
 * Records a user's report that recharges or gifts were not theirs (DESIGN §4), in one transaction:
 * gifting is frozen at once (unless the user already was), a review item of kind `unauthorized_activity`
 * opens with the reported recharges listed, and the report and both effects are audited. The named
 * recharges and gifts must be the user's own. One open report per user (409 otherwise).
 */
export async function reportUnauthorizedActivity(manager: EntityManager, deps: ReportDeps, actor: Actor, input: NewReport): Promise<ReportRow> {
  const reportedBy = operatorOf(actor);
  if (typeof input.userId !== 'string' || !PLATFORM_ID.test(input.userId)) throw ValidationFailed.field('user_id', 'must be a platform id');
  const description = text(input.description, 'description', REPORT_LIMITS.descriptionLength);
  const rechargeIds = ids(input.rechargeIds, 'recharge_ids', UUID, REPORT_LIMITS.recharges);
  const giftIds = ids(input.giftIds, 'gift_ids', PLATFORM_ID, REPORT_LIMITS.gifts);
  if (input.since !== undefined && input.since !== null && (!(input.since instanceof Date) || Number.isNaN(input.since.getTime()) || input.since.getTime() > Date.now() + 60_000)) {
    throw ValidationFailed.field('since', 'must be a past ISO 8601 time');
  }
  const [user]: Array<{ id: string; frozen_at: Date | null }> = await manager.query(`SELECT id, frozen_at FROM users WHERE id = $1 FOR UPDATE`, [input.userId]);
  if (!user) throw new NotFound('user', input.userId);
  await assertOwned(manager, input.userId, rechargeIds, giftIds);

  const open: unknown[] = await manager.query(`SELECT id FROM unauthorized_activity_reports WHERE user_id = $1 AND state = 'open'`, [input.userId]);
  if (open.length) throw new Conflict(`user ${input.userId} already has an open unauthorized-activity report`, undefined, { state: 'open', report_id: (open[0] as { id: string }).id });

  const frozeUser = user.frozen_at === null;
  if (frozeUser) await deps.users.setFrozenIn(manager, actor, input.userId, `unauthorized activity reported: ${description}`.slice(0, 1000));
  const reviewId = await openReviewItem(manager, input.userId, description, rechargeIds);

  const [report]: ReportRow[] = await manager.query(
    `INSERT INTO unauthorized_activity_reports (user_id, description, recharge_ids, gift_ids, since, review_id, froze_user, reported_by)
     VALUES ($1, $2, $3::uuid[], $4::text[], $5, $6, $7, $8) RETURNING *`,
    [input.userId, description, rechargeIds, giftIds, input.since ?? null, reviewId, frozeUser, reportedBy],
  );
  await recordAudit(manager, actor, {
    action: 'unauthorized_activity.reported',
    entity: 'unauthorized_activity_report',
    entityId: report.id,
    after: { user_id: input.userId, recharge_ids: rechargeIds, gift_ids: giftIds, review_id: reviewId, froze_user: frozeUser },
    reason: description,
  });
  return report;
}

/**
 * Trust and safety confirm an account takeover: the unspent coins of the named recharges are refunded
 * through the refund flow (its threshold and four-eyes apply), the intruder's devices, cards and IPs are
 * block-listed, the recharges and gifts are recorded as `account_takeover` for backtests, and the review
 * item is approved (the user's claim upheld). The user stays frozen until `recover`.
 */
export async function confirmReport(manager: EntityManager, deps: ReportDeps, actor: Actor, reportId: string, input: ConfirmReport): Promise<ReportRow> {
  const decidedBy = operatorOf(actor);
  const reason = text(input.reason, 'reason', REPORT_LIMITS.reasonLength);
  const report = await lockReport(manager, reportId);
  const next = transition(UNAUTHORIZED_ACTIVITY_MACHINE, reportId, report.state, 'confirm');
  const refundIds = input.refundRechargeIds === undefined ? report.recharge_ids : ids(input.refundRechargeIds, 'refund_recharge_ids', UUID, REPORT_LIMITS.recharges);
  const blocks = [
    ...ids(input.blockDevices, 'block_devices', INSTRUMENT, REPORT_LIMITS.blocks).map((value) => ({ kind: 'device' as const, value })),
    ...ids(input.blockCards, 'block_cards', INSTRUMENT, REPORT_LIMITS.blocks).map((value) => ({ kind: 'card' as const, value })),
    ...ids(input.blockIps, 'block_ips', INSTRUMENT, REPORT_LIMITS.blocks).map((value) => ({ kind: 'ip' as const, value })),
  ];
  if (blocks.length > REPORT_LIMITS.blocks) throw ValidationFailed.field('block_devices', `at most ${REPORT_LIMITS.blocks} instruments in all`);
  await assertOwned(manager, report.user_id, refundIds, []);

  const refunds: Array<{ recharge_id: string; unspent_coins: string; refund_id: string | null; state: string | null }> = [];
  for (const rechargeId of refundIds) {
    const usage = await rechargeCoinUsage(manager, rechargeId);
    if (usage.state !== 'posted' || usage.unspentCoins <= 0n) {
      refunds.push({ recharge_id: rechargeId, unspent_coins: usage.unspentCoins.toString(), refund_id: null, state: null });
      continue;
    }
    const refund = await deps.requestUnspentRefund(manager, actor, { rechargeId, reason: `account takeover confirmed: ${reason}`.slice(0, 1000) });
    refunds.push({ recharge_id: rechargeId, unspent_coins: usage.unspentCoins.toString(), refund_id: refund?.refundId ?? null, state: refund?.state ?? null });
  }

  const blocked: Array<{ kind: string; value: string; list_entry_id: string | null }> = [];
  for (const block of blocks) {
    const active = await deps.risk.findListEntries({ list: 'block', kind: block.kind, value: block.value, active: true, limit: 1 });
    if (active.length) {
      blocked.push({ ...block, list_entry_id: null });
      continue;
    }
    const entry = await deps.risk.addListEntry({ list: 'block', kind: block.kind, value: block.value, reason: `account takeover of user ${report.user_id}: ${reason}`.slice(0, 500), author: decidedBy }, { manager });
    blocked.push({ ...block, list_entry_id: entry.id });
  }

  await recordOutcomes(manager, deps.risk, report, 'account_takeover', decidedBy, reason);
  await closeReviewItem(manager, actor, report, 'approved', reason);
  const actions = { refunds, blocked };
  const updated = await setState(manager, report, next, { decided_by: decidedBy, decision_reason: reason, actions });
  await recordAudit(manager, actor, {
    action: 'unauthorized_activity.confirmed',
    entity: 'unauthorized_activity_report',
    entityId: report.id,
    before: { state: report.state },
    after: { state: next, ...actions },
    reason,
  });
  return updated;
}

/** Closed as not confirmed: the review item is rejected, the outcome `account_takeover_refuted` recorded; unfreezes the user when asked and this report froze them. */
export async function dismissReport(manager: EntityManager, deps: ReportDeps, actor: Actor, reportId: string, input: { reason: string; unfreeze?: boolean }): Promise<ReportRow> {
  const decidedBy = operatorOf(actor);
  const reason = text(input.reason, 'reason', REPORT_LIMITS.reasonLength);
  const report = await lockReport(manager, reportId);
  const next = transition(UNAUTHORIZED_ACTIVITY_MACHINE, reportId, report.state, 'dismiss');
  await recordOutcomes(manager, deps.risk, report, 'account_takeover_refuted', decidedBy, reason);
  await closeReviewItem(manager, actor, report, 'rejected', reason);
  const unfrozen = input.unfreeze !== false && report.froze_user && (await unfreezeIfFrozen(manager, deps, actor, report.user_id, reason));
  const updated = await setState(manager, report, next, { decided_by: decidedBy, decision_reason: reason, actions: { unfrozen } });
  await recordAudit(manager, actor, {
    action: 'unauthorized_activity.dismissed',
    entity: 'unauthorized_activity_report',
    entityId: report.id,
    before: { state: report.state },
    after: { state: next, unfrozen },
    reason,
  });
  return updated;
}

/** The user has their account back (new password, the intruder's devices blocked): gifting is unfrozen if this report froze it. */
export async function recoverReport(manager: EntityManager, deps: ReportDeps, actor: Actor, reportId: string, input: { reason: string }): Promise<ReportRow> {
  const recoveredBy = operatorOf(actor);
  const reason = text(input.reason, 'reason', REPORT_LIMITS.reasonLength);
  const report = await lockReport(manager, reportId);
  const next = transition(UNAUTHORIZED_ACTIVITY_MACHINE, reportId, report.state, 'recover');
  const unfrozen = report.froze_user && (await unfreezeIfFrozen(manager, deps, actor, report.user_id, reason));
  const [updated]: ReportRow[] = await manager.query(
    `WITH updated AS (UPDATE unauthorized_activity_reports SET state = $2, recovered_by = $3, recovered_at = now(), updated_at = now() WHERE id = $1 RETURNING *) SELECT * FROM updated`,
    [report.id, next, recoveredBy],
  );
  await recordAudit(manager, actor, {
    action: 'unauthorized_activity.recovered',
    entity: 'unauthorized_activity_report',
    entityId: report.id,
    before: { state: report.state },
    after: { state: next, unfrozen },
    reason,
  });
  return updated;
}

export async function getReport(manager: EntityManager, reportId: string): Promise<ReportRow> {
  if (!UUID.test(reportId)) throw ValidationFailed.field('id', 'must be a UUID');
  const [report]: ReportRow[] = await manager.query(`SELECT * FROM unauthorized_activity_reports WHERE id = $1`, [reportId]);
  if (!report) throw new NotFound('unauthorized activity report', reportId);
  return report;
}

async function lockReport(manager: EntityManager, reportId: string): Promise<ReportRow> {
  if (!UUID.test(reportId)) throw ValidationFailed.field('id', 'must be a UUID');
  const [report]: ReportRow[] = await manager.query(`SELECT * FROM unauthorized_activity_reports WHERE id = $1 FOR UPDATE`, [reportId]);
  if (!report) throw new NotFound('unauthorized activity report', reportId);
  return report;
}

async function setState(manager: EntityManager, report: ReportRow, state: UnauthorizedActivityState, decision: { decided_by: string; decision_reason: string; actions: Record<string, unknown> }): Promise<ReportRow> {
  const [updated]: ReportRow[] = await manager.query(
    // (a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count])
    `WITH updated AS (UPDATE unauthorized_activity_reports SET state = $2, decided_by = $3, decided_at = now(), decision_reason = $4, actions = $5, updated_at = now() WHERE id = $1 RETURNING *) SELECT * FROM updated`,
    [report.id, state, decision.decided_by, decision.decision_reason, JSON.stringify(decision.actions)],
  );
  return updated;
}

async function assertOwned(manager: EntityManager, userId: string, rechargeIds: string[], giftIds: string[]): Promise<void> {
  if (rechargeIds.length) {
    const mine: Array<{ id: string }> = await manager.query(`SELECT id::text FROM recharges WHERE id = ANY($1::uuid[]) AND user_id = $2`, [rechargeIds, userId]);
    const found = new Set(mine.map((r) => r.id));
    const missing = rechargeIds.findIndex((id) => !found.has(id));
    if (missing >= 0) throw ValidationFailed.field(`recharge_ids[${missing}]`, `is not a recharge of user ${userId}`);
  }
  if (giftIds.length) {
    const mine: Array<{ id: string }> = await manager.query(`SELECT id FROM gifts WHERE id = ANY($1::text[]) AND sender_id = $2`, [giftIds, userId]);
    const found = new Set(mine.map((g) => g.id));
    const missing = giftIds.findIndex((id) => !found.has(id));
    if (missing >= 0) throw ValidationFailed.field(`gift_ids[${missing}]`, `is not a gift sent by user ${userId}`);
  }
}

/** One active `unauthorized_activity` item per user (the index `review_items_one_active`); critical severity, its SLA from the policy. */
async function openReviewItem(manager: EntityManager, userId: string, description: string, rechargeIds: string[]): Promise<string> {
  const policy = await readSlaPolicy(manager);
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO review_items (kind, user_id, severity, opened_reason, rule_keys, sla_due_at)
     VALUES ('unauthorized_activity', $1, 'critical', $2, '{}', now() + make_interval(mins => $3))
     ON CONFLICT (user_id, kind) WHERE state IN ('open','in_review','escalated') DO UPDATE SET updated_at = now()
     RETURNING id`,
    [userId, `unauthorized activity reported: ${description}`.slice(0, 1000), policy.slaMinutes.critical],
  );
  const reviewId = rows[0].id;
  for (const rechargeId of rechargeIds) {
    await manager.query(
      `INSERT INTO review_item_recharges (review_id, recharge_id, hold_transaction_id) VALUES ($1, $2, NULL) ON CONFLICT (recharge_id) DO NOTHING`,
      [reviewId, rechargeId],
    );
  }
  return reviewId;
}

/** The report's decision is the review item's decision: claimed for the decider if nobody holds it, refused if someone else does. */
async function closeReviewItem(manager: EntityManager, actor: Actor, report: ReportRow, state: 'approved' | 'rejected', reason: string): Promise<void> {
  if (!report.review_id) return;
  const [item]: Array<{ state: string; assigned_to: string | null }> = await manager.query(`SELECT state, assigned_to FROM review_items WHERE id = $1 FOR UPDATE`, [report.review_id]);
  if (!item || !['open', 'in_review', 'escalated'].includes(item.state)) return;
  if (item.state === 'in_review' && item.assigned_to !== actor.operatorId) {
    throw new Conflict(`review ${report.review_id} is held by another operator: they decide it, or an admin reassigns it`, undefined, { state: item.state, assigned_to: item.assigned_to });
  }
  await manager.query(
    `UPDATE review_items SET state = $2, assigned_to = $3, decided_by = $3, decision_reason = $4, decided_at = now(), updated_at = now() WHERE id = $1`,
    [report.review_id, state, actor.operatorId, reason],
  );
  await recordAudit(manager, actor, {
    action: state === 'approved' ? 'review.approved' : 'review.rejected',
    entity: 'review',
    entityId: report.review_id,
    before: { state: item.state, assigned_to: item.assigned_to },
    after: { state, decided_by: actor.operatorId, via: `unauthorized_activity_report ${report.id}` },
    reason,
  });
}

async function recordOutcomes(manager: EntityManager, risk: RiskEngine, report: ReportRow, outcome: 'account_takeover' | 'account_takeover_refuted', by: string, note: string): Promise<void> {
  const subjects = [...report.recharge_ids.map((id) => ({ type: 'recharge' as const, id })), ...report.gift_ids.map((id) => ({ type: 'gift' as const, id }))];
  for (const subject of subjects) await risk.recordOutcome(subject, outcome, { manager, recordedBy: by, note: note.slice(0, 1000) });
}

async function unfreezeIfFrozen(manager: EntityManager, deps: ReportDeps, actor: Actor, userId: string, reason: string): Promise<boolean> {
  const [user]: Array<{ frozen_at: Date | null }> = await manager.query(`SELECT frozen_at FROM users WHERE id = $1`, [userId]);
  if (!user?.frozen_at) return false;
  await deps.users.setFrozenIn(manager, actor, userId, null, reason);
  return true;
}

export type { UnauthorizedActivityAction };
