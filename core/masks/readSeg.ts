import { decodeCoreFrame } from '../dicom/decodeCoreFrame';
import type { DicomDataset, ParsedDicom } from '../dicom/parseDicom';
import type { PixelArray } from '../dicom/pixelArray';
import { getEncodedFrames, getPixelInfo } from '../dicom/pixelData';
import { readSliceHeader } from '../dicom/sliceHeader';
import { sliceNormal } from '../dicom/sliceNormal';
import { T } from '../dicom/tags';
import { getItems, getNumber } from '../dicom/values';
import type { Grid } from '../imaging/grid';
import type { Volume } from '../imaging/volume';
import { gridProblem } from './gridProblem';
import { MaskReadError } from './maskReadError';
import { readSegContents, type SegContents, type SegSegmentInfo } from './segContents';
import { stackFrames } from './stackFrames';

/** One segment of a SEG as a binary mask on the SEG's own frame grid. */
export interface SegSegmentMask extends SegSegmentInfo {
  /** 1 inside the segment, 0 elsewhere. */
  mask: Volume<Uint8Array>;
  /** Number of voxels set. */
  voxels: number;
}

export interface SegMasks extends SegContents {
  /** The grid every mask is on (see `stackFrames`). */
  grid: Grid;
  /** The masks of the segments asked for, in Segment Sequence order. */
  masks: SegSegmentMask[];
}

export interface ReadSegOptions {
  /**
   * The decoded frames, one per frame in frame order (e.g. from the Node-side codecs for JPEG
   * 2000). When absent, frames are decoded with the core decoders (native, RLE, deflate).
   */
  frames?: readonly PixelArray[];
  /** Only these segment numbers (default: every segment). */
  segmentNumbers?: readonly number[];
  /**
   * FRACTIONAL only: a pixel is in the segment when value ≥ threshold × Maximum Fractional
   * Value. Default 0.5 (50 %, so 128 of 255 is in, 127 is out).
   */
  fractionalThreshold?: number;
  /**
   * The grid the masks are meant for (e.g. the arterial CT): when one of its axes is parallel to
   * the SEG's slice normal, its spacing is tried first for the SEG's slices, so that sparse frames
   * land on the CT's slices by position.
   */
  targetGrid?: Grid;
  /** Refuse a SEG whose frames stack to a grid of more voxels than this (default 2^30), before allocating it. */
  maxVoxels?: number;
}

const parallelTolerance = 1e-3;

/**
 * Reads a DICOM Segmentation (PS3.3 A.51) into one binary mask per segment on the SEG's own
 * frame geometry. Frame geometry comes from the Per-Frame / Shared Functional Groups
 * (Plane Position, Plane Orientation, Pixel Measures; `readSliceHeader`); frames may be sparse,
 * in any order and interleave segments: each is placed on the slice of its position
 * (`stackFrames`), never by its index. The segment of a frame is its Segment Identification
 * (per-frame, else shared, else the only segment).
 * - BINARY: pixel ≠ 0 is in the segment.
 * - FRACTIONAL: pixel ≥ `fractionalThreshold` (default 0.5) × Maximum Fractional Value is in.
 * - LABELMAP: pixel value v puts the voxel in segment v; pixels equal to Pixel Padding Value
 *   are in no segment; segment 0 (background) gives no mask.
 * Two frames of one segment on one slice are combined (logical or).
 * The SEG must agree with itself: native Pixel Data holds exactly Rows × Columns × Number of
 * Frames × Bits Allocated bits (rounded up to whole bytes and an even length), the decoded
 * frames are as many and as large as the header says, and the stacked grid has orthogonal axes
 * (`gridProblem`) and at most `maxVoxels` voxels.
 * Reference: DICOM PS3.3 §C.8.20.2 (Segmentation Image), §C.8.20.3 (Segmentation functional
 * groups), §C.7.6.16 (Multi-frame Functional Groups); PS3.5 §8.1.1 (native pixel data).
 * @throws MaskReadError from `readSegContents` and `stackFrames`; ('no-such-segment') for a
 *   requested segment number the SEG lacks; ('malformed') when a frame's segment is unknown, the
 *   pixel data or decoded frames disagree with Rows, Columns and Number of Frames, or the frames'
 *   axes are not orthogonal; ('too-large') beyond `maxVoxels`
 * @throws DicomDataError from `readSliceHeader`, `getPixelInfo` and the core decoders (e.g.
 *   'unsupported' for JPEG 2000 without `frames`)
 * @throws RangeError when the threshold is not in (0, 1]
 */
