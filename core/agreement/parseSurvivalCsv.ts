import { InputDataError } from './inputDataError';
import { excerpt, excerptPlain } from '../tables/excerpt';
import { requireColumn } from '../tables/parseCsv';
import { readCsvTable } from '../tables/readCsvTable';
import { maxSurvivalGroups, maxTableBytes } from '../tables/tableLimits';
import { decimalPattern, tableNumber } from '../tables/tableNumber';

/** One subject's follow-up: time (the file's unit), whether it ended in the event, and the group. */
export interface SurvivalRecord {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  time: number;
  event: boolean;
  group: string;
}

/** Which columns hold the follow-up time, the event indicator and the group (matched case-insensitively). */
export interface SurvivalColumns {
  time: string;
  event: string;
  group: string;
}

const eventWords = new Map<string, boolean>([
  ['1', true],
  ['0', false],
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
]);

/**
 * Reads follow-up data from a CSV file with a header, what `concord survival` analyses: per row
 * a time (a decimal number ≥ 0 and at most 1e15, any unit; `tableNumber`), an event indicator
 * (1 / true / yes = the event happened; 0 / false / no = censored; case-insensitive, so R's
 * TRUE / FALSE work) and a group label (any non-empty text). The file goes through the shared
 * table reader (`readCsvTable`: at most 8 MiB, strict UTF-8, RFC 4180). Cells are trimmed;
 * other columns are ignored. Groups are compared as written: "Grün" and "Grun" are two groups,
 * and two labels that differ only in how their accents are encoded (NFC / NFD) are refused
 * rather than split. At most `maxSurvivalGroups` (100) groups: more means a wrong column (an id
 * column given as --group), and the file is refused on the row that brings the 101st.
 * @param input the whole file: its bytes (strict UTF-8) or its text
 * @param columns the names of the three columns
 * @throws InputDataError for a file over the cap, text that is not UTF-8, CSV syntax errors, a
 *   missing column (listing the header), a row with an empty, negative, non-numeric or too
 *   large time, an event value other than the above, or an empty group, naming its line and
 *   the column; too many groups; labels that differ only in Unicode normalization
 * @returns the rows in file order
 */
export function parseSurvivalCsv(input: Uint8Array | string, columns: SurvivalColumns): SurvivalRecord[] {
  const table = readCsvTable(input, { maxBytes: maxTableBytes.survival, what: 'a survival file' });
  const timeJ = requireColumn(table, columns.time, 'time column');
  const eventJ = requireColumn(table, columns.event, 'event column');
  const groupJ = requireColumn(table, columns.group, 'group column');
  const name = (column: string) => excerptPlain(column.trim());
  // NFC form → the label as first written, to tell "Grün" (NFC) from "Grün" (NFD).
  const groups = new Map<string, string>();
  return table.rows.map(({ line, fields }) => {
    const timeText = fields[timeJ]!.trim();
    const eventText = fields[eventJ]!.trim();
    const group = fields[groupJ]!.trim();
    const time = tableNumber(timeText);
    if ((!time.ok && !decimalPattern.test(timeText)) || (time.ok && time.value < 0)) {
      throw new InputDataError(
        `line ${line}: ${name(columns.time)} ${excerpt(timeText)} is not a follow-up time (a number ≥ 0)`,
        line,
      );
    }
    if (!time.ok) throw new InputDataError(`line ${line}: ${name(columns.time)} ${time.problem}`, line);
    const event = eventWords.get(eventText.toLowerCase());
    if (event === undefined) {
      throw new InputDataError(
        `line ${line}: ${name(columns.event)} ${excerpt(eventText)} is not an event indicator (1/0, true/false or yes/no)`,
        line,
      );
    }
    if (group === '') throw new InputDataError(`line ${line}: the ${name(columns.group)} cell is empty`, line);
    const key = group.normalize('NFC');
    const known = groups.get(key);
    if (known === undefined) {
      if (groups.size === maxSurvivalGroups) {
        throw new InputDataError(
          `line ${line}: ${name(columns.group)} ${excerpt(group)} would be group ${maxSurvivalGroups + 1}; at most ${maxSurvivalGroups} groups can be compared: is --group an id column?`,
          line,
        );
      }
      groups.set(key, group);
    } else if (known !== group) {
      throw new InputDataError(
        `line ${line}: ${name(columns.group)} ${excerpt(group)} and ${excerpt(known)} look the same but their accents are encoded differently (NFC or NFD): write them the same way`,
        line,
      );
    }
    return { line, time: time.value, event, group };
  });
}
