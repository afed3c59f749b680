import type { Placement } from '../letb/evaluatePlacement';
import type { RoiShape, RoiSpec } from '../letb/roi';
import { caliperLengthMm } from '../recist/caliper';
import type { Protocol, ProtocolItem } from './protocol';

/**
 * The reading form of one read (one reader × one case): which answers exist, which values they
 * take, and when the form is complete. Pure: the database stores what `checkEntry` returns.
 *
 * Items, per timepoint t (0 = baseline):
 * - `target<n>.longest` (RECIST 1.1) and `target<n>.viable` (mRECIST): a caliper measurement of
 *   target lesion n, or `absent` (disappeared / no viable enhancement: 0 mm), or
 *   `not_evaluable`. Only the criteria of the protocol are asked; n ≤ the liver-target limit.
 * - `nontarget`: `absent` / `present` at baseline; `absent` / `present` / `progression` /
 *   `not_evaluable` at follow-ups.
 * - `new_lesion`: true/false at follow-ups.
 * - every protocol item: at the baseline (scope `baseline`) or at every timepoint (`every`).
 * - `letb.roi1` … `letb.roi3` when the protocol measures LETB: one ROI placement on the
 *   subtraction image of the timepoint (centre, 1.0 or 0.5 cm³, sphere or cube), measured by the
 *   main process on the exam's liver mask (SPEC §2), or `not_evaluable`.
 */

export type LpsPoint = [number, number, number];

/** A target-lesion diameter as the reader gives it: the caliper's end points, or a status. */
export type LesionInput =
  | { status: 'measured'; aLps: LpsPoint; bLps: LpsPoint; seriesKey: string }
  | { status: 'absent' }
  | { status: 'not_evaluable' };

/** As stored: a measured caliper also carries its length, computed here, never by the client. */
export type LesionValue =
  Exclude<LesionInput, { status: 'measured' }> | (Extract<LesionInput, { status: 'measured' }> & { lengthMm: number });

export type NonTargetAnswer = 'absent' | 'present' | 'progression' | 'not_evaluable';
export const nonTargetAnswers: readonly NonTargetAnswer[] = ['absent', 'present', 'progression', 'not_evaluable'];

/** ROI placements per timepoint when the protocol measures LETB (SPEC §2 step 6). */
export const letbPlacementCount = 3;
/** The form item of LETB ROI placement k (1-3). */
export const letbRoiItem = (k: number) => `letb.roi${k}`;
/** ROI volumes a reader may choose: 1.0 cm³, or 0.5 cm³ when little tumour-free liver remains (SPEC §2 step 3). */
export const letbRoiVolumesMl: readonly number[] = [1, 0.5];

/** An LETB ROI placement as the reader gives it: where and how big, or not evaluable. */
export type LetbRoiInput =
  { status: 'placed'; centerLps: LpsPoint; volumeMl: number; shape: RoiShape } | { status: 'not_evaluable' };

/**
 * What the main process measured for a placed ROI (`evaluatePlacement`, SPEC §2 steps 3-5: mean,
 * sample SD and T = mean + 2·SD of the subtraction in the ROI, enhancing and liver volumes, LETB),
 * and on which mask and software.
 */
export type LetbRoiMeasurement = Omit<Placement, 'centerLps' | 'roiMl' | 'roiShape'> & {
  /** SHA-256 of the liver mask's voxels on the arterial grid. */
  maskSha256: string;
  /** The precontrast phase was resampled onto the arterial grid. */
  resampledPrecontrast: boolean;
  softwareVersion: string;
};

/** As stored: a placed ROI also carries its measurement, computed by the main process, never by the client. */
export type LetbRoiValue =
  | Exclude<LetbRoiInput, { status: 'placed' }>
  | (Extract<LetbRoiInput, { status: 'placed' }> & { measurement: LetbRoiMeasurement });

export type EntryInput = LesionInput | LetbRoiInput | NonTargetAnswer | boolean | string | number;
export type EntryValue = LesionValue | LetbRoiValue | NonTargetAnswer | boolean | string | number;

export interface ReadEntry {
  timepoint: number;
  item: string;
  value: EntryValue;
}

/** What an item key refers to. */
export type ItemRef =
  | { kind: 'lesion'; lesion: number; measure: 'longest' | 'viable' }
  | { kind: 'nontarget' }
  | { kind: 'new_lesion' }
  | { kind: 'letb'; placement: number }
  | { kind: 'protocol'; item: ProtocolItem };