export function readSeg(parsed: ParsedDicom, options: ReadSegOptions = {}): SegMasks {
  const threshold = options.fractionalThreshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1))
    throw new RangeError(`fractionalThreshold must be in (0, 1], got ${threshold}`);
  const contents = readSegContents(parsed);
  const header = readSliceHeader(parsed);
  const { rows, columns } = header;
  const frameCount = header.frames.length;

  const wanted = options.segmentNumbers
    ? [...new Set(options.segmentNumbers)]
    : contents.segments.map((s) => s.segmentNumber);
  for (const n of wanted) {
    if (!contents.segments.some((s) => s.segmentNumber === n)) {
      throw new MaskReadError(
        'no-such-segment',
        `Segment ${n} is not in this SEG; it holds ${listSegments(contents.segments)}.`,
      );
    }
  }

  checkNativeLength(parsed);
  const ds = parsed.dataset;
  const stack = stackFrames(header.frames, rows, columns, {
    preferredSpacingMm: preferredSpacing(
      header.frames[0]!.rowCosines,
      header.frames[0]!.columnCosines,
      options.targetGrid,
    ),
    statedSpacingsMm: [header.spacingBetweenSlicesMm, header.sliceThicknessMm],
  });
  const problem = gridProblem(stack.grid);
  if (problem)
    throw new MaskReadError(
      'malformed',
      `The SEG's frame geometry (Image Orientation, Pixel Spacing, positions) cannot place the mask: ${problem}.`,
    );
  const [nx, ny, nz] = stack.grid.dims;
  const maxVoxels = options.maxVoxels ?? 2 ** 30;
  if (nx * ny * nz > maxVoxels)
    throw new MaskReadError(
      'too-large',
      `The SEG's frames stack to ${nx}x${ny}x${nz} = ${nx * ny * nz} voxels; masks of at most ${maxVoxels} voxels are read.`,
    );

  const frames = options.frames ?? decodeInCore(parsed);
  if (frames.length !== frameCount)
    throw new MaskReadError(
      'malformed',
      `The SEG's pixel data decodes to ${frames.length} frames, but Number of Frames and the frame headers say ${frameCount}.`,
    );
  const pixelsPerFrame = rows * columns;
  frames.forEach((f, n) => {
    if (f.length !== pixelsPerFrame)
      throw new MaskReadError(
        'malformed',
        `Frame ${n + 1} of the SEG decodes to ${f.length} pixels, but Rows × Columns = ${rows} × ${columns} = ${pixelsPerFrame}.`,
      );
  });

  const sliceSize = nx * ny;
  const order = contents.segments.filter((s) => wanted.includes(s.segmentNumber));
  const voxelsOf = new Map<number, Uint8Array>(order.map((s) => [s.segmentNumber, new Uint8Array(sliceSize * nz)]));

  if (contents.segmentationType === 'LABELMAP') {
    const padding = pixelPaddingValue(ds);
    for (let f = 0; f < frameCount; f++) {
      const pixels = frames[f]!;
      const base = stack.sliceOfFrame[f]! * sliceSize;
      for (let p = 0; p < pixelsPerFrame; p++) {
        const v = pixels[p]!;
        if (v === 0 || v === padding) continue;
        const out = voxelsOf.get(v);
        if (out) out[base + p] = 1;
      }
    }
  } else {
    const segmentOfFrame = frameSegments(ds, frameCount, contents.segments);
    const cut =
      contents.segmentationType === 'FRACTIONAL' ? threshold * contents.maximumFractionalValue! : Number.MIN_VALUE;
    for (let f = 0; f < frameCount; f++) {
      const out = voxelsOf.get(segmentOfFrame[f]!);
      if (!out) continue;
      const pixels = frames[f]!;
      const base = stack.sliceOfFrame[f]! * sliceSize;
      // BINARY: any non-zero value (cut is the smallest positive number); FRACTIONAL: ≥ cut.
      for (let p = 0; p < pixelsPerFrame; p++) if (pixels[p]! >= cut) out[base + p] = 1;
    }
  }

  const masks = order.map((s): SegSegmentMask => {
    const voxels = voxelsOf.get(s.segmentNumber)!;
    let count = 0;
    for (let n = 0; n < voxels.length; n++) count += voxels[n]!;
    return { ...s, mask: { ...copyGrid(stack.grid), voxels }, voxels: count };
  });
  return { ...contents, grid: stack.grid, masks };
}

