import { NotFound, REFUND_KINDS, REFUND_STATES, type RefundKind, type RefundState } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource, EntityManager } from 'typeorm';

/** A refund row as PostgreSQL returns it (bigint as strings). */
export interface RefundRow {
  id: string;
  recharge_id: string;
  user_id: string;
  kind: RefundKind;
  state: RefundState;
  amount_minor: string;
  currency: string;
  coins: string;
  coins_unrecovered: string;
  amount_usd_minor: string | null;
  needs_approval: boolean;
  requires_override: boolean;
  reason: string;
  override_reason: string | null;
  requested_by: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  hold_transaction_id: string | null;
  ledger_transaction_id: string | null;
  attempt: number;
  idempotency_key: string;
  provider_refund_id: string | null;
  failure_code: string | null;
  failure_reason: string | null;
  processing_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A refund on the wire (snake_case; amounts as decimal strings, DESIGN §2). */
export interface RefundDto {
  id: string;
  recharge_id: string;
  user_id: string;
  kind: RefundKind;
  state: RefundState;
  amount: string;
  currency: string;
  coins: string;
  coins_unrecovered: string;
  amount_usd: string | null;
  needs_approval: boolean;
  requires_override: boolean;
  reason: string;
  override_reason: string | null;
  requested_by: string | null;
  requested_by_email: string | null;
  approved_by: string | null;
  approved_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  hold_transaction_id: string | null;
  ledger_transaction_id: string | null;
  attempt: number;
  idempotency_key: string;
  provider_refund_id: string | null;
  failure_code: string | null;
  failure_reason: string | null;
  provider: string;
  provider_ref: string;
  processing_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

export const REFUNDS_LIST: ListSpec = {
  resource: 'refunds',
  sortable: { created_at: 'f.created_at', updated_at: 'f.updated_at', amount: 'f.amount_minor', state: 'f.state', coins: 'f.coins' },
  filters: {
    id: { column: 'f.id', type: 'uuid' },
    recharge_id: { column: 'f.recharge_id', type: 'uuid' },
    user_id: { column: 'f.user_id', type: 'text' },
    state: { column: 'f.state', type: 'enum', values: REFUND_STATES },
    kind: { column: 'f.kind', type: 'enum', values: REFUND_KINDS },
    needs_approval: { column: 'f.needs_approval', type: 'bool' },
    requested_by: { column: 'f.requested_by', type: 'uuid' },
    currency: { column: 'f.currency', type: 'text' },
    provider_refund_id: { column: 'f.provider_refund_id', type: 'text' },
    created_at_gte: { column: 'f.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'f.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['f.id', 'f.recharge_id', 'f.user_id', 'f.provider_refund_id', 'r.provider_ref'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'f.id',
};

const SELECT = `f.*, r.provider, r.provider_ref, o.email AS requested_by_email`;
const FROM = `refunds f JOIN recharges r ON r.id = f.recharge_id LEFT JOIN operators o ON o.id = f.requested_by`;

type JoinedRow = RefundRow & { provider: string; provider_ref: string; requested_by_email: string | null };

const iso = (value: Date | null) => value?.toISOString() ?? null;

export function toRefundDto(row: JoinedRow): RefundDto {
  return {
    id: row.id,
    recharge_id: row.recharge_id,
    user_id: row.user_id,
    kind: row.kind,
    state: row.state,
    amount: String(row.amount_minor),
    currency: row.currency.trim(),
    coins: String(row.coins),
    coins_unrecovered: String(row.coins_unrecovered),
    amount_usd: row.amount_usd_minor === null ? null : String(row.amount_usd_minor),
    needs_approval: row.needs_approval,
    requires_override: row.requires_override,
    reason: row.reason,
    override_reason: row.override_reason,
    requested_by: row.requested_by,
    requested_by_email: row.requested_by_email,
    approved_by: row.approved_by,
    approved_at: iso(row.approved_at),
    decided_by: row.decided_by,
    decision_reason: row.decision_reason,
    hold_transaction_id: row.hold_transaction_id,
    ledger_transaction_id: row.ledger_transaction_id,
    attempt: row.attempt,
    idempotency_key: row.idempotency_key,
    provider_refund_id: row.provider_refund_id,
    failure_code: row.failure_code,
    failure_reason: row.failure_reason,
    provider: row.provider,
    provider_ref: row.provider_ref,
    processing_at: iso(row.processing_at),
    completed_at: iso(row.completed_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function listRefunds(dataSource: DataSource, list: ListQuery): Promise<{ rows: RefundDto[]; total: number }> {
  const qb = dataSource
    .createQueryBuilder()
    .select(SELECT)
    .from('refunds', 'f')
    .innerJoin('recharges', 'r', 'r.id = f.recharge_id')
    .leftJoin('operators', 'o', 'o.id = f.requested_by');
  return rawPage(qb, list, REFUNDS_LIST, toRefundDto);
}

export async function getRefund(db: DataSource | EntityManager, id: string): Promise<RefundDto> {
  const [row]: JoinedRow[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE f.id = $1`, [id]);
  if (!row) throw new NotFound('refund', id);
  return toRefundDto(row);
}

/** The refund row locked for a transition (FOR UPDATE: two approvals of one refund queue here). */
export async function lockRefund(manager: EntityManager, id: string): Promise<RefundRow> {
  const [row]: RefundRow[] = await manager.query(`SELECT * FROM refunds WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw new NotFound('refund', id);
  return row;
}

/** Every refund of a recharge, oldest first, locked (the recharge row is locked first by the caller). */
export async function refundsOfRecharge(manager: EntityManager, rechargeId: string): Promise<RefundRow[]> {
  return manager.query(`SELECT * FROM refunds WHERE recharge_id = $1 ORDER BY created_at, id LIMIT 1000 FOR UPDATE`, [rechargeId]);
}
