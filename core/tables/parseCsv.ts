import { InputDataError } from '../agreement/inputDataError';
import { excerpt, excerptList } from './excerpt';
import { maxCellChars, maxColumns, maxExcerptChars } from './tableLimits';

/** One record of a CSV file: its fields, and the 1-based line of the file it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV file with a header line: column names and the data records (each as long as the header). */
export interface CsvTable {
  /** Column names as written in the header (not trimmed). */
  columns: string[];
  rows: CsvRecord[];
}

/** What ends an unquoted field (or makes it an error): a comma, a line break, a quote. */
const delimiter = /[,\r\n"]/g;

/**
 * Parses CSV text as RFC 4180 defines it (Shafranovich Y. Common Format and MIME Type for
 * Comma-Separated Values (CSV) Files. RFC 4180, 2005), the format `toLongCsv` writes:
 * - fields are separated by commas and records by line breaks: CRLF as the RFC says, and also
 *   LF or a lone CR (files edited on other systems); the last record's line break is optional;
 * - a field enclosed in double quotes may hold commas, line breaks and quotes, a quote written
 *   twice (`"a ""b"", c"` → `a "b", c`); a quoted field's line breaks are kept as they are;
 * - fields are not trimmed: spaces are part of a field (RFC 4180 §2.4);
 * - a UTF-8 byte order mark at the start (spreadsheet exports) is dropped, and empty lines
 *   (no characters at all) are skipped, as spreadsheets append them.
 * Records may have different numbers of fields here; `parseCsvTable` requires the header's.
 * Bounded: a field longer than `maxCellChars` (4,096) or a record of more than `maxColumns`
 * (1,000) fields is refused as soon as it is seen, so a file that is one huge line costs no
 * more than reading it; messages quote at most an excerpt of the text.
 * @param text the whole file as a string
 * @throws InputDataError (with the line) for a quote inside an unquoted field, a character
 *   after a closing quote other than a comma or a line break, a quoted field left open at
 *   the end of the text, a field longer than `maxCellChars`, or too many fields
 * @returns the records in file order; [] for empty text
 */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = s.length;
  const tooLong = (field: number, start: number, at: number): never => {
    throw new InputDataError(
      `line ${at}, column ${field}: a cell longer than ${maxCellChars} characters: ${excerpt(s.slice(start, start + maxExcerptChars + 1), maxExcerptChars, false)}`,
      at,
    );
  };
  while (i < n) {
    const recordLine = line;
    // An empty line: skip it (and do not count it as a record).
    if (s[i] === '\r' || s[i] === '\n') {
      i += s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      if (fields.length === maxColumns) {
        throw new InputDataError(`line ${recordLine}: more than ${maxColumns} fields in one record`, recordLine);
      }
      let field: string;
      if (s[i] === '"') {
        const openedOn = line;
        const parts: string[] = [];
        let length = 0;
        const start = ++i;
        for (;;) {
          const close = s.indexOf('"', i);
          const end = close < 0 ? n : close;
          // Count the line breaks the quoted text spans (CRLF once).
          for (let j = i; j < end; j++) {
            const c = s.charCodeAt(j);
            if (c === 10 || (c === 13 && s.charCodeAt(j + 1) !== 10)) line++;
          }
          length += end - i;
          if (length > maxCellChars) tooLong(fields.length + 1, start, openedOn);
          parts.push(s.slice(i, end));
          if (close < 0)
            throw new InputDataError(
              `line ${openedOn}: a quoted field is not closed before the end of the file`,
              openedOn,
            );
          if (s[close + 1] === '"') {
            parts.push('"');
            length++;
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        field = parts.join('');
        if (i < n && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
          throw new InputDataError(
            `line ${line}: unexpected ${excerpt(s[i]!)} after the closing quote of field ${fields.length + 1} (a quote inside a quoted field is written twice: "")`,
            line,
          );
        }
      } else {
        const start = i;
        delimiter.lastIndex = i;
        const found = delimiter.exec(s);
        const end = found === null ? n : found.index;
        if (end - start > maxCellChars) tooLong(fields.length + 1, start, line);
        if (found !== null && found[0] === '"') {
          let cellEnd = end;
          while (
            cellEnd < n &&
            cellEnd - start <= maxCellChars &&
            s[cellEnd] !== ',' &&
            s[cellEnd] !== '\r' &&
            s[cellEnd] !== '\n'
          )
            cellEnd++;
          throw new InputDataError(
            `line ${line}: field ${fields.length + 1} (${excerpt(s.slice(start, cellEnd))}) has a quote but does not start with one; enclose the field in quotes and write the quote twice`,
            line,
          );
        }
        i = end;
        field = s.slice(start, i);
      }
      fields.push(field);
      if (i < n && s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    records.push({ line: recordLine, fields });
    if (i < n) {
      i += s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
    }
  }
  return records;
}

/**
 * `parseCsv` of a file whose first record is a header naming the columns; every data record
 * must have as many fields as the header (RFC 4180 §2.4).
 * @throws InputDataError for CSV syntax errors (see `parseCsv`), an empty file, a header with
 *   an empty or repeated column name (compared trimmed and case-insensitively), or a record
 *   with a different number of fields than the header (naming its line)
 */
export function parseCsvTable(text: string): CsvTable {
  const records = parseCsv(text);
  const header = records[0];
  if (header === undefined) throw new InputDataError('the file is empty: expected a header line with the column names');
  const seen = new Set<string>();
  header.fields.forEach((name, j) => {
    const key = name.trim().toLowerCase();
    if (key === '')
      throw new InputDataError(`line ${header.line}: column ${j + 1} of the header has no name`, header.line);
    if (seen.has(key))
      throw new InputDataError(
        `line ${header.line}: column ${excerpt(name.trim())} appears twice in the header`,
        header.line,
      );
    seen.add(key);
  });
  const rows = records.slice(1);
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      throw new InputDataError(
        `line ${row.line}: ${row.fields.length} fields, the header has ${header.fields.length} columns`,
        row.line,
      );
    }
  }
  return { columns: header.fields, rows };
}

/**
 * The position of a column in a table's header, matched trimmed and case-insensitively.
 * @returns the 0-based index, or -1 when the header has no such column
 */
export function findColumn(table: CsvTable, name: string): number {
  const key = name.trim().toLowerCase();
  return table.columns.findIndex((c) => c.trim().toLowerCase() === key);
}

/**
 * Like `findColumn`, for a column the analysis needs.
 * @throws InputDataError naming the column and listing the header's columns when it is missing
 */
export function requireColumn(table: CsvTable, name: string, what = 'column'): number {
  const j = findColumn(table, name);
  if (j < 0)
    throw new InputDataError(
      `no ${what} ${excerpt(name)} in the header (columns: ${excerptList(
        table.columns.map((c) => c.trim()),
        12,
        false,
      )})`,
    );
  return j;
}
