import { NotFound, PAYOUT_HOLD_REASONS, PAYOUT_STATES, ValidationFailed } from '@coinops/contracts';
import { applyListQuery, parseListQuery, rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { checkPayoutId, type PayoutRow } from './payout-store';

/** A payout on the wire (snake_case, amounts as decimal strings, DESIGN §2). */
export interface PayoutDto {
  id: string;
  payout_id: string;
  creator_id: string;
  state: string;
  diamonds: string;
  diamonds_for_cash: string;
  rounding_diamonds: string;
  amount: string;
  currency: string;
  usd_equivalent: string;
  method: string;
  approvals_required: number;
  /** Approvals of the current round (a payout put back on hold starts a new round). */
  approvals: number;
  approval_round: number;
  /** Reasons of the active holds. */
  hold_reasons: string[];
  requested_by: string | null;
  requested_via: string;
  request_reason: string | null;
  reservation_transaction_id: string;
  resolution_transaction_id: string | null;
  cash_transaction_id: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  batch_id: string | null;
  provider: string | null;
  provider_payout_id: string | null;
  provider_attempts: number;
  last_provider_error: string | null;
  failure_reason: string | null;
  approved_at: string | null;
  processing_at: string | null;
  submitted_at: string | null;
  paid_at: string | null;
  failed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PayoutHoldDto {
  id: string;
  reason: string;
  detail: string;
  created_at: string;
  released_at: string | null;
  release_kind: string | null;
  released_by: string | null;
  released_by_email: string | null;
  release_reason: string | null;
}

export interface PayoutApprovalDto {
  operator_id: string;
  operator_email: string;
  reason: string;
  approval_round: number;
  created_at: string;
}

export interface PayoutDetail extends PayoutDto {
  holds: PayoutHoldDto[];
  approval_history: PayoutApprovalDto[];
}

const ACTIVE_HOLDS = `coalesce((SELECT array_agg(h.reason ORDER BY h.id) FROM payout_holds h WHERE h.payout_id = p.id AND h.released_at IS NULL), '{}')`;
const APPROVALS = `(SELECT count(*)::int FROM payout_approvals a WHERE a.payout_id = p.id AND a.approval_round = p.approval_round)`;

export const PAYOUTS_LIST: ListSpec = {
  resource: 'payouts',
  sortable: {
    created_at: 'p.created_at',
    updated_at: 'p.updated_at',
    approved_at: 'p.approved_at',
    amount: 'p.amount_minor',
    diamonds: 'p.diamonds',
    state: 'p.state',
    creator_id: 'p.creator_id',
  },
  filters: {
    id: { column: 'p.id', type: 'uuid' },
    payout_id: { column: 'p.payout_id', type: 'text' },
    creator_id: { column: 'p.creator_id', type: 'text' },
    state: { column: 'p.state', type: 'enum', values: PAYOUT_STATES },
    currency: { column: 'p.currency', type: 'text' },
    method: { column: 'p.method', type: 'text' },
    batch_id: { column: 'p.batch_id', type: 'uuid' },
    requested_via: { column: 'p.requested_via', type: 'enum', values: ['platform', 'console'] },
    approvals_required: { column: 'p.approvals_required', type: 'int' },
    hold_reason: { column: 'p.id', type: 'enum', values: PAYOUT_HOLD_REASONS },
    amount_gte: { column: 'p.amount_minor', type: 'bigint', op: 'gte' },
    amount_lte: { column: 'p.amount_minor', type: 'bigint', op: 'lte' },
    created_at_gte: { column: 'p.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'p.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['p.id', 'p.payout_id', 'p.creator_id', 'p.provider_payout_id'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'p.id',
};

/** `hold_reason`: payouts with an active hold of that reason (an EXISTS, not a column). */
const CUSTOM_FILTERS = {
  hold_reason: (qb: SelectQueryBuilder<any>, value: unknown, param: string) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const values = Array.isArray(value) ? value : [value];
    qb.andWhere(`EXISTS (SELECT 1 FROM payout_holds hr WHERE hr.payout_id = p.id AND hr.released_at IS NULL AND hr.reason IN (:...${param}))`, { [param]: values });
  },
};

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

type ListedRow = PayoutRow & { hold_reasons: string[]; approvals: number };

export function toPayoutDto(row: ListedRow): PayoutDto {
  return {
    id: row.id,
    payout_id: row.payout_id,
    creator_id: row.creator_id,
    state: row.state,
    diamonds: String(row.diamonds),
    diamonds_for_cash: String(row.diamonds_for_cash),
    rounding_diamonds: String(row.rounding_diamonds),
    amount: String(row.amount_minor),
    currency: row.currency,
    usd_equivalent: String(row.usd_equivalent_minor),
    method: row.method,
    approvals_required: row.approvals_required,
    approvals: row.approvals ?? 0,
    approval_round: row.approval_round,
    hold_reasons: row.hold_reasons ?? [],
    requested_by: row.requested_by,
    requested_via: row.requested_via,
    request_reason: row.request_reason,
    reservation_transaction_id: row.reservation_transaction_id,
    resolution_transaction_id: row.resolution_transaction_id,
    cash_transaction_id: row.cash_transaction_id,
    decided_by: row.decided_by,
    decision_reason: row.decision_reason,
    batch_id: row.batch_id,
    provider: row.provider,
    provider_payout_id: row.provider_payout_id,
    provider_attempts: row.provider_attempts,
    last_provider_error: row.last_provider_error,
    failure_reason: row.failure_reason,
    approved_at: iso(row.approved_at),
    processing_at: iso(row.processing_at),
    submitted_at: iso(row.submitted_at),
    paid_at: iso(row.paid_at),
    failed_at: iso(row.failed_at),
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
  };
}

function payoutsQuery(dataSource: DataSource) {
  return dataSource.createQueryBuilder().from('payouts', 'p').select('p.*').addSelect(ACTIVE_HOLDS, 'hold_reasons').addSelect(APPROVALS, 'approvals');
}

export function listPayouts(dataSource: DataSource, list: ListQuery): Promise<{ rows: PayoutDto[]; total: number }> {
  return rawPage(payoutsQuery(dataSource), list, PAYOUTS_LIST, toPayoutDto, CUSTOM_FILTERS);
}

export async function getPayout(dataSource: DataSource, id: string): Promise<PayoutDetail> {
  const row = await payoutsQuery(dataSource).where('p.id = :id', { id: checkPayoutId(id) }).getRawOne<ListedRow>();
  if (!row) throw new NotFound('payout', id);
  const holds = await dataSource.query(
    `SELECT id::text, reason, detail, created_at, released_at, release_kind, released_by, released_by_email, release_reason FROM payout_holds WHERE payout_id = $1 ORDER BY id LIMIT 200`,
    [row.id],
  );
  const approvals = await dataSource.query(
    `SELECT operator_id, operator_email, reason, approval_round, created_at FROM payout_approvals WHERE payout_id = $1 ORDER BY id LIMIT 200`,
    [row.id],
  );
  return {
    ...toPayoutDto(row),
    holds: holds.map((h: PayoutHoldDto & { created_at: Date; released_at: Date | null }) => ({ ...h, created_at: iso(h.created_at) as string, released_at: iso(h.released_at) })),
    approval_history: approvals.map((a: PayoutApprovalDto & { created_at: Date }) => ({ ...a, created_at: iso(a.created_at) as string })),
  };
}

export interface PayoutTotalsDto {
  currency: string;
  method: string;
  count: number;
  amount: string;
  diamonds: string;
}

/** Totals by currency and method of the payouts a list filter selects (the queue's "current selection"). */
export async function payoutTotals(dataSource: DataSource, query: Record<string, unknown>): Promise<PayoutTotalsDto[]> {
  const list = parseListQuery({ filter: query.filter }, PAYOUTS_LIST);
  const qb = dataSource.createQueryBuilder().from('payouts', 'p');
  const plain: Record<string, unknown> = {};
  let index = 0;
  for (const [field, value] of Object.entries(list.filter)) {
    const custom = CUSTOM_FILTERS[field as keyof typeof CUSTOM_FILTERS];
    if (custom) custom(qb, value, `t${index++}`);
    else plain[field] = value;
  }
  applyListQuery(qb, { ...list, filter: plain, offset: 0, limit: 1 }, PAYOUTS_LIST);
  const rows = await qb
    .select('p.currency', 'currency')
    .addSelect('p.method', 'method')
    .addSelect('count(*)::int', 'count')
    .addSelect('sum(p.amount_minor)::text', 'amount')
    .addSelect('sum(p.diamonds)::text', 'diamonds')
    .orderBy('p.currency')
    .addOrderBy('p.method')
    .groupBy('p.currency')
    .addGroupBy('p.method')
    .offset(undefined)
    .limit(1000)
    .getRawMany<PayoutTotalsDto>();
  return rows;
}

export interface PayoutBatchDto {
  id: string;
  method: string;
  payout_count: number;
  created_by: string;
  created_at: string;
  states: Record<string, number>;
  totals: Array<{ currency: string; amount: string }>;
}

export const PAYOUT_BATCHES_LIST: ListSpec = {
  resource: 'payout-batches',
  sortable: { created_at: 'b.created_at', payout_count: 'b.payout_count', method: 'b.method' },
  filters: { id: { column: 'b.id', type: 'uuid' }, method: { column: 'b.method', type: 'text' } },
  search: ['b.id', 'b.method'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'b.id',
  maxPageSize: 200,
};

type BatchRow = Omit<PayoutBatchDto, 'created_at'> & { created_at: Date };

function batchesQuery(dataSource: DataSource) {
  return dataSource
    .createQueryBuilder()
    .from('payout_batches', 'b')
    .select(['b.id AS id', 'b.method AS method', 'b.payout_count AS payout_count', 'b.created_by AS created_by', 'b.created_at AS created_at'])
    .addSelect(`(SELECT jsonb_object_agg(s.state, s.n) FROM (SELECT state, count(*)::int AS n FROM payouts WHERE batch_id = b.id GROUP BY state) s)`, 'states')
    .addSelect(`(SELECT jsonb_agg(jsonb_build_object('currency', t.currency, 'amount', t.amount) ORDER BY t.currency) FROM (SELECT currency, sum(amount_minor)::text AS amount FROM payouts WHERE batch_id = b.id GROUP BY currency) t)`, 'totals');
}

const toBatchDto = (row: BatchRow): PayoutBatchDto => ({ ...row, created_at: iso(row.created_at) as string, states: row.states ?? {}, totals: row.totals ?? [] });

export function listPayoutBatches(dataSource: DataSource, list: ListQuery): Promise<{ rows: PayoutBatchDto[]; total: number }> {
  return rawPage(batchesQuery(dataSource), list, PAYOUT_BATCHES_LIST, toBatchDto);
}

export async function getPayoutBatch(dataSource: DataSource, id: string): Promise<PayoutBatchDto> {
  const row = await batchesQuery(dataSource).where('b.id = :id', { id: checkBatchId(id) }).getRawOne<BatchRow>();
  if (!row) throw new NotFound('payout batch', id);
  return toBatchDto(row);
}

function checkBatchId(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new NotFound('payout batch', String(id).slice(0, 100));
  return id.toLowerCase();
}

/** A batch never holds more than the largest batch size (1,000): the CSV is one bounded query. */
const CSV_COLUMNS = ['id', 'payout_id', 'creator_id', 'state', 'diamonds', 'amount_minor', 'currency', 'method', 'provider', 'provider_payout_id', 'failure_reason', 'approved_at', 'processing_at', 'paid_at', 'failed_at'] as const;

/** A batch as CSV for finance (RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' against formula injection). */
export async function payoutBatchCsv(dataSource: DataSource, id: string): Promise<string> {
  await getPayoutBatch(dataSource, id);
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT ${CSV_COLUMNS.join(', ')} FROM payouts WHERE batch_id = $1 ORDER BY processing_at, id LIMIT 1000`,
    [id.toLowerCase()],
  );
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
    if (/^[=+\-@]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
}

export function assertBulkIds(ids: unknown, max: number): string[] {
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > max) throw ValidationFailed.field('ids', `must list 1-${max} payout ids`);
  return [...new Set(ids.map((id) => checkPayoutId(String(id))))];
}
