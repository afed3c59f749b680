import { InputDataError } from '../agreement/inputDataError';
import { excerpt, excerptList, excerptPlain } from '../tables/excerpt';
import { findColumn } from '../tables/parseCsv';
import { readCsvTable } from '../tables/readCsvTable';
import { maxProblemsListed, maxTableBytes } from '../tables/tableLimits';
import { dayNumber } from '../studies/relativeDate';
import { caseEndpoints, type CaseEndpoints, type OutcomeDates } from './outcomeEndpoints';

/** The columns of an outcomes file, in the order the template writes them. */
export const outcomesCsvColumns = [
  'case_code',
  'last_followup_date',
  'death',
  'hepatic_progression_date',
  'progression_date',
  'untreatable_progression_date',
] as const;

/** A case of the study the file is checked against: its code and its baseline exam date (YYYYMMDD or YYYY-MM-DD). */
export interface OutcomeCaseRef {
  caseCode: string;
  baselineDate: string;
}

/** One accepted row: the case (code as the study spells it), its dates (ISO) and its endpoints. */
export interface CaseOutcome {
  /** 1-based line of the file. */
  line: number;
  caseCode: string;
  dates: OutcomeDates;
  endpoints: CaseEndpoints;
}

/** One thing wrong with the file: the line (null for the header as a whole), the case code as written, and why. */
export interface OutcomesProblem {
  line: number | null;
  caseCode: string | null;
  reason: string;
}

/**
 * An outcomes file with problems: every one of them, each with its line, in `problems`, and the
 * first `maxProblemsListed` (20) in the one-line message (`The outcomes file has 2 problems: line
 * 3 (C-009): no case "C-009" in this study; line 5 …`; with more, `The outcomes file has 37
 * problems (the first 20 listed): …`). Each problem is one short line: case codes and cells are
 * quoted by excerpts. `line` is the first problem's line.
 */
export class OutcomesCsvError extends InputDataError {
  constructor(readonly problems: readonly OutcomesProblem[]) {
    const listed = problems.slice(0, maxProblemsListed);
    super(
      `The outcomes file has ${problems.length} problem${problems.length === 1 ? '' : 's'}${problems.length > listed.length ? ` (the first ${listed.length} listed)` : ''}: ${listed
        .map(
          (p) =>
            `${p.line === null ? 'header' : `line ${p.line}`}${p.caseCode ? ` (${excerptPlain(p.caseCode)})` : ''}: ${p.reason}`,
        )
        .join('; ')}`,
      problems[0]?.line ?? null,
    );
    this.name = 'OutcomesCsvError';
  }
}

const deathWords = new Map<string, boolean>([
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
  ['true', true],
  ['false', false],
]);

const isoOf = (dayNo: number) => new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
const shown = (text: string) => excerpt(text, 30);

/**
 * Reads and checks a file of per-case event dates (SPEC §5) against the study's cases.
 * Format: a CSV with a header, read by the shared table reader (`readCsvTable`: at most
 * `maxTableBytes.outcomes` (900 KiB), strict UTF-8, RFC 4180; columns matched trimmed and
 * case-insensitively, in any order, other columns ignored) with the columns `outcomesCsvColumns`:
 * - `case_code`: a case of the study (matched trimmed, case-insensitively), one row per case;
 * - `last_followup_date`: the date of death, or of the last follow-up alive (required: it is the
 *   censoring date);
 * - `death`: 1 / yes / true (died on `last_followup_date`) or 0 / no / false (alive then);
 * - `hepatic_progression_date`, `progression_date`, `untreatable_progression_date`: the date of
 *   that event, empty when it did not happen.
 * Dates are ISO (YYYY-MM-DD) or DICOM DA (YYYYMMDD); cells are trimmed. No date may be before the
 * case's baseline exam, and no event date after `last_followup_date`. Cases of the study without
 * a row are not an error (they have no outcome). Endpoints: `caseEndpoints` (months from the
 * baseline exam, days / 30.4375).
 * @param input the whole file: its bytes (strict UTF-8) or its text (no U+FFFD, NUL or lone surrogate)
 * @param cases the study's cases with their baseline exam dates
 * @throws InputDataError for a file over the cap, text that is not UTF-8, CSV syntax errors
 *   (with the line) or an empty file; OutcomesCsvError
 *   listing every problem of the file at once: missing columns, no data rows, an empty or unknown
 *   case code, a case with two rows, a missing `last_followup_date` (missing censoring), an
 *   unreadable date, a `death` value other than the above, a date before the baseline, an event
 *   date after the last follow-up, a case whose baseline exam has no readable date
 * @returns one outcome per row, in file order, dates normalised to ISO
 */
