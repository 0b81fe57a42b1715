import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { Conflict, NotFound, ValidationFailed } from '@coinops/contracts';
import type { ErrorDetail } from '@coinops/contracts';
import type { RiskKeys } from '../features/redis-keys';
import type { AfterCommitHooks } from '../shared/after-commit';
import { RISK_ACTIONS, RISK_SEVERITIES, Rule, RULE_EVENT_KINDS, RuleDraft, RuleVersion } from '../types';
import { compileExpression, CompiledExpression } from './expression';

/** At most this many rules are live at once: evaluation cost grows with them. */
export const MAX_LIVE_RULES = 500;
const MAX_VERSIONS_LISTED = 1_000;
const RULE_KEY = /^[a-z][a-z0-9_]{0,62}$/;

export interface LiveRule extends RuleVersion {
  compiled: CompiledExpression;
}

interface VersionRow {
  rule_id: string;
  key: string;
  version: number;
  name: string;
  event_kind: RuleVersion['eventKind'];
  expression: string;
  action: RuleVersion['action'];
  score: number;
  severity: RuleVersion['severity'];
  description: string;
  enabled: boolean;
  author: string;
  created_at: Date;
  live_version?: number;
  updated_at?: Date;
}

const VERSION_COLUMNS = `r.id AS rule_id, r.key, v.version, v.name, v.event_kind, v.expression, v.action, v.score, v.severity,
  v.description, v.enabled, v.author, v.created_at, r.live_version, r.updated_at`;

function toVersion(row: VersionRow): RuleVersion {
  return {
    ruleId: row.rule_id,
    key: row.key,
    version: Number(row.version),
    name: row.name,
    eventKind: row.event_kind,
    expression: row.expression,
    action: row.action,
    score: Number(row.score),
    severity: row.severity,
    description: row.description,
    enabled: row.enabled,
    author: row.author,
    createdAt: new Date(row.created_at),
  };
}

function toRule(row: VersionRow): Rule {
  return { ...toVersion(row), liveVersion: Number(row.live_version), updatedAt: new Date(row.updated_at as Date) };
}

/** Checks a draft; the expression error carries its position (InvalidExpression). */
export function validateDraft(draft: RuleDraft): void {
  const problems: ErrorDetail[] = [];
  if (typeof draft?.name !== 'string' || draft.name.trim().length < 1 || draft.name.length > 200) problems.push({ field: 'name', message: 'must be 1-200 characters' });
  if (draft?.eventKind !== undefined && !RULE_EVENT_KINDS.includes(draft.eventKind)) problems.push({ field: 'event_kind', message: `must be one of ${RULE_EVENT_KINDS.join(', ')}` });
  if (!RISK_ACTIONS.includes(draft?.action)) problems.push({ field: 'action', message: `must be one of ${RISK_ACTIONS.join(', ')}` });
  if (!Number.isInteger(draft?.score) || draft.score < 0 || draft.score > 100) problems.push({ field: 'score', message: 'must be an integer from 0 to 100' });
  if (!RISK_SEVERITIES.includes(draft?.severity)) problems.push({ field: 'severity', message: `must be one of ${RISK_SEVERITIES.join(', ')}` });
  if (draft?.description !== undefined && (typeof draft.description !== 'string' || draft.description.length > 2000)) problems.push({ field: 'description', message: 'must be at most 2000 characters' });
  if (problems.length) throw new ValidationFailed(problems);
  compileExpression(draft.expression);
}

function checkAuthor(author: string): void {
  if (typeof author !== 'string' || author.length < 1 || author.length > 200) throw ValidationFailed.field('author', 'must be 1-200 characters');
}

/**
 * Versioned rules. A save appends an immutable version and makes it the live one, in one
 * transaction; evaluators keep compiled live rules in memory, keyed by version, and reload when
 * the rules token in Redis changes.
 */
export class RuleStore {
  private cache: { token: string; rules: LiveRule[] } | null = null;
  private compiled = new Map<string, CompiledExpression>();

  constructor(
    private readonly db: DataSource,
    private readonly redis: Redis,
    private readonly keys: RiskKeys,
    private readonly afterCommit: AfterCommitHooks,
  ) {}

  async create(key: string, draft: RuleDraft, author: string, manager?: EntityManager): Promise<Rule> {
    if (typeof key !== 'string' || !RULE_KEY.test(key)) throw ValidationFailed.field('key', 'must be a lower-case identifier (a-z, 0-9, _), at most 63 characters');
    validateDraft(draft);
    checkAuthor(author);
    const ruleId = await this.inTransaction(manager, async (m) => {
      const [rule] = await m.query(`INSERT INTO rules (key, live_version) VALUES ($1, 1) ON CONFLICT (key) DO NOTHING RETURNING id`, [key]);
      if (!rule) throw new Conflict(`rule ${key} already exists`, undefined, { key });
      await this.insertVersion(m, rule.id, 1, draft, author);
      await this.afterCommit.run(manager ?? m, () => this.invalidate());
      return rule.id as string;
    });
    return this.get(ruleId, manager);
  }

