import { DomainError, type ErrorDetail } from '@coinops/contracts';
import { InvalidExpression, type ExpressionPosition, type RiskDecision, type RiskReason } from '@coinops/risk';

/** Field names on the wire are snake_case (DESIGN §7); the engine's TypeScript names are camelCase. */

export const iso = (value: Date | string | null | undefined): string | null => (value === null || value === undefined ? null : new Date(value).toISOString());

export function reasonDto(reason: RiskReason) {
  return {
    rule_id: reason.ruleId,
    rule_key: reason.ruleKey,
    rule_name: reason.ruleName,
    version: reason.version,
    action: reason.action,
    score: reason.score,
    severity: reason.severity,
    description: reason.description,
    values: reason.values,
  };
}

export function allowedByDto(allowedBy: RiskDecision['allowedBy']) {
  return allowedBy ? { lists: allowedBy.lists, rule_keys: allowedBy.ruleKeys } : null;
}

export function ruleErrorsDto(errors: RiskDecision['ruleErrors']) {
  return errors.map((e) => ({ rule_key: e.ruleKey, version: e.version, message: e.message }));
}

/** `{decision, score, reasons}` and what turned a review into an allow, if anything did. */
export function decisionDto(decision: RiskDecision) {
  return {
    decision: decision.decision,
    score: decision.score,
    reasons: decision.reasons.map(reasonDto),
    allowed_by: allowedByDto(decision.allowedBy),
    rule_errors: ruleErrorsDto(decision.ruleErrors),
    evaluated_at: decision.evaluatedAt.toISOString(),
  };
}

/**
 * A rule expression refused on save, validation or backtest: the 400 body keeps the usual
 * `details: [{field: 'expression', message: '<problem> (line L, column C)'}]` and adds the problem
 * and its position, so an editor can put the cursor there.
 */
export class ExpressionRejected extends DomainError {
  readonly statusCode = 400;
  constructor(error: InvalidExpression) {
    const details: ErrorDetail[] = error.details ?? [{ field: 'expression', message: error.problem }];
    super(error.message, details, { problem: error.problem, position: error.position satisfies ExpressionPosition });
  }
}

/** Runs `work`, turning the engine's InvalidExpression into a positioned 400. */
export async function withExpressionErrors<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidExpression) throw new ExpressionRejected(error);
    throw error;
  }
}
