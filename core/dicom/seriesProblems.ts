import { allClose } from '../imaging/vec3';
import { decodedBytesPerSample, maxImageBytes } from './imageSizeLimits';
import { missingSliceFactor, orientationTolerance, pixelSpacingToleranceMm, stackSlices } from './stackSlices';

/** What the index holds of one image of a series (no pixels). */
export interface IndexedImage {
  /** The file, as messages name it (its path; only the file name is shown). */
  filePath: string;
  rows: number | null;
  columns: number | null;
  bitsAllocated: number | null;
  /** Image Orientation (Patient), six direction cosines; null when missing. */
  orientation: readonly number[] | null;
  /** Pixel Spacing as stored (between rows, between columns), mm. */
  pixelSpacingMm: readonly number[] | null;
  /** Image Position (Patient) of each frame, LPS mm (empty when missing). */
  positionsMm: readonly (readonly number[])[];
  frames: number;
  /** The image's own defects, found at import (`classifyDicomFile`). */
  problems: readonly string[];
}

/** A file of the series that the import refused for a defect of its own. */
export interface MissingImage {
  filePath: string;
  reason: string;
}

/** At most this many problems are listed; the rest are counted. */
const maxListed = 12;

/**
 * Why a series cannot be loaded as one volume, from what the index holds: each image's own
 * problems (found at import), images of the series the import refused, and the stack as
 * `buildVolume` will judge it (the same `stackSlices`): mixed Rows/Columns, orientations or pixel
 * spacings; two slices at one position (0.01 mm); a slice off the series axis (beyond 0.01 mm +
 * 0.2 % of the distance along the normal: a slice 500 mm away, or a tilted gantry); a gap over
 * 1.5 x the median gap (missing slices, so also every gap over twice the spacing); a volume over
 * 2 GiB. Non-uniform spacing is no problem (the volume loads with a warning). `stack: false`
 * (DICOM SEG) checks images only.
 * @returns one sentence per problem naming the file(s); empty when the series should load
 */
export function seriesProblems(
  images: readonly IndexedImage[],
  missing: readonly MissingImage[] = [],
  options: { stack?: boolean } = {},
): string[] {
  const problems: string[] = [];
  for (const m of missing) problems.push(`${fileName(m.filePath)} was not indexed: ${m.reason}.`);
  for (const image of images) for (const p of image.problems) problems.push(`${fileName(image.filePath)}: ${p}`);
  if (problems.length === 0 && options.stack !== false && images.length > 0) stackProblems(images, problems);
  if (problems.length > maxListed)
    return [...problems.slice(0, maxListed), `… and ${problems.length - maxListed} more problems.`];
  return problems;
}

function stackProblems(images: readonly IndexedImage[], problems: string[]): void {
  const first = images[0]!;
  for (const image of images) {
    const name = fileName(image.filePath);
    if (image.rows !== first.rows || image.columns !== first.columns) {
      problems.push(
        `${name} is ${image.columns}x${image.rows} pixels but ${fileName(first.filePath)} is ${first.columns}x${first.rows}.`,
      );
    }
    if (
      !image.orientation ||
      image.orientation.length !== 6 ||
      image.positionsMm.length !== image.frames ||
      !image.pixelSpacingMm
    ) {
      problems.push(`${name} has no usable position, orientation or pixel spacing.`);
      continue;
    }
    if (
      !allClose(unit(image.orientation.slice(0, 3)), unit(first.orientation!.slice(0, 3)), orientationTolerance) ||
      !allClose(unit(image.orientation.slice(3)), unit(first.orientation!.slice(3)), orientationTolerance)
    ) {
      problems.push(
        `${name} has orientation ${image.orientation.map(fmt).join('\\')} but ${fileName(first.filePath)} has ${first.orientation!.map(fmt).join('\\')} (mixed orientations).`,
      );
    }
    if (!allClose(image.pixelSpacingMm, first.pixelSpacingMm!, pixelSpacingToleranceMm)) {
      problems.push(
        `${name} has pixel spacing ${image.pixelSpacingMm.join('\\')} mm but ${fileName(first.filePath)} has ${first.pixelSpacingMm!.join('\\')} mm.`,
      );
    }
  }
  if (problems.length > 0) return;

  const frames = images.reduce((n, i) => n + i.frames, 0);
  // The smallest volume loading can build (int16 at least, as `loadSeriesVolume` checks early).
  const bytesPerVoxel = Math.max(2, decodedBytesPerSample(first.bitsAllocated ?? 16));
  if (first.rows! * first.columns! * frames * bytesPerVoxel > maxImageBytes) {
    problems.push(
      `${frames} slices of ${first.columns}x${first.rows} need more than the 2 GiB that Concord loads per volume.`,
    );
    return;
  }
  const slices = images.flatMap((image) =>
    image.positionsMm.map((position, f) => ({
      name: image.frames > 1 ? `${fileName(image.filePath)} frame ${f + 1}` : fileName(image.filePath),
      position,
    })),
  );
  if (slices.length < 2) return;
  const stack = stackSlices(
    slices.map((s) => s.position),
    first.orientation!,
  );
  const name = (i: number) => slices[i]!.name;
  for (const p of stack.problems) {
    if (p.kind === 'duplicate')
      problems.push(
        `${name(p.slices[0])} and ${name(p.slices[1])} are both at ${fmt(p.distanceMm)} mm along the slice normal (duplicate positions; more than one acquisition in the series?).`,
      );
    else if (p.kind === 'off-axis')
      problems.push(
        `${name(p.slice)} is ${fmt(p.lateralMm)} mm off the series axis (slices must lie along the slice normal; a stray slice or a tilted gantry).`,
      );
    else if (p.kind === 'missing-slices')
      problems.push(
        `The gap between ${name(p.between[0])} and ${name(p.between[1])} is ${fmt(p.gapMm)} mm, more than ${missingSliceFactor} x the usual ${fmt(p.medianGapMm)} mm: slices are missing.`,
      );
  }
}

function unit(v: readonly number[]): [number, number, number] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  return n > 0 ? [v[0]! / n, v[1]! / n, v[2]! / n] : [0, 0, 0];
}

/** The last component of a path (core/ has no path module; both separators are accepted). */
export function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
