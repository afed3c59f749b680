import type { AgreementItemSpec } from './agreementProtocol';
import { compareIds } from './compareIds';
import { InputDataError } from './inputDataError';
import type { LongRating } from './parseLongCsv';
import { excerpt, excerptList, excerptPlain } from '../tables/excerpt';
import { maxRatersPerItem } from '../tables/tableLimits';
import { tableNumber } from '../tables/tableNumber';

interface ItemRatingsBase {
  /** The protocol item's id. */
  item: string;
  /** The timepoint the ratings belong to; null for a file without timepoints or for case-level results. */
  timepoint: string | null;
  /** Every reader who rated the item (at this timepoint) at least once, sorted (`compareIds`). */
  raters: string[];
  /** The cases every one of `raters` rated (with a value), sorted (`compareIds`): the rows of `ratings`. */
  caseIds: string[];
  /** Cases some but not all raters rated (or rated with an empty / not evaluable value), sorted. */
  excludedCaseIds: string[];
}

/**
 * The complete ratings of one item (at one timepoint): cases × raters, `ratings[i][r]` being
 * rater `raters[r]`'s answer for case `caseIds[i]`. This is the input of `itemAgreement`; the
 * app can build it from its database as well as from a reads file.
 */
export type ItemRatings =
  | (ItemRatingsBase & { scale: 'nominal' | 'ordinal'; levels: string[]; ratings: string[][] })
  | (ItemRatingsBase & { scale: 'continuous'; ratings: number[][] });

/** Cells of a continuous item that mean "no value": empty, the export's NE, R's NA. */
const notEvaluable = /^(|NE|NA)$/i;

const describeRow = (r: LongRating) =>
  `line ${r.line} (case ${excerptPlain(r.caseId)}, reader ${excerptPlain(r.readerId)}, item ${excerptPlain(r.item)}${r.timepoint === null ? '' : `, timepoint ${excerptPlain(r.timepoint)}`})`;

/** Why a value is not one of an item's levels, with a hint when it differs from one only in Unicode normalization. */
function notALevel(row: LongRating, spec: { id: string; levels: readonly string[] }): string {
  const nfc = row.value.normalize('NFC');
  const twin = spec.levels.find((level) => level.normalize('NFC') === nfc);
  const hint =
    twin === undefined
      ? ''
      : ` (it differs from the level ${excerpt(twin)} only in how its accents are encoded, NFC or NFD: write both the same way)`;
  return `${describeRow(row)}: ${excerpt(row.value)} is not one of the levels of ${excerptPlain(spec.id)}: ${excerptList(spec.levels, 12, false)}${hint}`;
}

/**
 * Groups the rows of a long reads file into the complete ratings of every protocol item, one
 * `ItemRatings` per item and timepoint (when the file has timepoints), in protocol order and
 * then timepoint order (`compareIds`, case-level rows without a timepoint last):
 * - raters of an item (at a timepoint) are the readers with at least one row for it; a case
 *   counts (n) only when every one of them gave a value; the others are `excludedCaseIds`;
 * - an empty cell is no answer; for continuous items "NE" and "NA" (any case) are no answer too
 *   (the export writes NE for a measurement that was not evaluable);
 * - rows of items the protocol does not list are ignored (the study export holds every answer);
 * - a protocol item without any row gives one entry with no raters and no cases.
 * @param rows the parsed file (`parseLongCsv`)
 * @param items the protocol's items (`parseAgreementProtocol`)
 * @param options maxRaters: most readers of one item at one timepoint (default
 *   `maxRatersPerItem`, 50, against a wrong reader column in a file from elsewhere; the study
 *   report passes Infinity, its readers are the study's)
 * @throws InputDataError naming the line for a categorical value that is not one of the item's
 *   levels, a continuous value that is not a number within ±1e15 (`tableNumber`), the same case,
 *   reader, item and timepoint on two lines, or more than `maxRaters` readers of one item at
 *   one timepoint
 */
