import { assertFourEyes, recordAudit, type Actor } from '@coinops/access';
import {
  ADJUSTMENT_DIRECTIONS, ADJUSTMENT_MACHINE, ADJUSTMENT_REASON_CODES, ADJUSTMENT_TARGETS, Conflict, transition, ValidationFailed,
  type AdjustmentAction, type AdjustmentDirection, type AdjustmentReasonCode, type AdjustmentTarget,
} from '@coinops/contracts';
import type { ListQuery } from '@coinops/db';
import { buildAdjustment, creatorDiamonds, InsufficientFunds, userCoins, type Ledger } from '@coinops/ledger';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { checkReason } from '../refunds/refund-request';
import type { AdjustmentSettings } from '../refunds/refund-settings';
import { getAdjustment, listAdjustments, lockAdjustment, type AdjustmentDto, type AdjustmentRow } from './adjustment-records';

export interface AdjustmentInput {
  target: AdjustmentTarget;
  targetId: string;
  direction: AdjustmentDirection;
  amount: bigint;
  reasonCode: AdjustmentReasonCode;
  note: string;
}

export interface AdjustmentDeps {
  ledger: Ledger;
  settings: AdjustmentSettings;
}

function checkInput(input: AdjustmentInput): AdjustmentInput {
  if (!ADJUSTMENT_TARGETS.includes(input.target)) throw ValidationFailed.field('target', `must be one of ${ADJUSTMENT_TARGETS.join(', ')}`);
  if (!ADJUSTMENT_DIRECTIONS.includes(input.direction)) throw ValidationFailed.field('direction', `must be one of ${ADJUSTMENT_DIRECTIONS.join(', ')}`);
  if (!ADJUSTMENT_REASON_CODES.includes(input.reasonCode)) throw ValidationFailed.field('reason_code', `must be one of ${ADJUSTMENT_REASON_CODES.join(', ')}`);
  if (typeof input.amount !== 'bigint' || input.amount <= 0n) throw ValidationFailed.field('amount', 'must be a whole number greater than zero');
  // Validates the id the way the ledger names the account (400 naming target_id, before anything is written).
  try {
    if (input.target === 'user') userCoins(input.targetId);
    else creatorDiamonds(input.targetId);
  } catch {
    throw ValidationFailed.field('target_id', 'must be 1-64 letters, digits, dots, dashes or underscores');
  }
  return { ...input, note: checkReason(input.note, 'note') };
}

async function move(manager: EntityManager, actor: Actor, row: AdjustmentRow, action: AdjustmentAction, columns: Record<string, unknown>, reason: string): Promise<void> {
  const state = transition(ADJUSTMENT_MACHINE, row.id, row.state, action);
  const names = Object.keys(columns);
  const sets = names.map((name, i) => `, ${name} = $${i + 3}`).join('');
  await manager.query(`UPDATE adjustments SET state = $2, updated_at = now()${sets} WHERE id = $1`, [row.id, state, ...names.map((n) => columns[n])]);
  await recordAudit(manager, actor, { action: `adjustment.${state}`, entity: 'adjustment', entityId: row.id, before: { state: row.state }, after: { state, ...columns }, reason });
  row.state = state;
}

/** approved → posted: the ledger entry against `platform:adjustments:<asset>` (a debit never takes the account below zero: 409). */
async function post(manager: EntityManager, deps: AdjustmentDeps, actor: Actor, row: AdjustmentRow): Promise<void> {
  try {
    const entry = await deps.ledger.post(
      buildAdjustment({ adjustmentId: row.id, target: row.target, targetId: row.target_id, direction: row.direction, amount: BigInt(row.amount), reasonCode: row.reason_code, note: row.note }),
      { manager },
    );
    await move(manager, actor, row, 'post', { ledger_transaction_id: entry.id, posted_at: new Date() }, row.note);
  } catch (error) {
    if (error instanceof InsufficientFunds) {
      throw new Conflict(`the ${row.target}'s ${row.asset === 'COIN' ? 'coins' : 'diamonds'} cannot cover a debit of ${row.amount}: ${error.message}`, [{ field: 'amount', message: 'more than the account holds' }], { available: error.available.toString(), account: error.accountCode });
    }
    throw error;
  }
}