/**
 * Native (uncompressed) Pixel Data must hold exactly the frames the header describes: a SEG
 * whose Rows, Columns or Number of Frames are wrong would otherwise be read with its pixels
 * shifted onto other rows and slices (a longer value is not padding: DICOM pads to an even
 * length only). Encapsulated data is checked frame by frame once decoded.
 */
function checkNativeLength(parsed: ParsedDicom): void {
  const element = parsed.dataset.elements.get(T.PixelData);
  if (!element || element.fragments) return;
  const info = getPixelInfo(parsed);
  const bits = info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated * info.numberOfFrames;
  const bytes = Math.ceil(bits / 8);
  if (element.length !== bytes && element.length !== bytes + (bytes % 2)) {
    throw new MaskReadError(
      'malformed',
      `The SEG's Pixel Data holds ${element.length} bytes, but Rows × Columns × Number of Frames = ${info.rows} × ${info.columns} × ${info.numberOfFrames} at ${info.bitsAllocated} bit${info.bitsAllocated === 1 ? '' : 's'} need ${bytes}${bytes % 2 ? ` (${bytes + 1} padded)` : ''}: its dimensions disagree with its data.`,
    );
  }
}

function decodeInCore(parsed: ParsedDicom): PixelArray[] {
  const info = getPixelInfo(parsed);
  return getEncodedFrames(parsed, info).map((frame) => decodeCoreFrame(frame, info, parsed.transferSyntax.uid));
}

/** The segment number of every frame: Segment Identification per frame, else shared, else the only segment. */
function frameSegments(ds: DicomDataset, frameCount: number, segments: readonly SegSegmentInfo[]): number[] {
  const perFrame = getItems(ds, T.PerFrameFunctionalGroupsSequence);
  const shared = getItems(ds, T.SharedFunctionalGroupsSequence)[0];
  const fromGroup = (group: DicomDataset | undefined) => {
    const item = group ? getItems(group, T.SegmentIdentificationSequence)[0] : undefined;
    return item ? getNumber(item, T.ReferencedSegmentNumber) : undefined;
  };
  const sharedNumber = fromGroup(shared);
  const out: number[] = [];
  for (let f = 0; f < frameCount; f++) {
    const n =
      fromGroup(perFrame[f]) ?? sharedNumber ?? (segments.length === 1 ? segments[0]!.segmentNumber : undefined);
    if (n === undefined)
      throw new MaskReadError(
        'malformed',
        `Frame ${f + 1} names no segment (Segment Identification Sequence) and the SEG holds ${segments.length}.`,
      );
    if (!segments.some((s) => s.segmentNumber === n))
      throw new MaskReadError(
        'malformed',
        `Frame ${f + 1} belongs to segment ${n}, which the Segment Sequence does not describe.`,
      );
    out.push(n);
  }
  return out;
}

/**
 * Pixel Padding Value (0028,0120), US or SS by Pixel Representation; read from its bytes when
 * an implicit-VR file leaves its VR unknown.
 */
function pixelPaddingValue(ds: DicomDataset): number | undefined {
  const el = ds.elements.get(T.PixelPaddingValue);
  if (!el || el.length < 2) return undefined;
  if (el.vr === 'US' || el.vr === 'SS') return getNumber(ds, T.PixelPaddingValue);
  const b = ds.bytes;
  const u = ds.littleEndian ? b[el.offset]! | (b[el.offset + 1]! << 8) : (b[el.offset]! << 8) | b[el.offset + 1]!;
  return getNumber(ds, T.PixelRepresentation) === 1 ? (u << 16) >> 16 : u;
}

function preferredSpacing(
  row: readonly [number, number, number],
  column: readonly [number, number, number],
  target: Grid | undefined,
): number | undefined {
  if (!target) return undefined;
  const n = sliceNormal([row[0], row[1], row[2]], [column[0], column[1], column[2]]);
  for (let c = 0; c < 3; c++) {
    const d = target.direction;
    const cos = Math.abs(d[3 * c]! * n[0] + d[3 * c + 1]! * n[1] + d[3 * c + 2]! * n[2]);
    if (Math.sqrt(Math.max(0, 1 - cos * cos)) <= parallelTolerance) return target.spacingMm[c];
  }
  return undefined;
}

function copyGrid(g: Grid): Grid {
  return { dims: [...g.dims], spacingMm: [...g.spacingMm], originMm: [...g.originMm], direction: [...g.direction] };
}

function listSegments(segments: readonly SegSegmentInfo[]): string {
  return segments.map((s) => `${s.segmentNumber} "${s.label}"`).join(', ');
}
