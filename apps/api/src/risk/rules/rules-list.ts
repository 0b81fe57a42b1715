import type { ListSpec } from '@coinops/db';
import { RISK_ACTIONS, RISK_SEVERITIES, RULE_EVENT_KINDS } from '@coinops/risk';
import type { DataSource, EntityManager } from 'typeorm';
import { iso } from '../wire';
import { rankOf } from '../listing';

export const RULES_LIST: ListSpec = {
  resource: 'rules',
  sortable: {
    key: 'r.key',
    name: 'v.name',
    action: rankOf('v.action', RISK_ACTIONS),
    severity: rankOf('v.severity', RISK_SEVERITIES),
    score: 'v.score',
    event_kind: 'v.event_kind',
    enabled: 'v.enabled',
    live_version: 'r.live_version',
    created_at: 'r.created_at',
    updated_at: 'r.updated_at',
  },
  filters: {
    id: { column: 'r.id', type: 'uuid' },
    key: { column: 'r.key', type: 'text' },
    action: { column: 'v.action', type: 'enum', values: RISK_ACTIONS },
    severity: { column: 'v.severity', type: 'enum', values: RISK_SEVERITIES },
    event_kind: { column: 'v.event_kind', type: 'enum', values: RULE_EVENT_KINDS },
    enabled: { column: 'v.enabled', type: 'bool' },
    author: { column: 'v.author', type: 'text' },
    updated_at_gte: { column: 'r.updated_at', type: 'timestamp', op: 'gte' },
    updated_at_lte: { column: 'r.updated_at', type: 'timestamp', op: 'lte' },
  },
  search: ['r.key', 'v.name', 'v.expression', 'v.description'],
  defaultSort: ['key', 'ASC'],
  idColumn: 'r.id',
};

export interface RuleRow {
  id: string;
  key: string;
  live_version: number;
  name: string;
  event_kind: string;
  expression: string;
  action: string;
  score: number;
  severity: string;
  description: string;
  enabled: boolean;
  author: string;
  version_created_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** A rule as the console sees it: its key and its live version's content. */
export function toRuleDto(row: RuleRow) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    event_kind: row.event_kind,
    expression: row.expression,
    action: row.action,
    score: Number(row.score),
    severity: row.severity,
    description: row.description,
    enabled: row.enabled,
    live_version: Number(row.live_version),
    author: row.author,
    version_created_at: iso(row.version_created_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}
export type RuleDto = ReturnType<typeof toRuleDto>;

const COLUMNS = [
  'r.id AS id',
  'r.key AS key',
  'r.live_version AS live_version',
  'v.name AS name',
  'v.event_kind AS event_kind',
  'v.expression AS expression',
  'v.action AS action',
  'v.score AS score',
  'v.severity AS severity',
  'v.description AS description',
  'v.enabled AS enabled',
  'v.author AS author',
  'v.created_at AS version_created_at',
  'r.created_at AS created_at',
  'r.updated_at AS updated_at',
];

/** Rules joined to their live version (`r`, `v`), for lists and single reads. */
export function rulesQuery(db: DataSource | EntityManager) {
  return db
    .createQueryBuilder()
    .select(COLUMNS)
    .from('rules', 'r')
    .innerJoin('rule_versions', 'v', 'v.rule_id = r.id AND v.version = r.live_version');
}
