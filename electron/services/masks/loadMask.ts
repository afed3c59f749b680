import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
import type { Grid } from '../../../core/imaging/grid';
import type { Volume } from '../../../core/imaging/volume';
import { AppException } from '../../../core/ipc/result';
import { gunzipDefaultMaxBytes } from '../../../core/gzip/gunzip';
import { voxelCount } from '../../../core/imaging/volume';
import { chooseSegment, type NamedSegment } from '../../../core/masks/chooseSegment';
import { labelMask } from '../../../core/masks/labelMask';
import { liverVolumeWarning, maskChecks, type MaskChecks } from '../../../core/masks/maskChecks';
import { MaskGridError } from '../../../core/masks/maskGridError';
import { maskOnGrid } from '../../../core/masks/maskOnGrid';
import { MaskReadError } from '../../../core/masks/maskReadError';
import { readNrrd } from '../../../core/masks/readNrrd';
import { readSeg } from '../../../core/masks/readSeg';
import { readSegContents } from '../../../core/masks/segContents';
import {
  describeReferenceMismatches,
  segReferenceMismatches,
  type ExamReference,
  type ReferenceMismatch,
} from '../../../core/masks/segReferenceMismatches';
import { NiftiParseError, readNifti } from '../../../core/nifti/readNifti';
import { decodeFrames } from '../dicom/decodeFrame';

export type MaskFileFormat = 'seg' | 'nifti' | 'nrrd';

export interface LoadMaskOptions {
  /**
   * Which segment: for a DICOM SEG its segment number or label (or property type, e.g. "Liver");
   * for NIfTI/NRRD a label value, or for a 3D Slicer .seg.nrrd a segment name. Default: the
   * only segment of a SEG (several → INVALID_INPUT listing them); every non-zero voxel of a
   * NIfTI/NRRD (a Slicer file naming several segments → INVALID_INPUT listing them).
   */
  segment?: number | string;
  /** FRACTIONAL SEGs: a pixel is inside at value ≥ threshold × Maximum Fractional Value; default 0.5. */
  fractionalThreshold?: number;
  /**
   * The exam the mask is for (its CT series, Frame of Reference and patient): a DICOM SEG that
   * references other images is refused with NEEDS_CONFIRMATION, naming both, unless
   * `allowOtherReference`. Without it (a bare grid, as in tests), references are not checked.
   */
  exam?: ExamReference;
  /** Attach a SEG of other images anyway (the coordinator confirmed it); `checks.overridden` says what differed. */
  allowOtherReference?: boolean;
  /**
   * Whether the mask is a whole-liver mask, whose volume is checked against the plausible range
   * (a warning, `liverVolumeWarning`); default true.
   */
  liver?: boolean;
}

/** Less than this fraction of a mask's foreground inside the CT grid: refused (it belongs to another field of view). */
export const minMaskInsideFraction = 0.5;

/**
 * More than this fraction of a mask's foreground outside the CT grid, and at least
 * `maxOutsideMl` of it, is refused too: a liver mask of this CT lies inside it whole. The
 * fraction leaves room for a mask of a slightly wider reconstruction (reported in the warnings);
 * the volume for the few voxels of a tiny mask at the edge. A SEG whose Rows and Columns were
 * made half and double (half its liver off the CT, LETB 7.1 % -> 0.4 %) is refused.
 */
export const maxOutsideFraction = 0.05;
export const maxOutsideMl = 1;

export interface LoadedMask {
  /** On the target grid, 1 inside, 0 elsewhere. */
  mask: Volume<Uint8Array>;
  voxels: number;
  /** voxels × sx·sy·sz / 1000 of the target grid. */
  volumeMl: number;
  source: MaskFileFormat;
  /** The segment's label (SEG) or name (3D Slicer NRRD), when the file names it. */
  segmentLabel?: string;
  /** The segment number (SEG) or label value (NIfTI/NRRD) chosen, when one was. */
  segmentNumber?: number;
  /** sha256 of the file bytes, hex. */
  sha256: string;
  /** The file's name, without its folder. */
  fileName: string;
  /** False when the mask was already on the target grid voxel for voxel. */
  resampled: boolean;
  /** One sentence each: mask voxels dropped outside the grid, an empty result, an implausible liver volume. */
  warnings: string[];
  /** The result of the identity and sanity checks (the warnings, and a SEG reference override). */
  checks: MaskChecks;
}

