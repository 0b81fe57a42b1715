import { systemActor } from '@coinops/access';
import { buildRechargeCredit, buildRechargeHold, type LedgerCommand } from '@coinops/ledger';
import type { RiskDecision } from '@coinops/risk';
import type { EntityManager } from 'typeorm';
import {
  evaluationAudit,
  followDecision,
  ledgerEntry,
  RECHARGE_EVALUATION_ACTOR,
  subjectFacts,
  toRiskEvent,
  USER_COLUMNS,
  type EvaluationDeps,
  type RechargeEvaluation,
  type RechargeRow,
  type UserRow,
} from './evaluate-recharge';
import type { RechargeState } from './recharge-states';

/** Recharges per batched evaluation: bounds the statements' size and the locks one transaction holds. */
export const MAX_RECHARGE_BATCH = 500;

export interface RechargeToEvaluate {
  rechargeId: string;
  /** The audit rows' request id (the job's `outbox-<id>`). */
  requestId: string | null;
}

/**
 * `evaluateRecharge` for many recharges in the caller's transaction, with the same outcome for each:
 * one lock of every recharge (in id order), one read of their users, one batched risk evaluation, one
 * ledger batch for every credit and hold, then the review items (one by one: holds are the exception),
 * one update of the recharges and one insert of the audit rows. A recharge listed twice, or no longer
 * `received`, is evaluated at most once. Any failure throws and the caller's transaction rolls back
 * whole: the caller retries the recharges one by one to isolate the bad one.
 *
 * Recharges that share a user, card, device or IP do not see each other in the velocity features when
 * they are in one batch: `rechargeRounds` splits a batch so that they never are.
 */
export async function evaluateRecharges(manager: EntityManager, deps: EvaluationDeps, items: readonly RechargeToEvaluate[]): Promise<RechargeEvaluation[]> {
  if (items.length === 0) return [];
  if (items.length > MAX_RECHARGE_BATCH) throw new Error(`at most ${MAX_RECHARGE_BATCH} recharges per batch`);
  const ids = [...new Set(items.map((item) => item.rechargeId))];
  const rows: RechargeRow[] = await manager.query(`SELECT * FROM recharges WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`recharge ${missing[0]} does not exist`);

  const requestIds = new Map<string, string | null>();
  for (const item of items) if (!requestIds.has(item.rechargeId)) requestIds.set(item.rechargeId, item.requestId);
  const pending = ids.map((id) => byId.get(id) as RechargeRow).filter((row) => row.state === 'received');
  const outcomes = new Map<string, RechargeEvaluation>();
  if (pending.length) {
    const users: UserRow[] = await manager.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1::text[])`, [[...new Set(pending.map((r) => r.user_id))]]);
    const userById = new Map(users.map((user) => [user.id, user]));
    const decisions = await deps.risk.evaluateBatch(
      pending.map((recharge) => ({ event: toRiskEvent(recharge), subject: subjectFacts(userById.get(recharge.user_id), recharge) })),
      { manager },
    );
    const ledgerIds = await postEntries(manager, deps, pending, decisions);

    const settled: Array<{ recharge: RechargeRow; decision: RiskDecision; state: RechargeState; ledgerTransactionId: string | null; reviewId: string | null }> = [];
    for (const [i, recharge] of pending.entries()) {
      const actor = systemActor(RECHARGE_EVALUATION_ACTOR, requestIds.get(recharge.id) ?? null);
      const { state, reviewId } = await followDecision(manager, actor, recharge, decisions[i], ledgerIds[i]);
      settled.push({ recharge, decision: decisions[i], state, ledgerTransactionId: ledgerIds[i], reviewId });
    }
    await manager.query(
      `UPDATE recharges r
          SET state = v.state, decision = v.decision, risk_score = v.score, risk_decision_id = v.decision_id,
              ledger_transaction_id = v.ledger_transaction_id, evaluated_at = now(), updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
              AS v(id, state, decision, score, decision_id, ledger_transaction_id)
        WHERE r.id = v.id`,
      [
        settled.map((s) => s.recharge.id),
        settled.map((s) => s.state),
        settled.map((s) => s.decision.decision),
        settled.map((s) => s.decision.score),
        settled.map((s) => s.decision.decisionId),
        settled.map((s) => s.ledgerTransactionId),
      ],
    );
    await insertAudits(
      manager,
      settled.map((s) => ({ requestId: requestIds.get(s.recharge.id) ?? null, entry: evaluationAudit(s.recharge, s.decision, s.state, s.ledgerTransactionId, s.reviewId) })),
    );
    for (const s of settled) {
      outcomes.set(s.recharge.id, { rechargeId: s.recharge.id, evaluated: true, state: s.state, decision: s.decision.decision, reviewId: s.reviewId });
    }
  }
  const reported = new Set<string>();
  return items.map((item) => {
    const outcome = outcomes.get(item.rechargeId);
    // The first mention of a recharge reports its evaluation; a repeat, like a redelivered job, did nothing.
    if (outcome && !reported.has(item.rechargeId)) {
      reported.add(item.rechargeId);
      return outcome;
    }
    return { rechargeId: item.rechargeId, evaluated: false, state: outcome?.state ?? (byId.get(item.rechargeId) as RechargeRow).state, decision: null, reviewId: null };
  });
}

