import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
import type { Grid } from '../../../core/imaging/grid';
import type { Volume } from '../../../core/imaging/volume';
import { AppException } from '../../../core/ipc/result';
import { chooseSegment, type NamedSegment } from '../../../core/masks/chooseSegment';
import { labelMask } from '../../../core/masks/labelMask';
import { MaskGridError } from '../../../core/masks/maskGridError';
import { maskOnGrid } from '../../../core/masks/maskOnGrid';
import { MaskReadError } from '../../../core/masks/maskReadError';
import { readNrrd } from '../../../core/masks/readNrrd';
import { readSeg } from '../../../core/masks/readSeg';
import { readSegContents } from '../../../core/masks/segContents';
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
}

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
  /** False when the mask was already on the target grid voxel for voxel. */
  resampled: boolean;
  /** One sentence each: mask voxels dropped outside the grid, an empty result. */
  warnings: string[];
}

/**
 * Reads a liver or tumour mask from a DICOM SEG (BINARY, FRACTIONAL or LABELMAP; any transfer
 * syntax `decodeFrames` decodes, incl. RLE and JPEG 2000), a NIfTI-1 (.nii, .nii.gz) or a NRRD
 * (.nrrd) file and places it on a target grid (the arterial CT) by patient position
 * (`maskOnGrid`: as is when the grids are the same, else nearest neighbour).
 * The format is recognised from the content (DICM prefix, NRRD magic, NIfTI header or gzip),
 * then the extension (.dcm without preamble).
 * @throws AppException('IO') when the file cannot be read
 * @throws AppException('INVALID_INPUT') for a fractional threshold outside (0, 1]
 * @throws AppException('INVALID_INPUT') for a file that is no mask (another DICOM object, not
 *   DICOM/NIfTI/NRRD), an unknown or ambiguous segment, a NIfTI/NRRD that cannot be read, or a
 *   mask that does not fit the grid (rotated, no overlap: the message names both geometries)
 * @throws AppException('DICOM') for a SEG that cannot be parsed or decoded, or whose frames do
 *   not form one grid
 */
export async function loadMask(filePath: string, targetGrid: Grid, options: LoadMaskOptions = {}): Promise<LoadedMask> {
  const name = basename(filePath);
  let bytes: Uint8Array;
  try {
    const buffer = await readFile(filePath);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppException('IO', `Mask file ${name} cannot be read${code ? ` (${code})` : ''}.`, { cause: err });
  }
  const threshold = options.fractionalThreshold;
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
    throw new AppException('INVALID_INPUT', `The fractional threshold must be above 0 and at most 1, got ${threshold}.`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format = detectFormat(bytes, name);
  if (!format) {
    throw new AppException('INVALID_INPUT', `Mask file ${name} is not a DICOM SEG, NIfTI (.nii, .nii.gz) or NRRD (.nrrd) mask.`);
  }

  try {
    const read = format === 'seg' ? await readSegMask(bytes, targetGrid, options) : format === 'nifti' ? readLabelImage(readNifti(bytes).volume, [], options) : readNrrdMask(bytes, options);
    const placed = maskOnGrid(read.mask, targetGrid);
    const warnings: string[] = [];
    if (placed.voxelsOutside > 0) warnings.push(`${placed.voxelsOutside} voxels of the mask in ${name} lie outside the CT and were left out.`);
    if (placed.voxels === 0) warnings.push(`The mask in ${name} is empty on this CT.`);
    const loaded: LoadedMask = { mask: placed.mask, voxels: placed.voxels, volumeMl: placed.volumeMl, source: format, sha256, resampled: placed.resampled, warnings };
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

async function readSegMask(bytes: Uint8Array, targetGrid: Grid, options: LoadMaskOptions): Promise<ReadMask> {
  const parsed = parseDicom(bytes);
  const contents = readSegContents(parsed);
  const segment = chooseSegment(contents.segments, options.segment);
  const { frames } = await decodeFrames(parsed);
  const segMasks = readSeg(parsed, { frames, segmentNumbers: [segment.segmentNumber], targetGrid, fractionalThreshold: options.fractionalThreshold ?? 0.5 });
  return { mask: segMasks.masks[0]!.mask, segmentLabel: segment.label, segmentNumber: segment.segmentNumber };
}

function readNrrdMask(bytes: Uint8Array, options: LoadMaskOptions): ReadMask {
  const image = readNrrd(bytes);
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
    if (named.length === 0) throw new MaskReadError('no-such-segment', `The file names no segments; choose a label value (a number) instead of "${wanted}".`);
    const segment = chooseSegment(named, wanted);
    return { mask: requireLabel(volume, segment.segmentNumber), segmentLabel: segment.label, segmentNumber: segment.segmentNumber };
  }
  if (wanted === undefined) {
    const only = named[0];
    return only ? { mask: labelMask(volume), segmentLabel: only.label } : { mask: labelMask(volume) };
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
  throw new MaskReadError('no-such-segment', `No voxel has label ${label}; the file holds ${present.size === 0 ? 'no labels (it is empty)' : `labels ${[...present].sort((a, b) => a - b).join(', ')}`}.`);
}

function toAppException(err: unknown, name: string, format: MaskFileFormat): AppException {
  const say = (code: 'INVALID_INPUT' | 'DICOM', message: string) => new AppException(code, `Mask file ${name}: ${message}`, { cause: err });
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
  return say('INVALID_INPUT', `the ${format === 'seg' ? 'DICOM SEG' : format === 'nifti' ? 'NIfTI' : 'NRRD'} file could not be read (${err instanceof Error ? err.message : String(err)}).`);
}
