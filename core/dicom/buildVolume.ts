import type { Volume } from '../imaging/volume';
import { allClose } from '../imaging/vec3';
import { DicomDataError, type DicomDataErrorKind } from './dicomDataError';
import { checkVolumeSize } from './imageSizeLimits';
import type { PixelArray } from './pixelArray';
import type { FrameGeometry, SliceHeader } from './sliceHeader';
import { missingSliceFactor, orientationTolerance, pixelSpacingToleranceMm, stackSlices } from './stackSlices';

/** One decoded image object of a series. */
export interface DecodedInstance {
  header: SliceHeader;
  /** Decoded frames in frame order (`header.frames[f]` describes `frames[f]`), one sample per pixel. */
  frames: readonly PixelArray[];
  /** How messages name the object, e.g. its file name. */
  source: string;
}

export interface BuiltVolume {
  volume: Volume;
  /** Problems that did not stop assembly, one sentence each, naming the series. */
  warnings: string[];
}

interface Slice {
  geometry: FrameGeometry;
  pixels: PixelArray;
  source: string;
}

/**
 * Stacks the frames of one series into a `Volume` in LPS millimetres.
 * - Order, normal, slice spacing and stack problems come from `stackSlices`, the rule the series
 *   index applies too: slices are sorted by d = p · n, the Image Position p projected on the
 *   slice normal n = row × column cosines, so instance order and feet-first/head-first
 *   acquisition do not matter. Direction columns are (row cosines, column cosines, n); k grows
 *   along n; the origin is the first pixel of the slice with the smallest d.
 * - Spacing: [Pixel Spacing column value, row value, (d_last − d_first)/(N − 1)]; the slice
 *   spacing comes from positions, never from Slice Thickness. A single slice takes Spacing
 *   Between Slices, else Slice Thickness, else 1 mm, with a warning.
 * - Values: stored × Rescale Slope + Rescale Intercept per frame (HU for CT). Int16Array when
 *   every slope and intercept is an integer and every result fits int16, else Float32Array.
 * Reference: PS3.3 §C.7.6.2.1.1 (Image Position/Orientation), §C.11.1.1.2 (rescale).
 * @returns the volume and warnings (spacing that varies by more than max(1 %, 0.02 mm) from
 *   the mean, single-slice spacing guesses)
 * @throws DicomDataError('malformed-pixel-data') when there are no frames, an object has another
 *   number of decoded frames than frame headers, or a frame's length is not rows × columns × samples
 * @throws DicomDataError('invalid-attribute') when the volume would exceed 2 GiB (`checkVolumeSize`)
 * @throws DicomDataError('unsupported') for multi-sample (colour) frames
 * @throws DicomDataError('inconsistent-series') for mixed rows/columns, orientations or pixel spacings
 * @throws DicomDataError('duplicate-slice') when two frames share a position (within 0.01 mm)
 * @throws DicomDataError('missing-slice') when a gap exceeds 1.5 × the median gap
 * @throws DicomDataError('gantry-tilt') when a slice is off the series axis (`stackSlices`: beyond
 *   0.01 mm + 0.2 % of its distance along the normal from the first slice)
 */