/** Every credit (`allow`) and hold (`review`) of the batch in one ledger batch; the transaction ids in input order. */
async function postEntries(manager: EntityManager, deps: EvaluationDeps, recharges: RechargeRow[], decisions: RiskDecision[]): Promise<Array<string | null>> {
  const commands: LedgerCommand[] = [];
  const slot: number[] = [];
  recharges.forEach((recharge, i) => {
    const verdict = decisions[i].decision;
    if (verdict === 'block') return;
    const input = verdict === 'allow' ? buildRechargeCredit(ledgerEntry(recharge)) : buildRechargeHold(ledgerEntry(recharge));
    slot[i] = commands.push({ op: 'transfer', input }) - 1;
  });
  const results = commands.length ? await deps.ledger.postBatch(commands, { manager }) : [];
  return recharges.map((_, i) => {
    if (slot[i] === undefined) return null;
    const result = results[slot[i]];
    if (!result.ok) throw result.error;
    return result.transaction.id;
  });
}

/** `recordAudit` for many rows in one statement, each with its own request id. */
async function insertAudits(manager: EntityManager, rows: Array<{ requestId: string | null; entry: ReturnType<typeof evaluationAudit> }>): Promise<void> {
  if (rows.length === 0) return;
  const actor = systemActor(RECHARGE_EVALUATION_ACTOR);
  await manager.query(
    `INSERT INTO audit_events (actor_id, actor_email, action, entity, entity_id, before, after, reason, request_id)
     SELECT NULL, $1, a.action, a.entity, a.entity_id, a.before, a.after, a.reason, a.request_id
       FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::text[])
            AS a(action, entity, entity_id, before, after, reason, request_id)`,
    [
      actor.email,
      rows.map((r) => r.entry.action),
      rows.map((r) => r.entry.entity),
      rows.map((r) => r.entry.entityId ?? null),
      rows.map((r) => JSON.stringify(r.entry.before ?? null)),
      rows.map((r) => JSON.stringify(r.entry.after ?? null)),
      rows.map((r) => r.entry.reason ?? null),
      rows.map((r) => r.requestId),
    ],
  );
}

type Identities = Pick<RechargeRow, 'user_id' | 'card_fingerprint' | 'device_id' | 'ip'>;

/** The identities a recharge's velocity features are keyed by. */
function identities(recharge: Identities): string[] {
  const keys = [`u:${recharge.user_id}`];
  if (recharge.card_fingerprint) keys.push(`c:${recharge.card_fingerprint}`);
  if (recharge.device_id) keys.push(`d:${recharge.device_id}`);
  if (recharge.ip) keys.push(`i:${recharge.ip}`);
  return keys;
}

/**
 * Splits items into rounds, in order, so that no two recharges of one round share a user, card,
 * device or IP: the caller evaluates and commits each round before the next, so a recharge sees the
 * ones before it in its features, as when evaluated one by one. Mentions of one recharge stay in one
 * round (evaluated once there). Reads the identities in one statement (they never change), no lock.
 */
export async function rechargeRounds<T extends { rechargeId: string }>(manager: EntityManager, items: readonly T[]): Promise<T[][]> {
  const ids = [...new Set(items.map((item) => item.rechargeId))];
  const rows: Array<Identities & { id: string }> = await manager.query(
    `SELECT id, user_id, card_fingerprint, device_id, ip FROM recharges WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return splitRounds(items, new Map(rows.map((row) => [row.id, row])));
}

export function splitRounds<T extends { rechargeId: string }>(items: readonly T[], recharges: ReadonlyMap<string, Identities>): T[][] {
  const rounds: T[][] = [];
  /** The last round holding each identity, and the round of each recharge. */
  const lastRound = new Map<string, number>();
  for (const item of items) {
    const keys = identities(recharges.get(item.rechargeId) ?? { user_id: '', card_fingerprint: null, device_id: null, ip: null });
    let round = lastRound.get(`r:${item.rechargeId}`);
    if (round === undefined) {
      round = 0;
      // An unknown recharge (no row) conflicts with nothing: it fails alone in its round.
      if (recharges.has(item.rechargeId)) for (const key of keys) round = Math.max(round, (lastRound.get(key) ?? -1) + 1);
      lastRound.set(`r:${item.rechargeId}`, round);
      if (recharges.has(item.rechargeId)) for (const key of keys) lastRound.set(key, Math.max(lastRound.get(key) ?? -1, round));
    }
    while (rounds.length <= round) rounds.push([]);
    rounds[round].push(item);
  }
  return rounds;
}
