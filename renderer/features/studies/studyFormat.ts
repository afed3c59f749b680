import type { ReadState } from '../../../core/ipc/contract';

/** DICOM DA "20240110" → "2024-01-10"; anything else unchanged (an empty date stays empty). */
export function formatExamDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}

/** An ISO timestamp as local "YYYY-MM-DD HH:MM"; the raw text when it does not parse. */
export function formatWhen(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const readStateLabels: Record<ReadState, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  submitted: 'Submitted',
};

/** "1 read", "3 reads". */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A DICOM person name "Family^Given^Middle^Prefix^Suffix" as "Family, Given Middle". */
export function formatPersonName(pn: string): string {
  const [family = '', given = '', middle = ''] = pn
    .split('=')[0]!
    .split('^')
    .map((p) => p.trim());
  const rest = [given, middle].filter(Boolean).join(' ');
  return [family, rest].filter(Boolean).join(', ');
}
