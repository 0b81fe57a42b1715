import { NotFound, REVIEW_KINDS, REVIEW_SEVERITIES, REVIEW_STATES, type ReviewSeverity, type ReviewState } from '@coinops/contracts';
import { rawPage, type CustomFilter, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource, EntityManager } from 'typeorm';

/** A review item on the wire (snake_case; coins and amounts as decimal strings). */
export interface ReviewDto {
  id: string;
  kind: string;
  user_id: string;
  state: ReviewState;
  severity: ReviewSeverity;
  opened_reason: string;
  rule_keys: string[];
  sla_due_at: string;
  overdue: boolean;
  assigned_to: string | null;
  assigned_email: string | null;
  assigned_at: string | null;
  decided_by: string | null;
  decided_by_email: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  escalated_at: string | null;
  escalation_reason: string | null;
  created_at: string;
  updated_at: string;
  recharge_count: number;
  /** Sum of the item's recharges. */
  coins: string;
  /** Sum of the amounts in minor units, when all recharges share one currency (else null). */
  amount: string | null;
  currency: string | null;
  methods: string[];
  bin_countries: string[];
  user_country: string | null;
  user_frozen: boolean;
}

/**
 * The items with their recharges' totals, one LATERAL aggregate per item (the page's items only when the
 * queue is read in SLA order through `review_items_queue`).
 */
const ITEMS_WITH_TOTALS = `(SELECT ri.*, t.recharge_count, t.coins, t.amount_minor, t.currency, t.methods, t.bin_countries
  FROM review_items ri
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS recharge_count, coalesce(sum(r.coins), 0) AS coins,
           CASE WHEN count(DISTINCT r.currency) = 1 THEN sum(r.amount_minor) END AS amount_minor,
           CASE WHEN count(DISTINCT r.currency) = 1 THEN min(r.currency)::text END AS currency,
           coalesce(array_agg(DISTINCT r.method) FILTER (WHERE r.method IS NOT NULL), '{}') AS methods,
           coalesce(array_agg(DISTINCT r.bin_country::text) FILTER (WHERE r.bin_country IS NOT NULL), '{}') AS bin_countries
      FROM review_item_recharges rr JOIN recharges r ON r.id = rr.recharge_id::uuid
     WHERE rr.review_id = ri.id) t ON true)`;

const SELECT = [
  'ri.id AS id', 'ri.kind AS kind', 'ri.user_id AS user_id', 'ri.state AS state', 'ri.severity AS severity', 'ri.opened_reason AS opened_reason',
  'ri.rule_keys AS rule_keys', 'ri.sla_due_at AS sla_due_at', 'ri.assigned_to AS assigned_to', 'oa.email AS assigned_email', 'ri.assigned_at AS assigned_at',
  'ri.decided_by AS decided_by', 'od.email AS decided_by_email', 'ri.decision_reason AS decision_reason', 'ri.decided_at AS decided_at',
  'ri.escalated_at AS escalated_at', 'ri.escalation_reason AS escalation_reason', 'ri.created_at AS created_at', 'ri.updated_at AS updated_at',
  'ri.recharge_count AS recharge_count', 'ri.coins::text AS coins', 'ri.amount_minor::text AS amount_minor', 'ri.currency AS currency',
  'ri.methods AS methods', 'ri.bin_countries AS bin_countries', 'u.country AS user_country', '(u.frozen_at IS NOT NULL) AS user_frozen',
];

const SEVERITY_RANK = `array_position(ARRAY['low','medium','high','critical'], ri.severity)`;

