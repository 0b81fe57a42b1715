/**
 * CSV (RFC 4180) that a spreadsheet opens safely: every cell quoted when it must be, and any cell a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) prefixed
 * with a single quote (OWASP, "CSV Injection"). A plain number (`-150`, `12.5`) is data, not a formula,
 * and is left as it is so amounts stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