export function buildVolume(instances: readonly DecodedInstance[], seriesLabel: string): BuiltVolume {
  const fail = (kind: DicomDataErrorKind, message: string) =>
    new DicomDataError(kind, `Series "${seriesLabel}": ${message}`);
  const warnings: string[] = [];

  const first = instances[0];
  if (!first || instances.every((i) => i.frames.length === 0))
    throw fail('malformed-pixel-data', 'it has no frames to build a volume from.');
  const { rows, columns } = first.header;
  const pixelsPerFrame = rows * columns;
  const reference = first.header.frames[0]!;

  const collected: Slice[] = [];
  for (const instance of instances) {
    const { header, frames, source } = instance;
    if (header.rows !== rows || header.columns !== columns) {
      throw fail(
        'inconsistent-series',
        `${source} is ${header.columns}x${header.rows} pixels but ${first.source} is ${columns}x${rows}.`,
      );
    }
    if (frames.length !== header.frames.length)
      throw fail(
        'malformed-pixel-data',
        `${source} has ${frames.length} decoded frame(s) but its header describes ${header.frames.length}.`,
      );
    frames.forEach((pixels, f) => {
      const name = header.frames.length > 1 ? `${source} frame ${f + 1}` : source;
      if (pixels.length !== pixelsPerFrame) {
        if (pixels.length % pixelsPerFrame === 0)
          throw fail(
            'unsupported',
            `${name} has ${pixels.length / pixelsPerFrame} samples per pixel; only single-sample (grey-scale) images form a volume.`,
          );
        throw fail('malformed-pixel-data', `${name} decodes to ${pixels.length} values for ${columns}x${rows} pixels.`);
      }
      const geometry = header.frames[f]!;
      if (
        !allClose(geometry.rowCosines, reference.rowCosines, orientationTolerance) ||
        !allClose(geometry.columnCosines, reference.columnCosines, orientationTolerance)
      ) {
        throw fail(
          'inconsistent-series',
          `${name} has orientation ${[...geometry.rowCosines, ...geometry.columnCosines].map(fmt).join('\\')} but ${first.source} has ${[...reference.rowCosines, ...reference.columnCosines].map(fmt).join('\\')} (mixed orientations).`,
        );
      }
      if (!allClose(geometry.pixelSpacingMm, reference.pixelSpacingMm, pixelSpacingToleranceMm)) {
        throw fail(
          'inconsistent-series',
          `${name} has pixel spacing ${geometry.pixelSpacingMm.join('\\')} mm but ${first.source} has ${reference.pixelSpacingMm.join('\\')} mm.`,
        );
      }
      collected.push({ geometry, pixels, source: name });
    });
  }

  const header = first.header;
  const stack = stackSlices(
    collected.map((s) => s.geometry.positionMm),
    [...reference.rowCosines, ...reference.columnCosines],
    header.spacingBetweenSlicesMm ?? header.sliceThicknessMm,
  );
  const { normal } = stack;
  const slices = stack.order.map((i) => collected[i]!);
  const count = slices.length;
  const name = (i: number) => collected[i]!.source;
  for (const p of stack.problems) {
    switch (p.kind) {
      case 'duplicate':
        throw fail(
          'duplicate-slice',
          `${name(p.slices[0])} and ${name(p.slices[1])} are both at ${fmt(stack.distancesMm[p.slices[0]]!)} mm along the slice normal (duplicate positions; more than one acquisition in the series?).`,
        );
      case 'off-axis':
        throw fail(
          'gantry-tilt',
          `slice positions are not along the slice normal (${name(p.slice)} is ${fmt(p.lateralMm)} mm off it, a tilt of ${stack.tiltDegrees.toFixed(2)}°); gantry-tilted series are not supported.`,
        );
      case 'missing-slices': {
        const [a, b] = p.between;
        throw fail(
          'missing-slice',
          `the gap between ${name(a)} (${fmt(stack.distancesMm[a]!)} mm) and ${name(b)} (${fmt(stack.distancesMm[b]!)} mm) is ${fmt(p.gapMm)} mm, more than ${missingSliceFactor} × the usual ${fmt(p.medianGapMm)} mm: slices are missing.`,
        );
      }
      case 'non-uniform':
        warnings.push(
          `Series "${seriesLabel}" has non-uniform slice spacing (${fmt(p.minGapMm)} to ${fmt(p.maxGapMm)} mm); the volume uses the mean, ${fmt(stack.spacingMm!)} mm.`,
        );
    }
  }

  const spacingMm = stack.spacingMm ?? 1;
  if (count === 1) {
    warnings.push(
      `Series "${seriesLabel}" has a single slice; its slice spacing (${fmt(spacingMm)} mm) is taken from ${header.spacingBetweenSlicesMm ? 'Spacing Between Slices' : header.sliceThicknessMm ? 'Slice Thickness' : 'a default of 1 mm'}.`,
    );
  }
  const origin = slices[0]!.geometry.positionMm;

  const voxels = rescaledVoxels(slices, pixelsPerFrame, (bytes) =>
    checkVolumeSize(`Series "${seriesLabel}"`, [columns, rows, count], bytes),
  );
  const volume: Volume = {
    dims: [columns, rows, count],
    spacingMm: [reference.pixelSpacingMm[1], reference.pixelSpacingMm[0], spacingMm],
    originMm: [origin[0], origin[1], origin[2]],
    direction: [...reference.rowCosines, ...reference.columnCosines, ...normal],
    voxels,
  };
  return { volume, warnings };
}

/**
 * stored × slope + intercept for every slice, in Int16Array when that is exact (integral slope
 * and intercept, every result within int16), else Float32Array. One pass in the common case:
 * the Int16 output is written optimistically and the range checked on the way.
 */
function rescaledVoxels(
  slices: readonly Slice[],
  pixelsPerFrame: number,
  checkSize: (bytesPerVoxel: number) => void,
): Int16Array | Float32Array {
  const total = pixelsPerFrame * slices.length;
  checkSize(2);
  const integral = slices.every(
    ({ geometry: g, pixels }) =>
      !(pixels instanceof Float32Array) && Number.isInteger(g.rescaleSlope) && Number.isInteger(g.rescaleIntercept),
  );
  if (integral) {
    const out = new Int16Array(total);
    let fits = true;
    for (let k = 0; k < slices.length && fits; k++) {
      const { geometry: g, pixels } = slices[k]!;
      fits =
        pixels instanceof Int16Array
          ? rescaleInt16Checked(out, k * pixelsPerFrame, pixels, pixelsPerFrame, g.rescaleSlope, g.rescaleIntercept)
          : rescaleAnyChecked(out, k * pixelsPerFrame, pixels, pixelsPerFrame, g.rescaleSlope, g.rescaleIntercept);
    }
    if (fits) return out;
  }
  checkSize(4);
  const out = new Float32Array(total);
  slices.forEach(({ geometry: g, pixels }, k) => {
    const base = k * pixelsPerFrame;
    for (let i = 0; i < pixelsPerFrame; i++) out[base + i] = pixels[i]! * g.rescaleSlope + g.rescaleIntercept;
  });
  return out;
}

// Split by array type so that V8 compiles the hot loop for one element kind (a loop over the
// PixelArray union is several times slower on a 512x512x300 CT).
function rescaleInt16Checked(
  out: Int16Array,
  base: number,
  pixels: Int16Array,
  n: number,
  m: number,
  b: number,
): boolean {
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = pixels[i]! * m + b;
    if (v < min) min = v;
    else if (v > max) max = v;
    out[base + i] = v;
  }
  return min >= -32768 && max <= 32767;
}

function rescaleAnyChecked(
  out: Int16Array,
  base: number,
  pixels: PixelArray,
  n: number,
  m: number,
  b: number,
): boolean {
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = pixels[i]! * m + b;
    if (v < min) min = v;
    else if (v > max) max = v;
    out[base + i] = v;
  }
  return min >= -32768 && max <= 32767;
}

function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