export function parseOutcomesCsv(input: Uint8Array | string, cases: readonly OutcomeCaseRef[]): CaseOutcome[] {
  const table = readCsvTable(input, { maxBytes: maxTableBytes.outcomes, what: 'an outcomes file' });
  const missing = outcomesCsvColumns.filter((c) => findColumn(table, c) < 0);
  if (missing.length > 0) {
    throw new OutcomesCsvError([
      {
        line: null,
        caseCode: null,
        reason: `missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (header: ${excerptList(
          table.columns.map((c) => c.trim()),
          12,
          false,
        )})`,
      },
    ]);
  }
  if (table.rows.length === 0)
    throw new OutcomesCsvError([
      { line: null, caseCode: null, reason: 'no data rows: one row per case is expected under the header' },
    ]);
  const column = Object.fromEntries(outcomesCsvColumns.map((c) => [c, findColumn(table, c)])) as Record<
    (typeof outcomesCsvColumns)[number],
    number
  >;
  const byCode = new Map(cases.map((c) => [c.caseCode.trim().toLowerCase(), c]));

  const problems: OutcomesProblem[] = [];
  const seen = new Map<string, number>();
  const out: CaseOutcome[] = [];
  for (const { line, fields } of table.rows) {
    const cell = (c: (typeof outcomesCsvColumns)[number]) => fields[column[c]]!.trim();
    const written = cell('case_code');
    const before = problems.length;
    const problem = (reason: string) => problems.push({ line, caseCode: written || null, reason });

    const ref = byCode.get(written.toLowerCase());
    if (written === '') problem('case_code is empty');
    else if (!ref) problem(`no case ${shown(written)} in this study`);
    else if (seen.has(ref.caseCode))
      problem(`case ${ref.caseCode} already has a row on line ${seen.get(ref.caseCode)}`);
    else seen.set(ref.caseCode, line);

    const readDate = (c: (typeof outcomesCsvColumns)[number]): number | null | undefined => {
      const v = cell(c);
      if (v === '') return null;
      const d = dayNumber(v);
      if (Number.isNaN(d)) {
        problem(`${c} ${shown(v)} is not a date (YYYY-MM-DD or YYYYMMDD)`);
        return undefined;
      }
      return d;
    };
    const last = readDate('last_followup_date');
    if (last === null)
      problem(
        'last_followup_date is empty: every case needs the date of death or of its last follow-up (the censoring date)',
      );
    const deathText = cell('death');
    const death = deathWords.get(deathText.toLowerCase());
    if (death === undefined) {
      problem(
        deathText === ''
          ? 'death is empty: write 1 (died on last_followup_date) or 0 (alive then)'
          : `death ${shown(deathText)} is not 1/0, yes/no or true/false`,
      );
    }
    const hepatic = readDate('hepatic_progression_date');
    const progression = readDate('progression_date');
    const untreatable = readDate('untreatable_progression_date');
    const events = [
      ['hepatic_progression_date', hepatic],
      ['progression_date', progression],
      ['untreatable_progression_date', untreatable],
    ] as const;

    const baseline = ref ? dayNumber(ref.baselineDate) : Number.NaN;
    if (ref && Number.isNaN(baseline))
      problem(`the baseline exam of case ${ref.caseCode} has no readable date, so times cannot be computed`);
    for (const [c, d] of [['last_followup_date', last] as const, ...events]) {
      if (typeof d !== 'number') continue;
      if (!Number.isNaN(baseline) && d < baseline)
        problem(`${c} ${isoOf(d)} is before the baseline exam (${isoOf(baseline)})`);
      if (c !== 'last_followup_date' && typeof last === 'number' && d > last)
        problem(`${c} ${isoOf(d)} is after last_followup_date ${isoOf(last)}`);
    }

    if (problems.length > before || !ref || typeof last !== 'number' || death === undefined) continue;
    const iso = (d: number | null | undefined) => (typeof d === 'number' ? isoOf(d) : null);
    const dates: OutcomeDates = {
      lastFollowupDate: isoOf(last),
      death,
      hepaticProgressionDate: iso(hepatic),
      progressionDate: iso(progression),
      untreatableProgressionDate: iso(untreatable),
    };
    out.push({ line, caseCode: ref.caseCode, dates, endpoints: caseEndpoints(ref.baselineDate, dates) });
  }
  if (problems.length > 0) throw new OutcomesCsvError(problems);
  return out;
}