  /** Saves a new version of a rule (by id or key) and makes it live; older versions stay as history. */
  async update(ruleIdOrKey: string, draft: RuleDraft, author: string, manager?: EntityManager): Promise<Rule> {
    validateDraft(draft);
    checkAuthor(author);
    const ruleId = await this.inTransaction(manager, async (m) => {
      const [rule] = await m.query(`SELECT id, live_version FROM rules WHERE ${this.idOrKey(ruleIdOrKey)} FOR UPDATE`, [ruleIdOrKey]);
      if (!rule) throw new NotFound('rule', ruleIdOrKey);
      const [{ next }] = await m.query(`SELECT max(version) + 1 AS next FROM rule_versions WHERE rule_id = $1`, [rule.id]);
      await this.insertVersion(m, rule.id, Number(next), draft, author);
      await m.query(`UPDATE rules SET live_version = $2, updated_at = now() WHERE id = $1`, [rule.id, Number(next)]);
      await this.afterCommit.run(manager ?? m, () => this.invalidate());
      return rule.id as string;
    });
    return this.get(ruleId, manager);
  }

  async get(ruleIdOrKey: string, manager?: EntityManager): Promise<Rule> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT ${VERSION_COLUMNS} FROM rules r JOIN rule_versions v ON v.rule_id = r.id AND v.version = r.live_version
        WHERE ${this.idOrKey(ruleIdOrKey, 'r.')}`,
      [ruleIdOrKey],
    );
    if (!row) throw new NotFound('rule', ruleIdOrKey);
    return toRule(row);
  }

  /** Every rule with its live version, by key. */
  async list(manager?: EntityManager): Promise<Rule[]> {
    const rows: VersionRow[] = await (manager ?? this.db.manager).query(
      `SELECT ${VERSION_COLUMNS} FROM rules r JOIN rule_versions v ON v.rule_id = r.id AND v.version = r.live_version ORDER BY r.key LIMIT $1`,
      [MAX_LIVE_RULES],
    );
    return rows.map(toRule);
  }

  /** A rule's whole history, newest first. */
  async versions(ruleIdOrKey: string, manager?: EntityManager): Promise<RuleVersion[]> {
    const rows: VersionRow[] = await (manager ?? this.db.manager).query(
      `SELECT ${VERSION_COLUMNS} FROM rules r JOIN rule_versions v ON v.rule_id = r.id
        WHERE ${this.idOrKey(ruleIdOrKey, 'r.')} ORDER BY v.version DESC LIMIT $2`,
      [ruleIdOrKey, MAX_VERSIONS_LISTED],
    );
    if (!rows.length) throw new NotFound('rule', ruleIdOrKey);
    return rows.map(toVersion);
  }

  /** Compiled live rules; reloaded from PostgreSQL only when the token differs from the cached one. */
  async live(token: string): Promise<LiveRule[]> {
    if (this.cache && token !== '' && this.cache.token === token) return this.cache.rules;
    let current = token;
    if (current === '') {
      // Redis lost the token: whoever gets here first sets a new one, everyone reloads once.
      await this.redis.set(this.keys.rulesToken, randomUUID(), 'NX');
      current = (await this.redis.get(this.keys.rulesToken)) ?? '';
    }
    const rows: VersionRow[] = await this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM rules r JOIN rule_versions v ON v.rule_id = r.id AND v.version = r.live_version
        WHERE v.enabled ORDER BY r.key LIMIT $1`,
      [MAX_LIVE_RULES],
    );
    const compiled = new Map<string, CompiledExpression>();
    const rules = rows.map((row) => {
      const version = toVersion(row);
      const cacheKey = `${version.ruleId}:${version.version}`;
      // Versions are immutable, so a compiled version is valid for ever; only live ones are kept.
      const expression = this.compiled.get(cacheKey) ?? compileExpression(version.expression);
      compiled.set(cacheKey, expression);
      return { ...version, compiled: expression };
    });
    this.compiled = compiled;
    this.cache = { token: current, rules };
    return rules;
  }

  /** Tells every evaluator (all processes) to reload its rules. */
  async invalidate(): Promise<void> {
    this.cache = null;
    await this.redis.set(this.keys.rulesToken, randomUUID());
  }

  private idOrKey(value: string, alias = ''): string {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? `${alias}id = $1::uuid` : `${alias}key = $1`;
  }

  private async insertVersion(m: EntityManager, ruleId: string, version: number, draft: RuleDraft, author: string): Promise<void> {
    await m.query(
      `INSERT INTO rule_versions (rule_id, version, name, event_kind, expression, action, score, severity, description, enabled, author)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [ruleId, version, draft.name.trim(), draft.eventKind ?? 'recharge', draft.expression, draft.action, draft.score, draft.severity, draft.description ?? '', draft.enabled ?? true, author],
    );
  }

  private async inTransaction<T>(manager: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (manager?.queryRunner?.isTransactionActive) return work(manager);
    return this.db.transaction(work);
  }
}