/** An answer that does not fit the form; the message names the item and timepoint. */
export class ReadFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadFormError';
  }
}

/** Liver targets a reader may measure: every target is in the liver, so both limits apply. */
export function maxLiverTargets(protocol: Protocol): number {
  return Math.min(protocol.targets.maxTotal, protocol.targets.maxPerOrgan);
}

const lesionKey = /^target([1-9][0-9]?)\.(longest|viable)$/;
const letbKey = /^letb\.roi([1-9][0-9]?)$/;
/** Whether an item key names an LETB ROI placement (`letb.roi<k>`), whatever the protocol allows. */
export const isLetbRoiItem = (item: string) => letbKey.test(item);

/** The measures the protocol asks for per target lesion. */
export function lesionMeasures(protocol: Protocol): ('longest' | 'viable')[] {
  return [
    ...(protocol.criteria.includes('recist') ? (['longest'] as const) : []),
    ...(protocol.criteria.includes('mrecist') ? (['viable'] as const) : []),
  ];
}

/**
 * Resolves an item key against the protocol.
 * @throws ReadFormError for a key the protocol does not ask
 */
export function resolveItem(protocol: Protocol, item: string): ItemRef {
  const m = lesionKey.exec(item);
  if (m) {
    const lesion = Number(m[1]);
    const measure = m[2] as 'longest' | 'viable';
    if (lesion > maxLiverTargets(protocol))
      throw new ReadFormError(`${item}: this study allows ${maxLiverTargets(protocol)} liver target lesion(s).`);
    if (!lesionMeasures(protocol).includes(measure)) {
      throw new ReadFormError(
        `${item}: this study does not read ${measure === 'longest' ? 'RECIST 1.1 (longest diameters)' : 'mRECIST (viable diameters)'}.`,
      );
    }
    return { kind: 'lesion', lesion, measure };
  }
  if (item === 'nontarget') return { kind: 'nontarget' };
  if (item === 'new_lesion') return { kind: 'new_lesion' };
  const l = letbKey.exec(item);
  if (l) {
    if (!protocol.letb) throw new ReadFormError(`${item}: this study does not measure LETB.`);
    const placement = Number(l[1]);
    if (placement > letbPlacementCount)
      throw new ReadFormError(`${item}: LETB is measured with ${letbPlacementCount} ROI placements per timepoint.`);
    return { kind: 'letb', placement };
  }
  const p = protocol.items.find((i) => i.id === item);
  if (p) return { kind: 'protocol', item: p };
  throw new ReadFormError(`"${item.slice(0, 60)}" is not an item of this study's reading form.`);
}

const where = (item: string, timepoint: number) =>
  `${item} at ${timepoint === 0 ? 'the baseline' : `follow-up ${timepoint}`}`;

/**
 * How the main process measures an LETB ROI on the timepoint's subtraction image (throws RangeError for an
 * ROI it cannot measure).
 */
export type MeasureLetbRoi = (roi: RoiSpec) => LetbRoiMeasurement;

/**
 * Checks one answer against the protocol and returns what is stored. A caliper's length is
 * computed here (`caliperLengthMm`), an LETB ROI is measured by `options.measureLetbRoi`; values
 * of the wrong kind are refused with the reason.
 * @param timepointCount the case's timepoints (baseline + follow-ups)
 * @param options measureLetbRoi: needed for a placed LETB ROI (the main process's LETB field of the timepoint)
 * @throws ReadFormError naming the item and timepoint
 */
