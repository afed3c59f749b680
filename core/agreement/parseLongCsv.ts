import { InputDataError } from './inputDataError';
import { unescapeCsvFormula } from '../tables/csvCell';
import { excerptList } from '../tables/excerpt';
import { findColumn } from '../tables/parseCsv';
import { readCsvTable } from '../tables/readCsvTable';
import { maxTableBytes } from '../tables/tableLimits';

/** One answer of one reader: a row of the long reads file. All text is trimmed. */
export interface LongRating {
  /** 1-based line of the file the row starts on (the header is line 1). */
  line: number;
  caseId: string;
  readerId: string;
  item: string;
  /**
   * The timepoint as written (e.g. "0", "post"); null when the file has no timepoint column or the cell is
   * empty (case-level results).
   */
  timepoint: string | null;
  /** The answer as written; "" for an empty cell. */
  value: string;
}

/**
 * The two layouts of a long reads file:
 * - 'long': `case_id, reader_id, item, value` and optionally `timepoint`;
 * - 'studyExport': the app's export (`core/studies/exportReads.ts`, `toLongCsv`):
 *   `case_code, reader, timepoint, item, value`, read as case_code → case id, reader → reader id,
 *   with the export's formula-guard apostrophes taken off (`unescapeCsvFormula`).
 */
export type LongCsvLayout = 'long' | 'studyExport';

export interface LongCsv {
  layout: LongCsvLayout;
  /** Whether the file has a timepoint column (then items are analysed per timepoint). */
  hasTimepoint: boolean;
  rows: LongRating[];
}

const layouts: { layout: LongCsvLayout; caseColumn: string; readerColumn: string; timepointRequired: boolean }[] = [
  { layout: 'long', caseColumn: 'case_id', readerColumn: 'reader_id', timepointRequired: false },
  { layout: 'studyExport', caseColumn: 'case_code', readerColumn: 'reader', timepointRequired: true },
];

export interface ParseLongCsvOptions {
  /** Largest file accepted, in bytes; default `maxTableBytes.reads` (16 MiB). The app's own export passes Infinity. */
  maxBytes?: number;
}

/**
 * Parses a long reads file (one answer per row) in either layout (`LongCsvLayout`), chosen by
 * the header: `case_id` + `reader_id`, or `case_code` + `reader`. The file goes through the
 * shared table reader (`readCsvTable`: size cap, strict UTF-8, RFC 4180, bounded cells).
 * Column names are matched case-insensitively and in any order; other columns are ignored. Cells
 * are trimmed. In the study export's layout, the apostrophe `toLongCsv` puts before a cell a
 * spreadsheet could run as a formula is taken off again (`unescapeCsvFormula`), so the app's own
 * reads.csv reads back exactly as it was written. Case, reader and item must not be empty; the
 * value may be (an unanswered item).
 * @param input the whole file: its bytes (decoded as strict UTF-8) or its text
 * @throws InputDataError for a file over the cap, text that is not UTF-8, CSV syntax errors, a
 *   header that fits neither layout (naming the columns it lacks), or a row with an empty case,
 *   reader or item (naming its line)
 */
export function parseLongCsv(input: Uint8Array | string, options: ParseLongCsvOptions = {}): LongCsv {
  const table = readCsvTable(input, { maxBytes: options.maxBytes ?? maxTableBytes.reads, what: 'a reads file' });
  const match = layouts.find((l) => findColumn(table, l.caseColumn) >= 0 && findColumn(table, l.readerColumn) >= 0);
  const columns = excerptList(
    table.columns.map((c) => c.trim()),
    12,
    false,
  );
  if (match === undefined) {
    throw new InputDataError(
      `the header needs case_id, reader_id, item, value (optional timepoint), or the study export's case_code, reader, timepoint, item, value; it has: ${columns}`,
    );
  }
  const index = (name: string, required: boolean): number => {
    const j = findColumn(table, name);
    if (j < 0 && required)
      throw new InputDataError(
        `the header has ${match.caseColumn} and ${match.readerColumn} but no "${name}" column (columns: ${columns})`,
      );
    return j;
  };
  const caseJ = index(match.caseColumn, true);
  const readerJ = index(match.readerColumn, true);
  const itemJ = index('item', true);
  const valueJ = index('value', true);
  const timepointJ = index('timepoint', match.timepointRequired);
  const unescape = match.layout === 'studyExport';
  const rows = table.rows.map((record): LongRating => {
    const cell = (j: number) => (unescape ? unescapeCsvFormula(record.fields[j]!.trim()) : record.fields[j]!.trim());
    const row: LongRating = {
      line: record.line,
      caseId: cell(caseJ),
      readerId: cell(readerJ),
      item: cell(itemJ),
      timepoint: timepointJ < 0 || cell(timepointJ) === '' ? null : cell(timepointJ),
      value: cell(valueJ),
    };
    const empty = (
      [
        [match.caseColumn, row.caseId],
        [match.readerColumn, row.readerId],
        ['item', row.item],
      ] as const
    ).find(([, v]) => v === '');
    if (empty) throw new InputDataError(`line ${record.line}: the ${empty[0]} cell is empty`, record.line);
    return row;
  });
  return { layout: match.layout, hasTimepoint: timepointJ >= 0, rows };
}
