import { icc, type IccResult } from '../stats/icc';
import type { LongRow } from '../studies/exportReads';
import { letbPlacementCount, letbRoiItem } from '../studies/readForm';

/** Reproducibility of the three LETB ROI placements of one reader, or of all readers pooled. */
export interface LetbPlacementReproducibility {
  /** The reader; null for the entry pooled over all readers. */
  reader: string | null;
  /**
   * The ICC's targets: (case, timepoint) pairs whose three placements all have a LETB in the
   * reads file; pooled, (case, timepoint, reader) triples.
   */
  targets: number;
  /** The six Shrout–Fleiss forms over targets × placements 1, 2, 3 (ICC(1,1) is the one to report); not estimable with its reason, never NaN. */
  icc: IccResult;
}

/** A cell of reads.csv as the export writes a placement: its LETB in % with 3 decimals, or NE. */
const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const placementValue = (cell: string): number | null =>
  decimal.test(cell.trim()) && Number.isFinite(Number(cell)) ? Number(cell) : null;

/**
 * Reproducibility of the readers' three LETB ROI placements (SPEC §2 step 6, §4): for each
 * reader, and pooled over all readers, the intraclass correlation (`icc`, all six forms) of the
 * table whose rows are the targets — (case, timepoint) with all three of `letb.roi1..3` numeric,
 * pooled (case, timepoint, reader) — and whose columns are placements 1, 2 and 3. The placements
 * of a timepoint are interchangeable repetitions by one reader, so ICC(1,1) (one-way random,
 * single measurement) is the form to report, as the reference study did (ICC 0.87, 95 % CI
 * 0.84–0.89); a timepoint with a not evaluable or missing placement is not a target.
 * The values are the row cells exactly as reads.csv holds them (`Number` of the 3-decimal text),
 * and the targets are in the order the rows first name them, so anyone computing ICC from
 * reads.csv gets the same numbers to the last digit.
 * Reference: Shrout PE, Fleiss JL. Psychol Bull 1979;86:420–428.
 * @param rows the long rows of the study's reads (`readRows`, what reads.csv holds)
 * @param readers the readers in report order; readers only found in `rows` follow in order of appearance
 * @throws RangeError when the same placement of a case, timepoint and reader is on two rows
 * @returns one entry per reader, then the pooled one (reader null); a reader without a complete
 *   timepoint gets an ICC that is not estimable with its reason (fewer than 2 targets)
 */
export function letbReproducibility(
  rows: readonly LongRow[],
  readers: readonly string[],
): LetbPlacementReproducibility[] {
  const items = Array.from({ length: letbPlacementCount }, (_, k) => letbRoiItem(k + 1));
  const targets = new Map<string, { reader: string; values: (number | null)[]; seen: boolean[] }>();
  const order = [...readers];
  for (const row of rows) {
    const k = items.indexOf(row.item);
    if (k < 0) continue;
    const key = JSON.stringify([row.reader, row.case_code, row.timepoint]);
    let target = targets.get(key);
    if (!target)
      targets.set(
        key,
        (target = {
          reader: row.reader,
          values: Array<number | null>(letbPlacementCount).fill(null),
          seen: Array<boolean>(letbPlacementCount).fill(false),
        }),
      );
    if (target.seen[k])
      throw new RangeError(
        `${row.item} of case ${row.case_code} at timepoint ${row.timepoint} by ${row.reader} is on two rows`,
      );
    target.seen[k] = true;
    target.values[k] = placementValue(row.value);
    if (!order.includes(row.reader)) order.push(row.reader);
  }
  const complete = [...targets.values()].filter((t) => t.values.every((v) => v !== null)) as {
    reader: string;
    values: number[];
  }[];
  const entry = (reader: string | null): LetbPlacementReproducibility => {
    const matrix = complete.filter((t) => reader === null || t.reader === reader).map((t) => t.values);
    return { reader, targets: matrix.length, icc: icc(matrix) };
  };
  return [...order.map(entry), entry(null)];
}
