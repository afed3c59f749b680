import type { ResponseCriteria } from '../recist/responseCategory';
import type { LetbReadSummary } from './assessLetb';
import type { ReadAssessment } from './assessRead';
import type { EntryValue, ReadEntry } from './readForm';
import { csvCell } from '../tables/csvCell';

/** One row of the long export: `case_code, reader, timepoint, item, value`. */
export interface LongRow {
  case_code: string;
  reader: string;
  /** Timepoint ordinal (0 = baseline); empty for case-level results (best response). */
  timepoint: number | '';
  item: string;
  value: string;
}

export const longColumns = ['case_code', 'reader', 'timepoint', 'item', 'value'] as const;

/**
 * An answer as one CSV cell: a caliper as its length in mm (0.01 mm), absent as 0, an LETB ROI
 * placement as its LETB in % (0.001 %), not evaluable as NE.
 */
export function entryCell(value: EntryValue): string {
  if (typeof value === 'object') {
    if (value.status === 'measured') return value.lengthMm.toFixed(2);
    if (value.status === 'placed') return value.measurement.letbPercent.toFixed(3);
    return value.status === 'absent' ? '0' : 'NE';
  }
  return String(value);
}

const num = (v: number | null, digits: number) => (v === null ? 'NE' : v.toFixed(digits));

/**
 * The rows of one read: every answer (one per item and timepoint, measurements as lengths),
 * then per criteria the computed numbers and categories — `<criteria>.sum_mm` at every
 * timepoint, `.change_from_baseline_percent`, `.change_from_nadir_percent`,
 * `.target_response` and `.overall_response` per follow-up, and case-level `.best_response`
 * and `.objective_response` (yes/no) with an empty timepoint; with `letb`, `letb.percent` (mean of
 * the three placements, %) at every timepoint and `letb.change_percent` (from the baseline) per
 * follow-up. Not estimable numbers are "NE".
 */
export function readRows(
  caseCode: string,
  reader: string,
  entries: readonly ReadEntry[],
  assessment: ReadAssessment,
  letb: LetbReadSummary | null = null,
): LongRow[] {
  const rows: LongRow[] = entries.map((e) => ({
    case_code: caseCode,
    reader,
    timepoint: e.timepoint,
    item: e.item,
    value: entryCell(e.value),
  }));
  for (const criteria of ['recist', 'mrecist'] as ResponseCriteria[]) {
    const a = assessment[criteria];
    if (!a) continue;
    const row = (timepoint: number | '', item: string, value: string) =>
      rows.push({ case_code: caseCode, reader, timepoint, item: `${criteria}.${item}`, value });
    if (!a.estimable) {
      row('', 'best_response', 'NE');
      continue;
    }
    row(0, 'sum_mm', a.assessment.baselineSumMm.toFixed(2));
    for (const f of a.assessment.followUps) {
      row(f.followUp, 'sum_mm', num(f.sumMm, 2));
      row(f.followUp, 'change_from_baseline_percent', num(f.changeFromBaselinePercent, 1));
      row(f.followUp, 'change_from_nadir_percent', num(f.changeFromNadirPercent, 1));
      row(f.followUp, 'target_response', f.targetResponse);
      row(f.followUp, 'overall_response', f.overallResponse);
    }
    row('', 'best_response', a.assessment.bestResponse);
    row('', 'objective_response', a.assessment.objectiveResponse ? 'yes' : 'no');
  }
  for (const t of letb?.timepoints ?? []) {
    rows.push({
      case_code: caseCode,
      reader,
      timepoint: t.timepoint,
      item: 'letb.percent',
      value: num(t.letbPercent, 3),
    });
    if (t.timepoint > 0)
      rows.push({
        case_code: caseCode,
        reader,
        timepoint: t.timepoint,
        item: 'letb.change_percent',
        value: t.change?.estimable ? t.change.changePercent.toFixed(2) : 'NE',
      });
  }
  return rows;
}

/**
 * The long CSV with its header line, CRLF line ends (RFC 4180), every cell through `csvCell`: a
 * cell a spreadsheet could run as a formula (reader names and protocol levels starting with
 * `=`, `+`, `-`, `@`, tab or CR) gets a leading apostrophe; plain numbers such as `-12.5` stay as
 * they are. `parseLongCsv` undoes the apostrophes when it reads this layout back.
 */
export function toLongCsv(rows: readonly LongRow[]): string {
  const lines = [longColumns.join(','), ...rows.map((r) => longColumns.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