/**
 * Reads a liver or tumour mask from a DICOM SEG (BINARY, FRACTIONAL or LABELMAP; any transfer
 * syntax `decodeFrames` decodes, incl. RLE and JPEG 2000), a NIfTI-1 (.nii, .nii.gz) or a NRRD
 * (.nrrd) file and places it on a target grid (the arterial CT) by patient position
 * (`maskOnGrid`: as is when the grids are the same, else nearest neighbour).
 * The format is recognised from the content (DICM prefix, NRRD magic, NIfTI header or gzip),
 * then the extension (.dcm without preamble).
 * Checks (issue 12 item 7), stored with the mask as `checks`:
 * - memory: the mask's own grid may not have more than 8× the CT's voxels, nor its file or
 *   inflated data more than 8 bytes per CT voxel (`maskLimits`), judged from its header before
 *   its voxels are inflated or allocated;
 * - geometry: readers and `maskOnGrid` refuse unusable voxel sizes, origins and axes;
 * - identity: a SEG must reference the exam's CT series, Frame of Reference and patient
 *   (`segReferenceMismatches`), else NEEDS_CONFIRMATION unless `allowOtherReference`;
 * - extent: less than half of the mask's foreground inside the CT grid is refused (NIfTI and
 *   NRRD carry no UIDs: their position is all that ties them to the CT);
 * - volume: a liver mask outside 300-6,000 mL on the CT is a warning.
 * @throws AppException('IO') when the file cannot be read
 * @throws AppException('INVALID_INPUT') for a fractional threshold outside (0, 1]
 * @throws AppException('INVALID_INPUT') for a file that is no mask (another DICOM object, not
 *   DICOM/NIfTI/NRRD), an unknown or ambiguous segment, a NIfTI/NRRD that cannot be read, a mask
 *   too large to read, or one that does not fit the grid (rotated, no or too little overlap,
 *   unusable geometry: the message names both geometries)
 * @throws AppException('NEEDS_CONFIRMATION') for a SEG of other images (both sides named)
 * @throws AppException('DICOM') for a SEG that cannot be parsed or decoded, whose frames do
 *   not form one grid or disagree with its header
 */
