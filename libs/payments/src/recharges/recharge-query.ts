import { NotFound } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { PAYMENT_METHODS } from './recharge-intake';
import { RECHARGE_DECISIONS, RECHARGE_STATES } from './recharge-states';

/** A recharge on the wire (snake_case; amounts as decimal strings, DESIGN §2). */
export interface RechargeDto {
  id: string;
  provider: string;
  provider_ref: string;
  user_id: string;
  method: string;
  coins: string;
  amount: string;
  currency: string;
  package_id: string | null;
  card_fingerprint: string | null;
  card_brand: string | null;
  card_last4: string | null;
  bin_country: string | null;
  wallet: string | null;
  device_id: string | null;
  ip: string | null;
  state: string;
  decision: string | null;
  risk_score: number | null;
  risk_decision_id: string | null;
  ledger_transaction_id: string | null;
  review_id: string | null;
  occurred_at: string;
  evaluated_at: string | null;
  created_at: string;
}

export const RECHARGES_LIST: ListSpec = {
  resource: 'recharges',
  sortable: {
    created_at: 'r.created_at',
    occurred_at: 'r.occurred_at',
    amount: 'r.amount_minor',
    coins: 'r.coins',
    state: 'r.state',
    risk_score: 'r.risk_score',
  },
  filters: {
    id: { column: 'r.id', type: 'uuid' },
    state: { column: 'r.state', type: 'enum', values: RECHARGE_STATES },
    decision: { column: 'r.decision', type: 'enum', values: RECHARGE_DECISIONS },
    method: { column: 'r.method', type: 'enum', values: PAYMENT_METHODS },
    provider: { column: 'r.provider', type: 'text' },
    provider_ref: { column: 'r.provider_ref', type: 'text' },
    user_id: { column: 'r.user_id', type: 'text' },
    card_fingerprint: { column: 'r.card_fingerprint', type: 'text' },
    device_id: { column: 'r.device_id', type: 'text' },
    ip: { column: 'r.ip', type: 'text' },
    bin_country: { column: 'r.bin_country', type: 'text' },
    currency: { column: 'r.currency', type: 'text' },
    amount_gte: { column: 'r.amount_minor', type: 'bigint', op: 'gte' },
    amount_lte: { column: 'r.amount_minor', type: 'bigint', op: 'lte' },
    occurred_at_gte: { column: 'r.occurred_at', type: 'timestamp', op: 'gte' },
    occurred_at_lte: { column: 'r.occurred_at', type: 'timestamp', op: 'lte' },
  },
  search: ['r.id', 'r.provider_ref', 'r.user_id', 'r.card_fingerprint'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'r.id',
};

const SELECT = `r.*, rr.review_id`;

/** The row as PostgreSQL returns it: the same fields, amounts under their column name, times as dates. */
type RechargeRow = Omit<RechargeDto, 'amount' | 'occurred_at' | 'evaluated_at' | 'created_at'> & {
  amount_minor: string;
  occurred_at: Date;
  evaluated_at: Date | null;
  created_at: Date;
};

function toDto(row: RechargeRow): RechargeDto {
  return {
    id: row.id,
    provider: row.provider,
    provider_ref: row.provider_ref,
    user_id: row.user_id,
    method: row.method,
    coins: String(row.coins),
    amount: String(row.amount_minor),
    currency: row.currency.trim(),
    package_id: row.package_id,
    card_fingerprint: row.card_fingerprint,
    card_brand: row.card_brand,
    card_last4: row.card_last4,
    bin_country: row.bin_country?.trim() ?? null,
    wallet: row.wallet,
    device_id: row.device_id,
    ip: row.ip,
    state: row.state,
    decision: row.decision,
    risk_score: row.risk_score,
    risk_decision_id: row.risk_decision_id,
    ledger_transaction_id: row.ledger_transaction_id,
    review_id: row.review_id ?? null,
    occurred_at: row.occurred_at.toISOString(),
    evaluated_at: row.evaluated_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}

/** Trust and safety's view of recharges: filters from RECHARGES_LIST, each with its review item if held. */
export function listRecharges(dataSource: DataSource, list: ListQuery): Promise<{ rows: RechargeDto[]; total: number }> {
  const qb = dataSource.createQueryBuilder().select(SELECT).from('recharges', 'r').leftJoin('review_item_recharges', 'rr', 'rr.recharge_id = r.id::text');
  return rawPage(qb, list, RECHARGES_LIST, toDto);
}

export async function getRecharge(dataSource: DataSource, id: string): Promise<RechargeDto> {
  const [row]: RechargeRow[] = await dataSource.query(
    `SELECT ${SELECT} FROM recharges r LEFT JOIN review_item_recharges rr ON rr.recharge_id = r.id::text WHERE r.id = $1`,
    [id],
  );
  if (!row) throw new NotFound('recharge', id);
  return toDto(row);
}