export function checkEntry(
  protocol: Protocol,
  timepointCount: number,
  timepoint: number,
  item: string,
  value: unknown,
  options: { measureLetbRoi?: MeasureLetbRoi } = {},
): EntryValue {
  if (!Number.isInteger(timepoint) || timepoint < 0 || timepoint >= timepointCount) {
    throw new ReadFormError(
      `Timepoint ${timepoint} does not exist: this case has timepoints 0 to ${timepointCount - 1}.`,
    );
  }
  const ref = resolveItem(protocol, item);
  const at = where(item, timepoint);
  const fail = (m: string): never => {
    throw new ReadFormError(`${at}: ${m}`);
  };
  switch (ref.kind) {
    case 'lesion': {
      const v = value as Record<string, unknown> | null;
      if (typeof v !== 'object' || v === null) return fail('expected a measurement.');
      if (v.status === 'absent' || v.status === 'not_evaluable') {
        if (timepoint === 0 && ref.measure === 'longest') {
          fail(
            `a target lesion is measured at the baseline (${v.status === 'absent' ? 'it cannot be absent' : 'choose an evaluable lesion as target'}).`,
          );
        }
        if (timepoint === 0 && v.status === 'not_evaluable')
          fail('choose a lesion whose viable part can be measured at the baseline.');
        return { status: v.status };
      }
      if (v.status !== 'measured') return fail('status must be measured, absent or not_evaluable.');
      const a = v.aLps as LpsPoint;
      const b = v.bLps as LpsPoint;
      let lengthMm: number;
      try {
        lengthMm = caliperLengthMm(a, b);
      } catch (err) {
        return fail((err as Error).message);
      }
      if (lengthMm < 1) fail(`the caliper is ${lengthMm.toFixed(2)} mm long: draw it across the lesion.`);
      if (lengthMm > 500) fail(`the caliper is ${lengthMm.toFixed(0)} mm long, more than an abdomen.`);
      if (typeof v.seriesKey !== 'string' || v.seriesKey.length === 0)
        fail('the series the caliper was drawn on is missing.');
      return {
        status: 'measured',
        aLps: [a[0], a[1], a[2]],
        bLps: [b[0], b[1], b[2]],
        seriesKey: v.seriesKey as string,
        lengthMm,
      };
    }
    case 'nontarget': {
      const allowed: readonly NonTargetAnswer[] = timepoint === 0 ? ['absent', 'present'] : nonTargetAnswers;
      if (!allowed.includes(value as NonTargetAnswer)) fail(`one of ${allowed.join(', ')}.`);
      return value as NonTargetAnswer;
    }
    case 'letb': {
      const roi = checkLetbRoi(value, fail);
      if (roi.status === 'not_evaluable') return roi;
      if (!options.measureLetbRoi) return fail('an LETB ROI is measured by the main process, which was not asked to.');
      let measurement: LetbRoiMeasurement;
      try {
        measurement = options.measureLetbRoi({ centerLps: roi.centerLps, volumeMl: roi.volumeMl, shape: roi.shape });
      } catch (err) {
        if (err instanceof RangeError) return fail(err.message);
        throw err;
      }
      return { ...roi, measurement };
    }
    case 'new_lesion':
      if (timepoint === 0) fail('new lesions are recorded at follow-ups only.');
      if (typeof value !== 'boolean') fail('true or false.');
      return value as boolean;
    case 'protocol': {
      const it = ref.item;
      if (it.scope === 'baseline' && timepoint !== 0) fail('this item is answered at the baseline only.');
      if (it.kind === 'numeric') {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < it.min || value > it.max)
          fail(`a number from ${it.min} to ${it.max}${it.unit ? ` ${it.unit}` : ''}.`);
        return value as number;
      }
      if (typeof value !== 'string' || !it.levels.includes(value))
        fail(`one of ${it.levels.map((l) => `"${l}"`).join(', ')}.`);
      return value as string;
    }
  }
}

/**
 * The shape of an LETB ROI answer: `not_evaluable`, or `placed` with an LPS centre (mm), a
 * volume of 1.0 or 0.5 cm³ and a sphere or cube. Anything else the client sends is dropped.
 */
export function checkLetbRoi(value: unknown, fail: (message: string) => never): LetbRoiInput {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) return fail('expected an ROI placement.');
  if (v.status === 'not_evaluable') return { status: 'not_evaluable' };
  if (v.status !== 'placed') return fail('status must be placed or not_evaluable.');
  const c = v.centerLps;
  if (
    !Array.isArray(c) ||
    c.length !== 3 ||
    !c.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < 1e5)
  )
    return fail('centerLps must be three finite LPS coordinates in mm.');
  if (typeof v.volumeMl !== 'number' || !letbRoiVolumesMl.includes(v.volumeMl))
    return fail(`the ROI volume is ${letbRoiVolumesMl.map((x) => x.toFixed(1)).join(' or ')} cm³.`);
  if (v.shape !== 'sphere' && v.shape !== 'cube') return fail('the ROI shape is sphere or cube.');
  return {
    status: 'placed',
    centerLps: [c[0] as number, c[1] as number, c[2] as number],
    volumeMl: v.volumeMl,
    shape: v.shape,
  };
}