export async function loadMask(filePath: string, targetGrid: Grid, options: LoadMaskOptions = {}): Promise<LoadedMask> {
  const name = basename(filePath);
  const limits = maskLimits(targetGrid);
  let bytes: Uint8Array;
  try {
    const { size } = await stat(filePath);
    if (size > limits.maxBytes)
      throw new AppException(
        'INVALID_INPUT',
        `Mask file ${name} holds ${size} bytes; mask files of at most ${limits.maxBytes} bytes are read.`,
      );
    const buffer = await readFile(filePath);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (err) {
    if (err instanceof AppException) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppException('IO', `Mask file ${name} cannot be read${code ? ` (${code})` : ''}.`, { cause: err });
  }
  const threshold = options.fractionalThreshold;
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
    throw new AppException(
      'INVALID_INPUT',
      `The fractional threshold must be above 0 and at most 1, got ${threshold}.`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format = detectFormat(bytes, name);
  if (!format) {
    throw new AppException(
      'INVALID_INPUT',
      `Mask file ${name} is not a DICOM SEG, NIfTI (.nii, .nii.gz) or NRRD (.nrrd) mask.`,
    );
  }

  try {
    const read =
      format === 'seg'
        ? await readSegMask(bytes, targetGrid, options, limits, name)
        : format === 'nifti'
          ? readLabelImage(readNifti(bytes, limits).volume, [], options)
          : readNrrdMask(bytes, options, limits);
    const placed = maskOnGrid(read.mask, targetGrid, { minInsideFraction: minMaskInsideFraction });
    const warnings: string[] = [];
    if (placed.voxelsOutside > 0) {
      const [sx, sy, sz] = read.mask.spacingMm;
      const outsideMl = (placed.voxelsOutside * sx * sy * sz) / 1000;
      const fraction = placed.voxelsOutside / placed.maskVoxels;
      if (fraction > maxOutsideFraction && outsideMl >= maxOutsideMl) {
        throw new AppException(
          'INVALID_INPUT',
          `Mask file ${name}: ${(fraction * 100).toFixed(1)} % of its ${placed.maskVoxels} voxels (${outsideMl.toFixed(1)} mL) lie outside the CT (at most ${maxOutsideFraction * 100} % may): it was drawn on other images or another field of view.`,
        );
      }
      warnings.push(`${placed.voxelsOutside} voxels of the mask in ${name} lie outside the CT and were left out.`);
    }
    if (placed.voxels === 0) warnings.push(`The mask in ${name} is empty on this CT.`);
    else if (options.liver !== false) {
      const volume = liverVolumeWarning(placed.volumeMl);
      if (volume) warnings.push(volume);
    }
    const loaded: LoadedMask = {
      mask: placed.mask,
      voxels: placed.voxels,
      volumeMl: placed.volumeMl,
      source: format,
      sha256,
      fileName: name,
      resampled: placed.resampled,
      warnings,
      checks: maskChecks(warnings, read.overridden ?? []),
    };
    if (read.segmentLabel !== undefined) loaded.segmentLabel = read.segmentLabel;
    if (read.segmentNumber !== undefined) loaded.segmentNumber = read.segmentNumber;
    return loaded;
  } catch (err) {
    throw toAppException(err, name, format);
  }
}

interface ReadMask {
  mask: Volume;
  segmentLabel?: string;
  segmentNumber?: number;
  /** A SEG's references that differ from the exam's, attached anyway. */
  overridden?: ReferenceMismatch[];
}

/**
 * NEEDS_CONFIRMATION for a SEG of other images than the exam's, naming both sides; callers add
 * how to confirm (the UI's dialog, the CLI's --allow-other-reference).
 */
export function otherReferenceRefusal(fileName: string, mismatches: readonly ReferenceMismatch[]): AppException {
  return new AppException(
    'NEEDS_CONFIRMATION',
    `Mask file ${fileName} is a DICOM SEG of other images than this CT: ${describeReferenceMismatches(mismatches)}.`,
  );
}

/**
 * How large a mask may be for this CT: 8 voxels per CT voxel (a grid twice as fine along every
 * axis) and 8 bytes per CT voxel once inflated (uint8 on that finer grid, float64 on the CT's
 * own), within [2^26, 2^30] voxels and [64 MiB, 2 GiB]. Judged from the file's header, so a
 * hostile file costs at most this much memory before it is refused.
 */
export function maskLimits(target: Grid): { maxVoxels: number; maxBytes: number } {
  const ct = voxelCount(target.dims);
  return {
    maxVoxels: Math.min(2 ** 30, Math.max(2 ** 26, 8 * ct)),
    maxBytes: Math.min(gunzipDefaultMaxBytes, Math.max(2 ** 26, 8 * ct)),
  };
}

function detectFormat(bytes: Uint8Array, name: string): MaskFileFormat | undefined {
  const text = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n));
  if (text(0, 4) === 'NRRD') return 'nrrd';
  if (bytes.length >= 132 && text(128, 4) === 'DICM') return 'seg';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'nifti';
  if (bytes.length >= 348) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
    if (view.getInt32(0, true) === 348 || view.getInt32(0, false) === 348) return 'nifti';
  }
  if (/\.(dcm|dicom)$/i.test(name)) return 'seg';
  return undefined;
}

async function readSegMask(
  bytes: Uint8Array,
  targetGrid: Grid,
  options: LoadMaskOptions,
  limits: { maxVoxels: number },
  name: string,
): Promise<ReadMask> {
  const parsed = parseDicom(bytes);
  const contents = readSegContents(parsed);
  // Identity first: a SEG of other images is refused before its frames are decoded.
  const mismatches = options.exam ? segReferenceMismatches(contents, options.exam) : [];
  if (mismatches.length > 0 && !options.allowOtherReference) throw otherReferenceRefusal(name, mismatches);
  const segment = chooseSegment(contents.segments, options.segment);
  const { frames } = await decodeFrames(parsed);
  const segMasks = readSeg(parsed, {
    frames,
    segmentNumbers: [segment.segmentNumber],
    targetGrid,
    fractionalThreshold: options.fractionalThreshold ?? 0.5,
    maxVoxels: limits.maxVoxels,
  });
  return {
    mask: segMasks.masks[0]!.mask,
    segmentLabel: segment.label,
    segmentNumber: segment.segmentNumber,
    overridden: mismatches,
  };
}

