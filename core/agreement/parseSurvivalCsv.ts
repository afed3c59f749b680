import { InputDataError } from './inputDataError';
import { parseCsvTable, requireColumn } from '../tables/parseCsv';

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

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const eventWords = new Map<string, boolean>([
  ['1', true],
  ['0', false],
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
]);

/**
 * Reads follow-up data from a CSV file with a header (RFC 4180, `parseCsvTable`): per row a
 * time (a decimal number ≥ 0, any unit), an event indicator (1 / true / yes = the event
 * happened; 0 / false / no = censored; case-insensitive, so R's TRUE / FALSE work) and a group
 * label (any non-empty text). Cells are trimmed; other columns are ignored.
 * @param text the whole file
 * @param columns the names of the three columns
 * @throws InputDataError for CSV syntax errors, a missing column (listing the header), or a
 *   row with an empty, negative or non-numeric time, an event value other than the above, or an
 *   empty group, naming its line and the column
 * @returns the rows in file order
 */
export function parseSurvivalCsv(text: string, columns: SurvivalColumns): SurvivalRecord[] {
  const table = parseCsvTable(text);
  const timeJ = requireColumn(table, columns.time, 'time column');
  const eventJ = requireColumn(table, columns.event, 'event column');
  const groupJ = requireColumn(table, columns.group, 'group column');
  return table.rows.map(({ line, fields }) => {
    const timeText = fields[timeJ]!.trim();
    const eventText = fields[eventJ]!.trim();
    const group = fields[groupJ]!.trim();
    const time = Number(timeText);
    if (!decimal.test(timeText) || !Number.isFinite(time) || time < 0) {
      throw new InputDataError(`line ${line}: ${columns.time} ${JSON.stringify(timeText)} is not a follow-up time (a number ≥ 0)`, line);
    }
    const event = eventWords.get(eventText.toLowerCase());
    if (event === undefined) {
      throw new InputDataError(`line ${line}: ${columns.event} ${JSON.stringify(eventText)} is not an event indicator (1/0, true/false or yes/no)`, line);
    }
    if (group === '') throw new InputDataError(`line ${line}: the ${columns.group} cell is empty`, line);
    return { line, time, event, group };
  });
}
