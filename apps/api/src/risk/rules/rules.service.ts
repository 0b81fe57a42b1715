import { recordAudit, type Actor } from '@coinops/access';
import { IllegalTransition, NotFound } from '@coinops/contracts';
import type { ListQuery } from '@coinops/db';
import { RiskEngine, type RuleDraft, type RuleVersion } from '@coinops/risk';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { rawPage } from '../listing';
import { iso, withExpressionErrors } from '../wire';
import { toDraft, type BacktestDto, type CreateRuleDto, type NewRuleVersionDto } from './rules.dto';
import { RULES_LIST, rulesQuery, toRuleDto, type RuleDto, type RuleRow } from './rules-list';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a version says, for the audit row's before and after. */
function content(rule: RuleDto) {
  const { live_version: version, name, event_kind, expression, action, score, severity, description, enabled } = rule;
  return { version, name, event_kind, expression, action, score, severity, description, enabled };
}

function versionDto(version: RuleVersion) {
  return {
    id: `${version.ruleId}:${version.version}`,
    rule_id: version.ruleId,
    key: version.key,
    version: version.version,
    name: version.name,
    event_kind: version.eventKind,
    expression: version.expression,
    action: version.action,
    score: version.score,
    severity: version.severity,
    description: version.description,
    enabled: version.enabled,
    author: version.author,
    created_at: iso(version.createdAt),
  };
}

function sameContent(rule: RuleDto, draft: RuleDraft): boolean {
  return (
    rule.name === draft.name.trim() &&
    rule.event_kind === draft.eventKind &&
    rule.expression === draft.expression &&
    rule.action === draft.action &&
    rule.score === draft.score &&
    rule.severity === draft.severity &&
    rule.description === (draft.description ?? '') &&
    rule.enabled === draft.enabled
  );
}

/** Who wrote a version: the operator's email reads well in the history; the audit row keeps the id. */
const authorOf = (actor: Actor) => actor.email ?? actor.operatorId ?? 'system';

/**
 * Rules over HTTP: each write is one transaction holding the engine's new version and its audit
 * row. The engine (libs/risk) validates drafts and expressions; reads for the console's lists are
 * plain SQL over its tables.
 */
@Injectable()
export class RulesService {
  constructor(
    private readonly engine: RiskEngine,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  list(list: ListQuery) {
    return rawPage(rulesQuery(this.dataSource), list, RULES_LIST, toRuleDto);
  }

  async get(idOrKey: string, manager: EntityManager = this.dataSource.manager): Promise<RuleDto> {
    const qb = rulesQuery(manager);
    const row = await (UUID.test(idOrKey) ? qb.where('r.id = :id', { id: idOrKey }) : qb.where('r.key = :key', { key: idOrKey })).getRawOne<RuleRow>();
    if (!row) throw new NotFound('rule', idOrKey);
    return toRuleDto(row);
  }

  async versions(idOrKey: string) {
    const versions = await this.engine.listRuleVersions(idOrKey);
    return versions.map(versionDto);
  }

  create(actor: Actor, dto: CreateRuleDto): Promise<RuleDto> {
    return withExpressionErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const rule = await this.engine.createRule(dto.key, toDraft(dto), authorOf(actor), { manager });
        const after = await this.get(rule.ruleId, manager);
        await recordAudit(manager, actor, { action: 'rule.created', entity: 'rule', entityId: after.id, after: { key: after.key, ...content(after) } });
        return after;
      }),
    );
  }

  /** Saves a new live version: the live one with the given fields changed. Nothing changed, nothing saved. */
  newVersion(actor: Actor, idOrKey: string, dto: NewRuleVersionDto): Promise<RuleDto> {
    const { reason, ...changes } = dto;
    return this.saveVersion(actor, idOrKey, changes, 'rule.versioned', reason ?? null);
  }

  /** Disabling or enabling is a version too, so the history says who switched a rule off and why. */
  setEnabled(actor: Actor, idOrKey: string, enabled: boolean, reason: string): Promise<RuleDto> {
    return this.saveVersion(actor, idOrKey, { enabled }, enabled ? 'rule.enabled' : 'rule.disabled', reason, true);
  }

  validate(expression: string) {
    return withExpressionErrors(() => ({ valid: true, references: this.engine.validateExpression(expression).references }));
  }

  async backtest(dto: BacktestDto) {
    const result = await withExpressionErrors(() =>
      this.engine.backtest({ expression: dto.expression, from: new Date(dto.from), to: new Date(dto.to), eventKind: dto.event_kind }),
    );
    return {
      expression: dto.expression,
      event_kind: dto.event_kind ?? 'recharge',
      from: iso(dto.from),
      to: iso(dto.to),
      evaluated: result.evaluated,
      hits: result.hits,
      hit_rate: result.hitRate,
      positives: result.positives,
      true_positives: result.truePositives,
      precision: result.precision,
      recall: result.recall,
      errors: result.errors,
      truncated: result.truncated,
      sample_hits: result.sampleHits,
    };
  }

  private saveVersion(actor: Actor, idOrKey: string, changes: Partial<NewRuleVersionDto>, action: string, reason: string | null, mustChange = false): Promise<RuleDto> {
    return withExpressionErrors(() =>
      this.dataSource.transaction(async (manager) => {
        // Lock first, so `before` is the version this one replaces even when two editors save at once.
        const [locked] = await manager.query(`SELECT id FROM rules WHERE ${UUID.test(idOrKey) ? 'id = $1::uuid' : 'key = $1'} FOR UPDATE`, [idOrKey]);
        if (!locked) throw new NotFound('rule', idOrKey);
        const before = await this.get(locked.id, manager);
        const draft: RuleDraft = {
          name: changes.name ?? before.name,
          eventKind: (changes.event_kind ?? before.event_kind) as RuleDraft['eventKind'],
          expression: changes.expression ?? before.expression,
          action: (changes.action ?? before.action) as RuleDraft['action'],
          score: changes.score ?? before.score,
          severity: (changes.severity ?? before.severity) as RuleDraft['severity'],
          description: changes.description ?? before.description,
          enabled: changes.enabled ?? before.enabled,
        };
        if (sameContent(before, draft)) {
          if (mustChange) throw new IllegalTransition('rule', before.key, before.enabled ? 'enabled' : 'disabled', before.enabled ? 'enable' : 'disable');
          return before;
        }
        await this.engine.updateRule(before.id, draft, authorOf(actor), { manager });
        const after = await this.get(before.id, manager);
        await recordAudit(manager, actor, { action, entity: 'rule', entityId: after.id, before: content(before), after: content(after), reason });
        return after;
      }),
    );
  }
}
