import { Environment } from '@marcbachmann/cel-js';
import { ValidationFailed } from '@coinops/contracts';
import { CATALOG, FeatureContext, NAMESPACES } from '../features/catalog';

/**
 * Rule expressions are CEL (cel.dev), run by @marcbachmann/cel-js: no eval, no host access, no
 * loops, bounded size. Variables are exactly the feature catalog, so an unknown field or a type
 * mismatch is refused when the rule is saved, with its position.
 */

export const EXPRESSION_MAX_LENGTH = 4000;

const environment = (() => {
  const env = new Environment({
    limits: { maxAstNodes: 1000, maxDepth: 64, maxListElements: 1000, maxMapEntries: 100, maxCallArguments: 16 },
  });
  for (const ns of NAMESPACES) env.registerVariable({ name: ns, schema: { ...CATALOG[ns] } });
  return env;
})();

/** Where in the expression a problem is: 0-based offset, 1-based line and column. */
export interface ExpressionPosition {
  offset: number;
  line: number;
  column: number;
}

/** A rule expression that does not parse, names an unknown variable, or is not a condition. */
export class InvalidExpression extends ValidationFailed {
  constructor(
    readonly problem: string,
    readonly position: ExpressionPosition,
  ) {
    super([{ field: 'expression', message: `${problem} (line ${position.line}, column ${position.column})` }]);
  }
}

export interface CompiledExpression {
  source: string;
  /** `namespace.field` paths the expression reads, in order of first use. */
  references: string[];
  /** True when the expression holds; throws when it fails at run time (e.g. integer overflow). */
  matches(context: FeatureContext): boolean;
}

function positionOf(source: string, offset: number): ExpressionPosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  const before = source.slice(0, clamped);
  const line = before.split('\n').length;
  const column = clamped - (before.lastIndexOf('\n') + 1) + 1;
  return { offset: clamped, line, column };
}

interface CelErrorLike {
  message?: string;
  range?: { start: number };
  node?: { range?: { start: number }; pos?: number };
}

function invalid(source: string, error: CelErrorLike): InvalidExpression {
  // The library appends a code frame after the first line; the position is reported separately.
  const problem = String(error.message ?? 'invalid expression').split('\n')[0].trim();
  const offset = error.range?.start ?? error.node?.range?.start ?? error.node?.pos ?? 0;
  return new InvalidExpression(problem, positionOf(source, offset));
}

interface AstLike {
  op: string;
  args: unknown;
}

function isNode(value: unknown): value is AstLike {
  return typeof value === 'object' && value !== null && typeof (value as AstLike).op === 'string';
}

/** Collects `namespace.field` references (macro variables such as `x` in `exists(x, ...)` are not namespaces). */
function collectReferences(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectReferences(child, into);
    return;
  }
  if (!isNode(node)) return;
  if ((node.op === '.' || node.op === '.?') && Array.isArray(node.args)) {
    const [target, field] = node.args as [unknown, unknown];
    if (isNode(target) && target.op === 'id' && typeof field === 'string' && NAMESPACES.includes(target.args as never)) {
      into.add(`${target.args as string}.${field}`);
      return;
    }
  }
  if (node.op === 'id' && typeof node.args === 'string' && NAMESPACES.includes(node.args as never)) {
    into.add(node.args);
    return;
  }
  if (Array.isArray(node.args)) collectReferences(node.args, into);
  else if (isNode(node.args)) collectReferences(node.args, into);
}

/** Parses and type-checks an expression; throws InvalidExpression naming the problem and its position. */
export function compileExpression(source: string): CompiledExpression {
  if (typeof source !== 'string' || source.trim().length === 0) {
    throw new InvalidExpression('the expression is empty', positionOf('', 0));
  }
  if (source.length > EXPRESSION_MAX_LENGTH) {
    throw new InvalidExpression(`the expression is longer than ${EXPRESSION_MAX_LENGTH} characters`, positionOf(source, EXPRESSION_MAX_LENGTH));
  }
  let parsed: ReturnType<typeof environment.parse>;
  try {
    parsed = environment.parse(source);
  } catch (error) {
    throw invalid(source, error as CelErrorLike);
  }
  const checked = parsed.check() as { valid: boolean; type?: string; error?: CelErrorLike };
  if (!checked.valid) throw invalid(source, checked.error ?? {});
  if (checked.type !== 'bool') {
    throw new InvalidExpression(`the expression must be a condition (bool), not ${checked.type}`, positionOf(source, 0));
  }
  const references = new Set<string>();
  collectReferences(parsed.ast, references);
  return {
    source,
    references: [...references],
    matches: (context) => parsed(context as unknown as Record<string, unknown>) === true,
  };
}

/** Validation without keeping the result: what the API calls before saving a rule. */
export function validateExpression(source: string): { references: string[] } {
  return { references: compileExpression(source).references };
}