/**
 * Support asks for an adjustment (DESIGN §3, §5). Up to the threshold it is approved and posted at once,
 * in this transaction; above it, it waits for a second operator.
 */
export async function requestAdjustment(manager: EntityManager, deps: AdjustmentDeps, actor: Actor, raw: AdjustmentInput): Promise<string> {
  const input = checkInput(raw);
  if (actor.operatorId === null) throw ValidationFailed.field('requested_by', 'an adjustment is asked by an operator');
  const asset = input.target === 'user' ? 'COIN' : 'DIAMOND';
  const threshold = asset === 'COIN' ? deps.settings.approvalThresholdCoins : deps.settings.approvalThresholdDiamonds;
  const needsApproval = input.amount > threshold;
  const id = randomUUID();
  const [row]: AdjustmentRow[] = await manager.query(
    `INSERT INTO adjustments (id, target, target_id, asset, direction, amount, reason_code, note, state, needs_approval, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $10) RETURNING *`,
    [id, input.target, input.targetId, asset, input.direction, input.amount.toString(), input.reasonCode, input.note, needsApproval, actor.operatorId],
  );
  await recordAudit(manager, actor, { action: 'adjustment.requested', entity: 'adjustment', entityId: id, after: { state: 'requested', target: input.target, target_id: input.targetId, direction: input.direction, amount: input.amount.toString(), reason_code: input.reasonCode, needs_approval: needsApproval }, reason: input.note });
  if (!needsApproval) {
    await move(manager, actor, row, 'approve', { decided_at: new Date() }, `approved automatically: at most ${threshold} ${asset === 'COIN' ? 'coins' : 'diamonds'}`);
    await post(manager, deps, actor, row);
  }
  return id;
}

/** A second operator approves (never the requester: checked on the locked row); approved and posted together. */
export async function approveAdjustment(manager: EntityManager, deps: AdjustmentDeps, actor: Actor, id: string, reason: string): Promise<void> {
  const checked = checkReason(reason);
  const row = await lockAdjustment(manager, id);
  if (row.state === 'requested') assertFourEyes({ requestedBy: row.requested_by, approver: actor, entity: 'adjustment', entityId: id });
  await move(manager, actor, row, 'approve', { approved_by: actor.operatorId, decided_by: actor.operatorId, decision_reason: checked, decided_at: new Date() }, checked);
  await post(manager, deps, actor, row);
}

export async function rejectAdjustment(manager: EntityManager, actor: Actor, id: string, reason: string): Promise<void> {
  const checked = checkReason(reason);
  const row = await lockAdjustment(manager, id);
  await move(manager, actor, row, 'reject', { decided_by: actor.operatorId, decision_reason: checked, decided_at: new Date() }, checked);
}

export class AdjustmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deps: AdjustmentDeps,
  ) {}

  list(list: ListQuery) {
    return listAdjustments(this.dataSource, list);
  }

  get(id: string): Promise<AdjustmentDto> {
    return getAdjustment(this.dataSource, id);
  }

  async request(actor: Actor, input: AdjustmentInput): Promise<AdjustmentDto> {
    const id = await this.dataSource.transaction((manager) => requestAdjustment(manager, this.deps, actor, input));
    return this.get(id);
  }

  async approve(actor: Actor, id: string, reason: string): Promise<AdjustmentDto> {
    await this.dataSource.transaction((manager) => approveAdjustment(manager, this.deps, actor, id, reason));
    return this.get(id);
  }

  async reject(actor: Actor, id: string, reason: string): Promise<AdjustmentDto> {
    await this.dataSource.transaction((manager) => rejectAdjustment(manager, actor, id, reason));
    return this.get(id);
  }
}
