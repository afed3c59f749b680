import type {
  EntryInput,
  EntryValue,
  LesionValue,
  LetbRoiValue,
  NonTargetAnswer,
  ReadEntry,
} from '../../../core/studies/readForm';
import { entryKey } from '../../../core/studies/readForm';

export type Measure = 'longest' | 'viable';

export const measureLabels: Record<Measure, { short: string; long: string; criteria: string }> = {
  longest: { short: 'L', long: 'Longest diameter', criteria: 'RECIST 1.1' },
  viable: { short: 'V', long: 'Viable (arterially enhancing) diameter', criteria: 'mRECIST' },
};

export const nonTargetLabels: Record<NonTargetAnswer, string> = {
  absent: 'Absent',
  present: 'Present',
  progression: 'Unequivocal progression',
  not_evaluable: 'Not evaluable',
};

/** The current answers by timepoint and item. */
export type Answers = Map<string, EntryValue>;

export const toAnswers = (entries: readonly ReadEntry[]): Answers =>
  new Map(entries.map((e) => [entryKey(e.timepoint, e.item), e.value]));

export function answer(answers: Answers, timepoint: number, item: string): EntryValue | undefined {
  return answers.get(entryKey(timepoint, item));
}

/** A stored value as the request that would store it again (a caliper without its computed length, an ROI without its measurement). */
export function asInput(value: EntryValue): EntryInput {
  if (typeof value === 'object' && value.status === 'measured') {
    const { lengthMm: _length, ...input } = value;
    return input;
  }
  if (typeof value === 'object' && value.status === 'placed') {
    const { measurement: _measurement, ...input } = value;
    return input;
  }
  return value;
}

/** How an LETB ROI cell reads: "12.34 %", "NE" or "—". */
export function letbRoiText(value: EntryValue | undefined): string {
  const v = value as LetbRoiValue | undefined;
  if (!v) return '—';
  return v.status === 'placed' ? `${v.measurement.letbPercent.toFixed(2)} %` : 'NE';
}

/** How a lesion cell reads: "40.0 mm", "0 (absent)", "NE" or "—". */
export function lesionText(value: EntryValue | undefined, measure: Measure): string {
  const v = value as LesionValue | undefined;
  if (!v) return '—';
  if (v.status === 'measured') return `${v.lengthMm.toFixed(1)} mm`;
  if (v.status === 'absent') return measure === 'viable' ? '0 (no enhancement)' : '0 (disappeared)';
  return 'NE';
}

/** One change, so it can be undone: the value before it (undefined = there was none). */
export interface Change {
  timepoint: number;
  item: string;
  before: EntryValue | undefined;
  label: string;
}

export const signedPercent = (p: number | null) =>
  p === null ? 'n/a' : `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)} %`;
