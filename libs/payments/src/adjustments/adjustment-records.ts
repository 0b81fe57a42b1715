import {
  ADJUSTMENT_DIRECTIONS, ADJUSTMENT_REASON_CODES, ADJUSTMENT_STATES, ADJUSTMENT_TARGETS, NotFound,
  type AdjustmentDirection, type AdjustmentReasonCode, type AdjustmentState, type AdjustmentTarget,
} from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource, EntityManager } from 'typeorm';

export interface AdjustmentRow {
  id: string;
  target: AdjustmentTarget;
  target_id: string;
  asset: 'COIN' | 'DIAMOND';
  direction: AdjustmentDirection;
  amount: string;
  reason_code: AdjustmentReasonCode;
  note: string;
  state: AdjustmentState;
  needs_approval: boolean;
  requested_by: string;
  approved_by: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: Date | null;
  ledger_transaction_id: string | null;
  posted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface AdjustmentDto extends Omit<AdjustmentRow, 'decided_at' | 'posted_at' | 'created_at' | 'updated_at'> {
  requested_by_email: string | null;
  decided_at: string | null;
  posted_at: string | null;
  created_at: string;
  updated_at: string;
}

export const ADJUSTMENTS_LIST: ListSpec = {
  resource: 'adjustments',
  sortable: { created_at: 'a.created_at', updated_at: 'a.updated_at', amount: 'a.amount', state: 'a.state' },
  filters: {
    id: { column: 'a.id', type: 'uuid' },
    target: { column: 'a.target', type: 'enum', values: ADJUSTMENT_TARGETS },
    target_id: { column: 'a.target_id', type: 'text' },
    asset: { column: 'a.asset', type: 'enum', values: ['COIN', 'DIAMOND'] },
    direction: { column: 'a.direction', type: 'enum', values: ADJUSTMENT_DIRECTIONS },
    reason_code: { column: 'a.reason_code', type: 'enum', values: ADJUSTMENT_REASON_CODES },
    state: { column: 'a.state', type: 'enum', values: ADJUSTMENT_STATES },
    needs_approval: { column: 'a.needs_approval', type: 'bool' },
    requested_by: { column: 'a.requested_by', type: 'uuid' },
    created_at_gte: { column: 'a.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'a.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['a.id', 'a.target_id', 'a.note'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'a.id',
};

const SELECT = `a.*, o.email AS requested_by_email`;
const iso = (value: Date | null) => value?.toISOString() ?? null;

export function toAdjustmentDto(row: AdjustmentRow & { requested_by_email: string | null }): AdjustmentDto {
  return {
    ...row,
    amount: String(row.amount),
    decided_at: iso(row.decided_at),
    posted_at: iso(row.posted_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function listAdjustments(dataSource: DataSource, list: ListQuery): Promise<{ rows: AdjustmentDto[]; total: number }> {
  const qb = dataSource.createQueryBuilder().select(SELECT).from('adjustments', 'a').leftJoin('operators', 'o', 'o.id = a.requested_by');
  return rawPage(qb, list, ADJUSTMENTS_LIST, toAdjustmentDto);
}

export async function getAdjustment(db: DataSource | EntityManager, id: string): Promise<AdjustmentDto> {
  const [row] = await db.query(`SELECT ${SELECT} FROM adjustments a LEFT JOIN operators o ON o.id = a.requested_by WHERE a.id = $1`, [id]);
  if (!row) throw new NotFound('adjustment', id);
  return toAdjustmentDto(row);
}

export async function lockAdjustment(manager: EntityManager, id: string): Promise<AdjustmentRow> {
  const [row]: AdjustmentRow[] = await manager.query(`SELECT * FROM adjustments WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw new NotFound('adjustment', id);
  return row;
}