/**
 * Checks that an answer may be cleared: the item is on the form and the timepoint exists.
 * @throws ReadFormError otherwise
 */
export function checkClear(protocol: Protocol, timepointCount: number, timepoint: number, item: string): void {
  if (!Number.isInteger(timepoint) || timepoint < 0 || timepoint >= timepointCount) {
    throw new ReadFormError(
      `Timepoint ${timepoint} does not exist: this case has timepoints 0 to ${timepointCount - 1}.`,
    );
  }
  resolveItem(protocol, item);
}

/** The key of an entry in maps. */
export const entryKey = (timepoint: number, item: string) => `${timepoint}|${item}`;

/** The target lesions this read has: those with a baseline entry of any measure, in order. */
export function targetLesions(protocol: Protocol, entries: readonly ReadEntry[]): number[] {
  const found = new Set<number>();
  for (const e of entries) {
    if (e.timepoint !== 0) continue;
    const m = lesionKey.exec(e.item);
    if (m && Number(m[1]) <= maxLiverTargets(protocol)) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * What is missing or contradictory before a read can be submitted, in words a reader acts on;
 * empty when complete. Needs: at least one target lesion; every measure of every target at every
 * timepoint; the non-target status at every timepoint; new lesions at every follow-up; every
 * protocol item in its scope; a baseline RECIST 1.1 diameter ≥ 10 mm (measurable lesion); with
 * LETB, the three ROI placements (or not evaluable) at every timepoint.
 */
export function readProblems(protocol: Protocol, timepointCount: number, entries: readonly ReadEntry[]): string[] {
  const byKey = new Map(entries.map((e) => [entryKey(e.timepoint, e.item), e.value]));
  const problems: string[] = [];
  const tpName = (t: number) => (t === 0 ? 'baseline' : `follow-up ${t}`);
  const lesions = targetLesions(protocol, entries);
  if (lesions.length === 0) problems.push('Measure at least one target lesion at the baseline.');
  for (const n of lesions) {
    for (const measure of lesionMeasures(protocol)) {
      const missing = [...Array(timepointCount).keys()].filter((t) => !byKey.has(entryKey(t, `target${n}.${measure}`)));
      if (missing.length)
        problems.push(
          `Target ${n}: ${measure === 'longest' ? 'longest' : 'viable'} diameter missing at ${missing.map(tpName).join(', ')}.`,
        );
    }
    const base = byKey.get(entryKey(0, `target${n}.longest`)) as LesionValue | undefined;
    if (base?.status === 'measured' && base.lengthMm < 10) {
      problems.push(
        `Target ${n}: ${base.lengthMm.toFixed(1)} mm at the baseline; RECIST 1.1 target lesions are at least 10 mm.`,
      );
    }
  }
  const missingNonTarget = [...Array(timepointCount).keys()].filter((t) => !byKey.has(entryKey(t, 'nontarget')));
  if (missingNonTarget.length)
    problems.push(`Non-target lesions: status missing at ${missingNonTarget.map(tpName).join(', ')}.`);
  const missingNew = [...Array(timepointCount).keys()].slice(1).filter((t) => !byKey.has(entryKey(t, 'new_lesion')));
  if (missingNew.length) problems.push(`New lesions: answer missing at ${missingNew.map(tpName).join(', ')}.`);
  if (protocol.letb) {
    const missing = [...Array(timepointCount).keys()].flatMap((t) => {
      const n = [...Array(letbPlacementCount).keys()].filter((k) => !byKey.has(entryKey(t, letbRoiItem(k + 1)))).length;
      return n === 0 ? [] : [`${tpName(t)} (${n} of ${letbPlacementCount})`];
    });
    if (missing.length) problems.push(`LETB: ROI placements missing at ${missing.join(', ')}.`);
  }
  for (const it of protocol.items) {
    const tps = it.scope === 'baseline' ? [0] : [...Array(timepointCount).keys()];
    const missing = tps.filter((t) => !byKey.has(entryKey(t, it.id)));
    if (missing.length) problems.push(`${it.label}: answer missing at ${missing.map(tpName).join(', ')}.`);
  }
  return problems;
}
