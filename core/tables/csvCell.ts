import { decimalPattern } from './tableNumber';

/**
 * Text a spreadsheet may run as a formula: a cell starting with `=`, `+`, `-` or `@`, or with a
 * tab or carriage return (which some applications skip before reading the rest). Leading
 * apostrophes are looked through, so that an apostrophe the writer adds can always be told from
 * one the text had (see `escapeCsvFormula`).
 */
const formulaStart = /^'*[=+\-@\t\r]/;

/**
 * Guards one cell against formula injection (CSV injection; OWASP "CSV Injection"): a cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which
 * spreadsheets show as text and never evaluate (`=HYPERLINK(…)` → `'=HYPERLINK(…)`,
 * `-1+cmd|' /C calc'!A0` → `'-1+cmd|…`). Exempt: a plain decimal number (`-12.5`, `+3`, `-1e-3`,
 * `decimalPattern`), which is data, not a formula, and must stay a number for R, pandas and
 * spreadsheets. So that `unescapeCsvFormula` undoes exactly this, text that already starts with
 * apostrophes followed by one of those characters gets one more apostrophe
 * (`'=x` → `''=x`); any other text is unchanged.
 * @param text a cell's text, before RFC 4180 quoting
 */
export function escapeCsvFormula(text: string): string {
  return formulaStart.test(text) && !decimalPattern.test(text) ? `'${text}` : text;
}

/**
 * Undoes `escapeCsvFormula`: a cell that starts with apostrophes followed by `=`, `+`, `-`, `@`,
 * a tab or a carriage return loses its first apostrophe; any other cell is unchanged. For every
 * text t, `unescapeCsvFormula(escapeCsvFormula(t)) === t`.
 * @param cell a cell as the app's CSV export wrote it (after RFC 4180 unquoting)
 */
export function unescapeCsvFormula(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell) ? cell.slice(1) : cell;
}

/**
 * One cell of a CSV file the app writes: `escapeCsvFormula`, then RFC 4180 quoting (in double
 * quotes, a quote written twice, when the text holds a comma, a quote or a line break). Every CSV
 * writer of the app goes through here.
 * @param value the cell's value; numbers are written with `String` (finite numbers only)
 * @throws RangeError for a non-finite number (a programmer error: exports write NE instead)
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`a CSV cell cannot hold ${value}`);
  const s = escapeCsvFormula(String(value));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
