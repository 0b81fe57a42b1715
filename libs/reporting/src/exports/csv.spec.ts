import { PassThrough } from 'node:stream';
import { csvCell, csvLine } from './csv';
import { openCsvExport } from './stream-csv';

describe('CSV cells', () => {
  it('prefixes a cell a spreadsheet would run as a formula with a quote', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('leaves plain numbers, negative amounts included, as numbers', () => {
    expect(csvCell('-150')).toBe('-150');
    expect(csvCell('12.5')).toBe('12.5');
    expect(csvCell(42)).toBe('42');
  });

  it('quotes commas, quotes and line breaks, and writes nothing for null', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, undefined, { k: 1 }])).toBe('"a,b","say ""hi""","two\nlines",,,"{""k"":1}"\r\n');
  });
});

describe('a streamed export', () => {
  const rows = Array.from({ length: 25 }, (_, i) => ({ id: String(i), note: i === 3 ? '=cmd' : `row ${i}` }));
  const reader = (calls: number[]) => async (offset: number, limit: number) => {
    calls.push(offset);
    return { rows: rows.slice(offset, offset + limit), total: rows.length };
  };

  it('writes the header then every row, reading one batch at a time', async () => {
    const calls: number[] = [];
    const csv = await openCsvExport(reader(calls), { batchRows: 10 });
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    expect(await csv.write(out)).toBe(25);
    const lines = chunks.join('').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,note');
    expect(lines).toHaveLength(26);
    expect(lines[4]).toBe("3,'=cmd");
    expect(calls).toEqual([0, 10, 20]);
  });

  it('refuses, before writing anything, an export past the row limit', async () => {
    await expect(openCsvExport(reader([]), { batchRows: 10, maxRows: 20 })).rejects.toMatchObject({
      statusCode: 400,
      details: [{ field: 'filter', message: 'matches 25 rows; an export is at most 20: narrow the filter' }],
    });
  });
});
