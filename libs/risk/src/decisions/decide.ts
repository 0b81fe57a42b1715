import { encodeValue, FeatureContext, valueAt } from '../features/catalog';
import type { LiveRule } from '../rules/rule-store';
import { ListHit, RiskAction, RiskDecision, RiskReason, SubjectType } from '../types';

const SEVERITY_OF_ACTION: Record<RiskAction, number> = { block: 3, review: 2, allow: 1 };

export type Verdict = Pick<RiskDecision, 'decision' | 'score' | 'reasons' | 'allowedBy' | 'ruleErrors'>;

/**
 * Runs every live rule that applies to the event kind and combines the matches: the most severe
 * action wins (block, then review). An allow-list entry or a matching `allow` rule turns `review`
 * into `allow`; nothing turns `block` into anything else, so an allow entry never overrides a
 * block-list hit or the under-18 rule.
 */
export function decide(rules: LiveRule[], context: FeatureContext, eventKind: SubjectType, listHits: ListHit[]): Verdict {
  const reasons: RiskReason[] = [];
  const ruleErrors: Verdict['ruleErrors'] = [];
  for (const rule of rules) {
    if (rule.eventKind !== 'any' && rule.eventKind !== eventKind) continue;
    let matched: boolean;
    try {
      matched = rule.compiled.matches(context);
    } catch (error) {
      // A rule that fails at run time (e.g. integer overflow) does not match; the failure is reported.
      ruleErrors.push({ ruleKey: rule.key, version: rule.version, message: String((error as Error).message).split('\n')[0] });
      continue;
    }
    if (!matched) continue;
    const values: RiskReason['values'] = {};
    for (const path of rule.compiled.references) values[path] = encodeValue(valueAt(context, path));
    reasons.push({
      ruleId: rule.ruleId,
      ruleKey: rule.key,
      ruleName: rule.name,
      version: rule.version,
      action: rule.action,
      score: rule.score,
      severity: rule.severity,
      description: rule.description,
      values,
    });
  }
  reasons.sort((a, b) => SEVERITY_OF_ACTION[b.action] - SEVERITY_OF_ACTION[a.action] || b.score - a.score || a.ruleKey.localeCompare(b.ruleKey));

  const score = Math.min(100, reasons.reduce((sum, r) => sum + r.score, 0));
  const has = (action: RiskAction) => reasons.some((r) => r.action === action);
  if (has('block')) return { decision: 'block', score, reasons, allowedBy: null, ruleErrors };
  if (!has('review')) return { decision: 'allow', score, reasons, allowedBy: null, ruleErrors };

  const allowHits = listHits.filter((hit) => hit.list === 'allow');
  const allowRules = reasons.filter((r) => r.action === 'allow').map((r) => r.ruleKey);
  if (allowHits.length || allowRules.length) {
    return { decision: 'allow', score, reasons, allowedBy: { lists: allowHits, ruleKeys: allowRules }, ruleErrors };
  }
  return { decision: 'review', score, reasons, allowedBy: null, ruleErrors };
}
