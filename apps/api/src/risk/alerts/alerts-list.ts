import type { ListSpec } from '@coinops/db';
import { RISK_ACTIONS, RISK_SEVERITIES } from '@coinops/risk';
import type { DataSource } from 'typeorm';
import { rankOf } from '../listing';
import { iso } from '../wire';

export const ALERTS_LIST: ListSpec = {
  resource: 'alerts',
  sortable: { id: 'a.id', created_at: 'a.created_at', severity: rankOf('a.severity', RISK_SEVERITIES), action: rankOf('a.action', RISK_ACTIONS), score: 'a.score', rule_key: 'a.rule_key' },
  filters: {
    id: { column: 'a.id', type: 'bigint' },
    rule: { column: 'a.rule_key', type: 'text' },
    rule_id: { column: 'a.rule_id', type: 'uuid' },
    severity: { column: 'a.severity', type: 'enum', values: RISK_SEVERITIES },
    action: { column: 'a.action', type: 'enum', values: RISK_ACTIONS },
    subject_type: { column: 'a.subject_type', type: 'enum', values: ['recharge', 'gift', 'chargeback_ratio'] },
    // rule | early_fraud_warning | chargeback_ratio (docs/chargebacks.md)
    source: { column: 'a.source', type: 'enum', values: ['rule', 'early_fraud_warning', 'chargeback_ratio'] },
    subject: { column: 'a.subject_id', type: 'text' },
    user_id: { column: 'a.user_id', type: 'text' },
    decision_id: { column: 'a.decision_id', type: 'bigint' },
    created_at_gte: { column: 'a.created_at', type: 'timestamp', op: 'gte' },
    created_at_lte: { column: 'a.created_at', type: 'timestamp', op: 'lte' },
  },
  search: ['a.id', 'a.subject_id', 'a.user_id', 'a.rule_key'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 'a.id',
};

export interface AlertRow {
  id: string;
  source: string;
  /** null for an alert that is not a rule's (an early fraud warning, a chargeback ratio crossed). */
  decision_id: string | null;
  rule_id: string | null;
  rule_key: string;
  rule_version: number | null;
  action: string;
  severity: string;
  score: number;
  subject_type: string;
  subject_id: string;
  user_id: string | null;
  values: Record<string, unknown>;
  decision: string | null;
  created_at: Date;
}

/** One matching rule of a recorded decision, with the values that made it match. */
export function toAlertDto(row: AlertRow) {
  return {
    id: String(row.id),
    source: row.source,
    decision_id: row.decision_id === null ? null : String(row.decision_id),
    rule_id: row.rule_id,
    rule_key: row.rule_key,
    rule_version: row.rule_version === null ? null : Number(row.rule_version),
    action: row.action,
    severity: row.severity,
    score: Number(row.score),
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    user_id: row.user_id,
    values: row.values,
    decision: row.decision,
    created_at: iso(row.created_at),
  };
}

export function alertsQuery(db: DataSource) {
  return db
    .createQueryBuilder()
    .select(['a.id AS id', 'a.source AS source', 'a.decision_id AS decision_id', 'a.rule_id AS rule_id', 'a.rule_key AS rule_key', 'a.rule_version AS rule_version', 'a.action AS action'])
    .addSelect(['a.severity AS severity', 'a.score AS score', 'a.subject_type AS subject_type', 'a.subject_id AS subject_id', 'a.user_id AS user_id'])
    .addSelect(['a."values" AS "values"', 'd.decision AS decision', 'a.created_at AS created_at'])
    .from('risk_alerts', 'a')
    .leftJoin('risk_decisions', 'd', 'd.id = a.decision_id');
}
