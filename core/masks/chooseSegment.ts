import { MaskReadError } from './maskReadError';

/** What `chooseSegment` picks from: a segment number and how it is named. */
export interface NamedSegment {
  segmentNumber: number;
  label: string;
  /** Another name to match, e.g. the SEG's Segmented Property Type meaning ("Liver"). */
  propertyType?: string;
}

/**
 * The segment a caller means: a number selects that segment number; a string selects the
 * segment whose label, else whose property type, equals it ignoring case and surrounding
 * spaces; nothing selects the only segment.
 * @returns the chosen segment (an element of `segments`)
 * @throws MaskReadError('no-such-segment') when no segment matches, a name matches several,
 *   or nothing was asked for and there are several (the message lists them)
 */
export function chooseSegment<S extends NamedSegment>(segments: readonly S[], wanted: number | string | undefined): S {
  const list = () => segments.map((s) => `${s.segmentNumber} "${s.label}"`).join(', ');
  if (wanted === undefined) {
    if (segments.length === 1) return segments[0]!;
    throw new MaskReadError(
      'no-such-segment',
      segments.length === 0
        ? 'The file holds no segments.'
        : `The file holds ${segments.length} segments (${list()}); choose one by number or label.`,
    );
  }
  if (typeof wanted === 'number') {
    const found = segments.find((s) => s.segmentNumber === wanted);
    if (!found) throw new MaskReadError('no-such-segment', `Segment ${wanted} is not in the file; it holds ${list()}.`);
    return found;
  }
  const key = wanted.trim().toLowerCase();
  for (const name of [(s: S) => s.label, (s: S) => s.propertyType ?? ''] as const) {
    const matches = segments.filter((s) => name(s).trim().toLowerCase() === key);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1)
      throw new MaskReadError(
        'no-such-segment',
        `${matches.length} segments are named "${wanted}" (${matches.map((s) => s.segmentNumber).join(', ')}); choose one by number.`,
      );
  }
  throw new MaskReadError('no-such-segment', `No segment is named "${wanted}"; the file holds ${list()}.`);
}
