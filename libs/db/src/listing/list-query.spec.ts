import { ValidationFailed } from '@coinops/contracts';
import { DataSource, EntitySchema } from 'typeorm';
import { applyListQuery, contentRange, parseListQuery, type ListSpec } from './list-query';

const spec: ListSpec = {
  resource: 'things',
  sortable: { id: 't.id', created_at: 't.created_at', name: 't.name' },
  filters: {
    id: { column: 't.id', type: 'uuid' },
    state: { column: 't.state', type: 'enum', values: ['open', 'closed'] },
    amount_gte: { column: 't.amount', type: 'bigint', op: 'gte' },
    name: { column: 't.name', type: 'text', op: 'ilike' },
  },
  search: ['t.id', 't.name'],
  defaultSort: ['created_at', 'DESC'],
  idColumn: 't.id',
};

const details = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).details;
  }
  throw new Error('expected ValidationFailed');
};

describe('the simple-rest list contract', () => {
  it('reads filter, range and sort, with defaults when absent', () => {
    expect(parseListQuery({}, spec)).toEqual({ filter: {}, offset: 0, limit: 25, sort: ['created_at', 'DESC'] });
    expect(parseListQuery({ filter: '{"state":"open","q":"bob"}', range: '[10,19]', sort: '["name","asc"]' }, spec)).toEqual({
      filter: { state: 'open', q: 'bob' },
      offset: 10,
      limit: 10,
      sort: ['name', 'ASC'],
    });
  });

  it('names every problem at once', () => {
    const problems = details(() => parseListQuery({ filter: '{"nope":1,"state":"weird"}', range: '[5,1]', sort: '["secret","ASC"]' }, spec));
    expect(problems?.map((d) => d.field)).toEqual(['filter.nope', 'filter.state', 'range', 'sort']);
  });

  it('refuses a query parameter given twice (an array) rather than picking one', () => {
    expect(details(() => parseListQuery({ sort: ['["name","ASC"]', '["id","ASC"]'] }, spec))).toEqual([{ field: 'sort', message: 'must be given once, as JSON' }]);
  });

  it('binds every value and breaks sort ties by id so pages are stable', async () => {
    const Thing = new EntitySchema<{ id: string; state: string; name: string; amount: string; created_at: Date }>({
      name: 'things',
      columns: { id: { type: 'uuid', primary: true }, state: { type: 'text' }, name: { type: 'text' }, amount: { type: 'bigint' }, created_at: { type: 'timestamptz' } },
    });
    const dataSource = new DataSource({ type: 'postgres', entities: [Thing] });
    // Metadata without a connection: enough to render SQL.
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    const qb = dataSource.getRepository(Thing).createQueryBuilder('t');
    const list = parseListQuery({ filter: '{"state":["open","closed"],"name":"50%_off","amount_gte":"100"}', sort: '["created_at","ASC"]' }, spec);
    const [sql, parameters] = applyListQuery(qb, list, spec).getQueryAndParameters();
    expect(sql).toMatch(/"t"\."state" IN \(\$1, \$2\)/);
    expect(sql).toMatch(/ORDER BY "t"\."created_at" ASC NULLS FIRST, "t"\."id" ASC/);
    expect(parameters).toEqual(['open', 'closed', '%50\\%\\_off%', '100']);
  });

  it('writes Content-Range for full and empty pages', () => {
    const list = parseListQuery({ range: '[0,9]' }, spec);
    expect(contentRange('things', list, 10, 42)).toBe('things 0-9/42');
    expect(contentRange('things', list, 0, 0)).toBe('things */0');
  });
});