export function groupRatings(
  rows: readonly LongRating[],
  items: readonly AgreementItemSpec[],
  options: { maxRaters?: number } = {},
): ItemRatings[] {
  const maxRaters = options.maxRaters ?? maxRatersPerItem;
  const specs = new Map(items.map((spec) => [spec.id, spec]));
  // item → timepoint → case → reader → value (null: no answer).
  const byItem = new Map<
    string,
    Map<string | null, Map<string, Map<string, { row: LongRating; value: string | number | null }>>>
  >();
  // The readers of each item and timepoint (keyed by its case map), bounded by maxRatersPerItem.
  const ratersOf = new WeakMap<object, Set<string>>();
  for (const row of rows) {
    const spec = specs.get(row.item);
    if (spec === undefined) continue;
    let value: string | number | null;
    if (spec.scale === 'continuous') {
      if (notEvaluable.test(row.value)) {
        value = null;
      } else {
        const number = tableNumber(row.value);
        if (!number.ok)
          throw new InputDataError(
            `${describeRow(row)}: value ${number.problem} (continuous item; empty or NE for no value)`,
            row.line,
          );
        value = number.value;
      }
    } else if (row.value === '') {
      value = null;
    } else {
      if (!spec.levels.includes(row.value)) throw new InputDataError(notALevel(row, spec), row.line);
      value = row.value;
    }
    const timepoints = byItem.get(row.item) ?? new Map();
    byItem.set(row.item, timepoints);
    const cases = timepoints.get(row.timepoint) ?? new Map();
    timepoints.set(row.timepoint, cases);
    const readers = cases.get(row.caseId) ?? new Map();
    cases.set(row.caseId, readers);
    let raters = ratersOf.get(cases);
    if (raters === undefined) ratersOf.set(cases, (raters = new Set()));
    if (!raters.has(row.readerId)) {
      if (raters.size === maxRaters) {
        throw new InputDataError(
          `${describeRow(row)}: more than ${maxRaters} readers rate ${excerptPlain(row.item)}${row.timepoint === null ? '' : ` at timepoint ${excerptPlain(row.timepoint)}`}; at most ${maxRaters} can be compared (is the reader column the right one?)`,
          row.line,
        );
      }
      raters.add(row.readerId);
    }
    const earlier = readers.get(row.readerId);
    if (earlier !== undefined) {
      throw new InputDataError(
        `${describeRow(row)}: the same case, reader, item and timepoint as line ${earlier.row.line}; each reader answers an item once per case`,
        row.line,
      );
    }
    readers.set(row.readerId, { row, value });
  }

  const out: ItemRatings[] = [];
  for (const spec of items) {
    const timepoints = byItem.get(spec.id);
    const keys = timepoints ? [...timepoints.keys()] : [null];
    keys.sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : compareIds(a, b)));
    for (const timepoint of keys) {
      const cases = timepoints?.get(timepoint) ?? new Map<string, Map<string, { value: string | number | null }>>();
      const raterSet = new Set<string>();
      for (const readers of cases.values()) for (const reader of readers.keys()) raterSet.add(reader);
      const raters = [...raterSet].sort(compareIds);
      const caseIds: string[] = [];
      const excludedCaseIds: string[] = [];
      const ratings: (string | number)[][] = [];
      for (const caseId of [...cases.keys()].sort(compareIds)) {
        const readers = cases.get(caseId)!;
        const values = raters.map((r) => readers.get(r)?.value ?? null);
        if (values.every((v) => v !== null)) {
          caseIds.push(caseId);
          ratings.push(values as (string | number)[]);
        } else {
          excludedCaseIds.push(caseId);
        }
      }
      const base = { item: spec.id, timepoint, raters, caseIds, excludedCaseIds };
      out.push(
        spec.scale === 'continuous'
          ? { ...base, scale: 'continuous', ratings: ratings as number[][] }
          : { ...base, scale: spec.scale, levels: [...spec.levels], ratings: ratings as string[][] },
      );
    }
  }
  return out;
}
