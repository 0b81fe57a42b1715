import { CHARGEBACK_STATES, NotFound } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { PAYMENT_METHODS } from '../recharges/recharge-intake';

/** A chargeback on the wire (snake_case; amounts as decimal strings). */
export interface ChargebackDto {
  id: string;
  recharge_id: string;
  user_id: string;
  provider: string;
  dispute_id: string;
  charge_id: string;
  state: string;
  provider_status: string;
  reason: string | null;
  amount: string;
  currency: string;
  coins_clawed_back: string;
  fee: string;
  method: string;
  card_brand: string | null;
  evidence_due_by: string | null;
  /** Whole days until evidence is due (negative: overdue); null when no evidence is awaited. */
  evidence_due_in_days: number | null;
  disputed_at: string;
  closed_at: string | null;
  clawback_transaction_id: string | null;
  hold_void_transaction_id: string | null;
  reversal_transaction_id: string | null;
  fee_transaction_id: string | null;
  review_id: string | null;
  /** Diamonds of creators still held because of this chargeback. */
  diamonds_at_risk: string;
  /** The user's coin balance now: negative is a debt from a clawback. */
  user_balance_coins: string;
  created_at: string;
  updated_at: string;
}

export const CHARGEBACKS_LIST: ListSpec = {
  resource: 'chargebacks',
  sortable: {
    created_at: 'c.created_at',
    updated_at: 'c.updated_at',
    disputed_at: 'c.disputed_at',
    evidence_due_by: 'c.evidence_due_by',
    amount: 'c.amount_minor',
    state: 'c.state',
  },
  filters: {
    id: { column: 'c.id', type: 'uuid' },
    state: { column: 'c.state', type: 'enum', values: CHARGEBACK_STATES },
    provider: { column: 'c.provider', type: 'text' },
    user_id: { column: 'c.user_id', type: 'text' },
    recharge_id: { column: 'c.recharge_id', type: 'uuid' },
    dispute_id: { column: 'c.dispute_id', type: 'text' },
    method: { column: 'r.method', type: 'enum', values: PAYMENT_METHODS },
    card_brand: { column: 'r.card_brand', type: 'text' },
    currency: { column: 'c.currency', type: 'text' },
    disputed_at_gte: { column: 'c.disputed_at', type: 'timestamp', op: 'gte' },
    disputed_at_lte: { column: 'c.disputed_at', type: 'timestamp', op: 'lte' },
    evidence_due_by_lte: { column: 'c.evidence_due_by', type: 'timestamp', op: 'lte' },
  },
  search: ['c.id', 'c.dispute_id', 'c.charge_id', 'c.user_id', 'c.recharge_id', 'r.card_fingerprint'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'c.id',
};

const SELECT = [
  'c.*',
  'r.method AS method',
  'r.card_brand AS card_brand',
  `(SELECT coalesce(sum(d.diamonds), 0) FROM creator_diamonds_at_risk d WHERE d.chargeback_id = c.id AND d.released_at IS NULL)::text AS diamonds_at_risk`,
  `coalesce((SELECT la.posted FROM ledger_accounts la WHERE la.code = 'user:' || c.user_id || ':coins'), 0)::text AS user_balance_coins`,
];

type Row = Record<string, unknown> & { evidence_due_by: Date | null; disputed_at: Date; closed_at: Date | null; created_at: Date; updated_at: Date; state: string };
const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
const DAY_MS = 24 * 3600 * 1000;

function toDto(row: Row): ChargebackDto {
  const awaiting = row.evidence_due_by !== null && (row.state === 'opened' || row.state === 'needs_response');
  return {
    id: String(row.id),
    recharge_id: String(row.recharge_id),
    user_id: String(row.user_id),
    provider: String(row.provider),
    dispute_id: String(row.dispute_id),
    charge_id: String(row.charge_id),
    state: row.state,
    provider_status: String(row.provider_status),
    reason: (row.reason as string | null) ?? null,
    amount: String(row.amount_minor),
    currency: String(row.currency).trim(),
    coins_clawed_back: String(row.coins_clawed_back),
    fee: String(row.fee_minor),
    method: String(row.method),
    card_brand: (row.card_brand as string | null) ?? null,
    evidence_due_by: iso(row.evidence_due_by),
    evidence_due_in_days: awaiting ? Math.floor((new Date(row.evidence_due_by!).getTime() - Date.now()) / DAY_MS) : null,
    disputed_at: iso(row.disputed_at)!,
    closed_at: iso(row.closed_at),
    clawback_transaction_id: (row.clawback_transaction_id as string | null) ?? null,
    hold_void_transaction_id: (row.hold_void_transaction_id as string | null) ?? null,
    reversal_transaction_id: (row.reversal_transaction_id as string | null) ?? null,
    fee_transaction_id: (row.fee_transaction_id as string | null) ?? null,
    review_id: (row.review_id as string | null) ?? null,
    diamonds_at_risk: String(row.diamonds_at_risk),
    user_balance_coins: String(row.user_balance_coins),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}

export function listChargebacks(dataSource: DataSource, list: ListQuery): Promise<{ rows: ChargebackDto[]; total: number }> {
  const qb = dataSource.createQueryBuilder().select(SELECT).from('chargebacks', 'c').innerJoin('recharges', 'r', 'r.id = c.recharge_id');
  return rawPage(qb, list, CHARGEBACKS_LIST, toDto);
}

export interface DiamondsAtRiskDto {
  creator_id: string;
  gift_id: string;
  coins: string;
  diamonds: string;
  policy: string;
  resolution: string | null;
  released_at: string | null;
}

export async function getChargeback(dataSource: DataSource, id: string): Promise<ChargebackDto & { diamonds: DiamondsAtRiskDto[] }> {
  const [row]: Row[] = await dataSource.query(
    `SELECT ${SELECT.join(', ')} FROM chargebacks c JOIN recharges r ON r.id = c.recharge_id WHERE c.id = $1`,
    [id],
  );
  if (!row) throw new NotFound('chargeback', id);
  const diamonds: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT creator_id, gift_id, coins::text, diamonds::text, policy, resolution, released_at FROM creator_diamonds_at_risk WHERE chargeback_id = $1 ORDER BY id LIMIT 1000`,
    [id],
  );
  return {
    ...toDto(row),
    diamonds: diamonds.map((d) => ({
      creator_id: String(d.creator_id), gift_id: String(d.gift_id), coins: String(d.coins), diamonds: String(d.diamonds), policy: String(d.policy),
      resolution: (d.resolution as string | null) ?? null, released_at: iso(d.released_at as Date | null),
    })),
  };
}

/** Diamonds of a creator held by open chargebacks: what payouts hold back (policy `hold`). */
export async function creatorDiamondsAtRisk(db: Pick<DataSource, 'query'>, creatorId: string): Promise<bigint> {
  const [row] = await db.query(`SELECT coalesce(sum(diamonds), 0)::text AS diamonds FROM creator_diamonds_at_risk WHERE creator_id = $1 AND released_at IS NULL`, [creatorId]);
  return BigInt(row.diamonds);
}
