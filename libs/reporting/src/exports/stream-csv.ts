import { ValidationFailed } from '@coinops/contracts';
import type { Writable } from 'node:stream';
import { csvLine } from './csv';

/**
 * Rows read per query while streaming: memory stays at one batch whatever the export's size. Each batch
 * re-runs the list's own query (with its count), so fewer, larger batches cost less: 5,000 rows is a few MB.
 */
export const EXPORT_BATCH_ROWS = 5_000;
/** An export is refused (400, before anything is sent) past this many rows: narrow the filter. */
export const EXPORT_MAX_ROWS = 100_000;

export type PageReader<Row> = (offset: number, limit: number) => Promise<{ rows: Row[]; total: number }>;

/**
 * Reads the first batch and checks the total before a byte is written, so a refused export is a clean
 * 400; `write` then streams the rows batch by batch with the header first.
 */
export async function openCsvExport<Row extends object>(
  readPage: PageReader<Row>,
  options: { columns?: readonly string[]; maxRows?: number; batchRows?: number } = {},
): Promise<{ total: number; write(out: Writable): Promise<number> }> {
  const batchRows = options.batchRows ?? EXPORT_BATCH_ROWS;
  const maxRows = options.maxRows ?? EXPORT_MAX_ROWS;
  const first = await readPage(0, batchRows);
  if (first.total > maxRows) {
    throw ValidationFailed.field('filter', `matches ${first.total} rows; an export is at most ${maxRows}: narrow the filter`);
  }
  async function* batches(): AsyncIterable<Row[]> {
    let page = first.rows;
    // Bounded: ends at the total announced, at the first short page, or at maxRows, whichever comes first.
    for (let offset = 0; page.length > 0 && offset < maxRows; ) {
      yield page;
      offset += page.length;
      if (page.length < batchRows || offset >= first.total) return;
      page = (await readPage(offset, batchRows)).rows;
    }
  }
  return {
    total: first.total,
    write: (out) => writeCsv(out, options.columns ?? (first.rows[0] ? Object.keys(first.rows[0]) : []), batches()),
  };
}

/** Streams a header and then each batch of rows (the named columns of each), with backpressure; returns the rows written. */
export async function writeCsv<Row extends object>(out: Writable, columns: readonly string[], batches: AsyncIterable<Row[]>): Promise<number> {
  await send(out, csvLine(columns));
  let written = 0;
  for await (const batch of batches) {
    await send(out, batch.map((row) => csvLine(columns.map((c) => (row as Record<string, unknown>)[c]))).join(''));
    written += batch.length;
  }
  return written;
}

/** Writes with backpressure: waits for `drain` when the socket's buffer is full. */
function send(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the client went away'));
  return out.write(chunk) ? Promise.resolve() : new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the client went away'));
    };
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}