function readNrrdMask(
  bytes: Uint8Array,
  options: LoadMaskOptions,
  limits: { maxVoxels: number; maxBytes: number },
): ReadMask {
  const image = readNrrd(bytes, limits);
  // 3D Slicer .seg.nrrd: Segment<N>_Name and Segment<N>_LabelValue (label value 1 when absent).
  const named: NamedSegment[] = [];
  for (const [key, value] of Object.entries(image.keyValues)) {
    const m = /^Segment(\d+)_Name$/.exec(key);
    if (!m) continue;
    const labelValue = Number(image.keyValues[`Segment${m[1]}_LabelValue`] ?? '1');
    if (Number.isInteger(labelValue)) named.push({ segmentNumber: labelValue, label: value });
  }
  return readLabelImage(image.volume, named, options);
}

/** NIfTI / NRRD: a label value, a Slicer segment name, or every non-zero voxel. */
function readLabelImage(volume: Volume, named: readonly NamedSegment[], options: LoadMaskOptions): ReadMask {
  const wanted = options.segment;
  if (typeof wanted === 'string' || (wanted === undefined && named.length > 1)) {
    if (named.length === 0)
      throw new MaskReadError(
        'no-such-segment',
        `The file names no segments; choose a label value (a number) instead of "${wanted}".`,
      );
    const segment = chooseSegment(named, wanted);
    return {
      mask: requireLabel(volume, segment.segmentNumber),
      segmentLabel: segment.label,
      segmentNumber: segment.segmentNumber,
    };
  }
  if (wanted === undefined) {
    // Every non-zero voxel: maskOnGrid reads the label image as it is (non-zero, not NaN), without a 0/1 copy of it.
    const only = named[0];
    return only ? { mask: volume, segmentLabel: only.label } : { mask: volume };
  }
  const label = named.find((s) => s.segmentNumber === wanted)?.label;
  const mask = requireLabel(volume, wanted);
  return label === undefined ? { mask, segmentNumber: wanted } : { mask, segmentNumber: wanted, segmentLabel: label };
}

function requireLabel(volume: Volume, label: number): Volume<Uint8Array> {
  const mask = labelMask(volume, label);
  if (mask.voxels.includes(1)) return mask;
  const present = new Set<number>();
  for (const v of volume.voxels) {
    if (v !== 0 && present.size < 20) present.add(v);
  }
  throw new MaskReadError(
    'no-such-segment',
    `No voxel has label ${label}; the file holds ${present.size === 0 ? 'no labels (it is empty)' : `labels ${[...present].sort((a, b) => a - b).join(', ')}`}.`,
  );
}

function toAppException(err: unknown, name: string, format: MaskFileFormat): AppException {
  const say = (code: 'INVALID_INPUT' | 'DICOM', message: string) =>
    new AppException(code, `Mask file ${name}: ${message}`, { cause: err });
  if (err instanceof AppException) return err.code === 'DICOM' ? say('DICOM', err.message) : err;
  if (err instanceof MaskGridError) return say('INVALID_INPUT', `it cannot be placed on the CT. ${err.message}`);
  if (err instanceof MaskReadError) {
    const dicomProblem = format === 'seg' && (err.kind === 'unsupported' || err.kind === 'malformed');
    return say(dicomProblem ? 'DICOM' : 'INVALID_INPUT', err.message);
  }
  if (err instanceof DicomParseError) return say(err.kind === 'not-dicom' ? 'INVALID_INPUT' : 'DICOM', err.message);
  if (err instanceof DicomDataError) return say('DICOM', err.message);
  if (err instanceof NiftiParseError) return say('INVALID_INPUT', `not a readable NIfTI-1 mask: ${err.message}`);
  // Readers validate what they read; anything else is a file they did not foresee, still not a crash.
  return say(
    'INVALID_INPUT',
    `the ${format === 'seg' ? 'DICOM SEG' : format === 'nifti' ? 'NIfTI' : 'NRRD'} file could not be read (${err instanceof Error ? err.message : String(err)}).`,
  );
}
