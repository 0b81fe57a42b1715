import { ValidationFailed } from '@coinops/contracts';
import { emptyContext } from '../features/catalog';
import { compileExpression, InvalidExpression } from './expression';

function problemOf(source: string): InvalidExpression {
  try {
    compileExpression(source);
  } catch (error) {
    if (error instanceof InvalidExpression) return error;
    throw error;
  }
  throw new Error(`expected ${source} to be refused`);
}

describe('rule expressions', () => {
  it('accepts a condition over catalog variables and lists the variables it reads', () => {
    const compiled = compileExpression('card.count_10m >= 5 && event.coins <= 100 || size(lists.block_hits) > 0');
    expect(compiled.references).toEqual(['card.count_10m', 'event.coins', 'lists.block_hits']);
  });

  it('evaluates integers as 64-bit CEL ints, exactly', () => {
    const context = emptyContext();
    context.event.amount_minor = 9_007_199_254_740_993n;
    expect(compileExpression('event.amount_minor > 9007199254740992').matches(context)).toBe(true);
  });

  it('names an unknown field and where it is', () => {
    const error = problemOf('event.coins > 1 &&\n  card.cnt_10m > 3');
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.problem).toContain('cnt_10m');
    expect(error.position).toEqual({ offset: 26, line: 2, column: 8 });
    expect(error.details?.[0]).toEqual({ field: 'expression', message: expect.stringContaining('line 2, column 8') });
  });

  it('names a syntax error at the end of an unfinished expression', () => {
    const error = problemOf('card.count_1h >');
    expect(error.problem).toMatch(/unexpected/i);
    expect(error.position.offset).toBe(15);
  });

  it('refuses a comparison between an int and a string', () => {
    expect(problemOf('card.count_1h > "3"').problem).toMatch(/no such overload/);
  });

  it('refuses an unknown namespace', () => {
    const error = problemOf('account.age > 3');
    expect(error.problem).toMatch(/account/);
    expect(error.position.column).toBe(1);
  });

  it('refuses an expression that is not a condition', () => {
    expect(problemOf('event.coins + 1').problem).toMatch(/must be a condition/);
  });

  it('refuses an empty or oversized expression', () => {
    expect(problemOf('  ').problem).toMatch(/empty/);
    expect(problemOf(`event.coins > 1 ${'|| event.coins > 1 '.repeat(300)}`).problem).toMatch(/longer than/);
  });

  it('has no way out of the sandbox: host functions are unknown', () => {
    expect(problemOf('process.exit(1) == null').problem).toMatch(/process/);
  });
});