export const REVIEWS_LIST: ListSpec = {
  resource: 'reviews',
  sortable: {
    sla_due_at: 'ri.sla_due_at',
    created_at: 'ri.created_at',
    updated_at: 'ri.updated_at',
    decided_at: 'ri.decided_at',
    severity: SEVERITY_RANK,
    state: 'ri.state',
    coins: 'ri.coins',
    amount: 'ri.amount_minor',
    recharge_count: 'ri.recharge_count',
  },
  filters: {
    id: { column: 'ri.id', type: 'uuid' },
    state: { column: 'ri.state', type: 'enum', values: REVIEW_STATES },
    kind: { column: 'ri.kind', type: 'enum', values: REVIEW_KINDS },
    severity: { column: 'ri.severity', type: 'enum', values: REVIEW_SEVERITIES },
    user_id: { column: 'ri.user_id', type: 'text' },
    assigned_to: { column: 'ri.assigned_to', type: 'uuid' },
    assignee: { column: 'oa.email', type: 'text', op: 'ilike' },
    decided_by: { column: 'ri.decided_by', type: 'uuid' },
    country: { column: 'u.country', type: 'text' },
    currency: { column: 'ri.currency', type: 'text' },
    coins_gte: { column: 'ri.coins', type: 'bigint', op: 'gte' },
    coins_lte: { column: 'ri.coins', type: 'bigint', op: 'lte' },
    amount_gte: { column: 'ri.amount_minor', type: 'bigint', op: 'gte' },
    amount_lte: { column: 'ri.amount_minor', type: 'bigint', op: 'lte' },
    sla_due_at_gte: { column: 'ri.sla_due_at', type: 'timestamp', op: 'gte' },
    sla_due_at_lte: { column: 'ri.sla_due_at', type: 'timestamp', op: 'lte' },
    created_at_gte: { column: 'ri.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'ri.created_at', type: 'timestamp', op: 'lte' },
    // Custom below (an array membership or a condition, not `column = value`).
    rule: { column: 'ri.rule_keys', type: 'text' },
    method: { column: 'ri.methods', type: 'text' },
    bin_country: { column: 'ri.bin_countries', type: 'text' },
    unassigned: { column: '(ri.assigned_to IS NULL)', type: 'bool' },
    overdue: { column: '(ri.sla_due_at <= now())', type: 'bool' },
  },
  search: ['ri.id', 'ri.user_id'],
  defaultSort: ['sla_due_at', 'ASC'],
  idColumn: 'ri.id',
  maxPageSize: 200,
};

const anyOf = (column: string): CustomFilter => (qb, value, param) => {
  const values = (Array.isArray(value) ? value : [value]).map(String);
  qb.andWhere(`${column} && :${param}::text[]`, { [param]: values });
};

const CUSTOM_FILTERS: Record<string, CustomFilter> = {
  rule: anyOf('ri.rule_keys'),
  method: anyOf('ri.methods'),
  bin_country: anyOf('ri.bin_countries'),
};

interface ReviewRow extends Omit<ReviewDto, 'amount' | 'overdue' | 'sla_due_at' | 'assigned_at' | 'decided_at' | 'escalated_at' | 'created_at' | 'updated_at'> {
  amount_minor: string | null;
  sla_due_at: Date;
  assigned_at: Date | null;
  decided_at: Date | null;
  escalated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function toDto(row: ReviewRow, now = Date.now()): ReviewDto {
  const active = row.state === 'open' || row.state === 'in_review' || row.state === 'escalated';
  return {
    id: row.id,
    kind: row.kind,
    user_id: row.user_id,
    state: row.state,
    severity: row.severity,
    opened_reason: row.opened_reason,
    rule_keys: row.rule_keys ?? [],
    sla_due_at: iso(row.sla_due_at)!,
    overdue: active && new Date(row.sla_due_at).getTime() <= now,
    assigned_to: row.assigned_to,
    assigned_email: row.assigned_email,
    assigned_at: iso(row.assigned_at),
    decided_by: row.decided_by,
    decided_by_email: row.decided_by_email,
    decision_reason: row.decision_reason,
    decided_at: iso(row.decided_at),
    escalated_at: iso(row.escalated_at),
    escalation_reason: row.escalation_reason,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    recharge_count: Number(row.recharge_count ?? 0),
    coins: String(row.coins ?? '0'),
    amount: row.amount_minor === null ? null : String(row.amount_minor),
    currency: row.currency?.trim() ?? null,
    methods: row.methods ?? [],
    bin_countries: (row.bin_countries ?? []).map((c) => c.trim()),
    user_country: row.user_country,
    user_frozen: Boolean(row.user_frozen),
  };
}

function reviewsQuery(source: DataSource | EntityManager) {
  return source
    .createQueryBuilder()
    .select(SELECT)
    .from(ITEMS_WITH_TOTALS, 'ri')
    .leftJoin('operators', 'oa', 'oa.id = ri.assigned_to')
    .leftJoin('operators', 'od', 'od.id = ri.decided_by')
    .leftJoin('users', 'u', 'u.id = ri.user_id');
}

/** The queue: react-admin's list contract over REVIEWS_LIST, soonest SLA first by default. */
export function listReviews(dataSource: DataSource, list: ListQuery): Promise<{ rows: ReviewDto[]; total: number }> {
  return rawPage(reviewsQuery(dataSource), list, REVIEWS_LIST, (row: ReviewRow) => toDto(row), CUSTOM_FILTERS);
}

export async function getReview(source: DataSource | EntityManager, id: string): Promise<ReviewDto> {
  const row = await reviewsQuery(source).where('ri.id = :id', { id }).getRawOne<ReviewRow>();
  if (!row) throw new NotFound('review', id);
  return toDto(row);
}

export interface ReviewCounts {
  open: number;
  in_review: number;
  escalated: number;
  approved: number;
  rejected: number;
  /** Active items assigned to the caller. */
  mine: number;
  /** Active items past their SLA (escalated or not yet). */
  overdue: number;
}

/** Counts per state for the queue's tabs, plus the caller's items and the overdue ones. */
export async function reviewCounts(dataSource: DataSource, operatorId: string | null): Promise<ReviewCounts> {
  const [row] = await dataSource.query(
    `SELECT count(*) FILTER (WHERE state = 'open')::int AS open,
            count(*) FILTER (WHERE state = 'in_review')::int AS in_review,
            count(*) FILTER (WHERE state = 'escalated')::int AS escalated,
            count(*) FILTER (WHERE state = 'approved')::int AS approved,
            count(*) FILTER (WHERE state = 'rejected')::int AS rejected,
            count(*) FILTER (WHERE state IN ('open','in_review','escalated') AND assigned_to = $1)::int AS mine,
            count(*) FILTER (WHERE state IN ('open','in_review','escalated') AND sla_due_at <= now())::int AS overdue
       FROM review_items`,
    [operatorId],
  );
  return row as ReviewCounts;
}
