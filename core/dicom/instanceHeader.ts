import { DicomDataError } from './dicomDataError';
import { printable, type DicomElement, type ParsedDicom } from './parseDicom';
import { getPixelInfo, type PixelInfo } from './pixelData';
import { readSliceHeader, type SliceHeader } from './sliceHeader';
import { T } from './tags';
import { getNumber, getNumbers, getString, getStrings, getItems } from './values';

/**
 * What the import indexes of one DICOM instance, in camelCase (DICOM keywords stay inside
 * core/dicom). Geometry is in LPS millimetres, as DICOM defines it.
 */
export interface InstanceHeader {
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  transferSyntaxUid: string;
  patientId: string;
  patientName: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  accessionNumber: string;
  institutionName: string;
  modality: string;
  seriesDescription: string;
  seriesNumber: number | null;
  seriesDate: string;
  seriesTime: string;
  manufacturer: string;
  frameOfReferenceUid: string;
  imageType: string[];
  instanceNumber: number | null;
  acquisitionDate: string;
  acquisitionTime: string;
  contentTime: string;
  contrastAgent: string;
  contrastStartTime: string;
  imagePositionPatient: number[] | null;
  imageOrientationPatient: number[] | null;
  pixelSpacingMm: number[] | null;
  sliceThicknessMm: number | null;
  rows: number | null;
  columns: number | null;
  bitsAllocated: number | null;
  pixelRepresentation: number | null;
  rescaleSlope: number | null;
  rescaleIntercept: number | null;
  numberOfFrames: number;
  /** Image Position (Patient) of every frame of a multi-frame object, LPS mm; null for one frame. */
  framePositions: number[][] | null;
  /**
   * Why this image cannot become part of a volume, one sentence each (empty when it can): found
   * from the header alone, so a series is known not to load before anyone opens it.
   */
  problems: string[];
}

/**
 * An image to index (possibly with `header.problems`), or a file the index cannot hold, with
 * the reason. `seriesInstanceUid` on a skip names the series the file would have joined when the
 * file is an image of it that is missing from the index for a defect of its own (so the series
 * can say it is incomplete).
 */
export type FileVerdict =
  { kind: 'image'; header: InstanceHeader } | { kind: 'skip'; reason: string; seriesInstanceUid?: string };

export interface ClassifyOptions {
  /** Whether pixel data of this transfer syntax can be decoded (the codecs live outside core/). */
  canDecode?: (transferSyntaxUid: string) => boolean;
}

/** Range of an IS value (PS3.5 Table 6.2-1), which is also what the index stores as INTEGER. */
const isMin = -(2 ** 31);
const isMax = 2 ** 31 - 1;

const dicomdirClass = '1.2.840.10008.1.3.10';
const sopClassNames: Record<string, string> = {
  '1.2.840.10008.1.3.10': 'DICOMDIR',
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR',
  '1.2.840.10008.5.1.4.1.1.481.1': 'RT Image',
  '1.2.840.10008.5.1.4.1.1.481.2': 'RT Dose',
  '1.2.840.10008.5.1.4.1.1.481.3': 'RT Structure Set',
  '1.2.840.10008.5.1.4.1.1.481.5': 'RT Plan',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
  '1.2.840.10008.5.1.4.1.1.88.59': 'Key Object Selection',
  '1.2.840.10008.5.1.4.1.1.67': 'Real World Value Mapping',
  '1.2.840.10008.5.1.4.1.1.9.1.1': '12-lead ECG waveform',
};

/** DICOM UIDs: digits and dots (PS3.5 §9.1); the contract checks payloads with it too. */
export const uidPattern = /^[0-9]+(\.[0-9]+)*$/;
/** Longest DICOM UID (PS3.5 §9.1). */
export const maxUidLength = 64;

/** True for a DICOM UID: numeric components separated by dots, at most 64 characters (PS3.5 §9.1). */
export function isDicomUid(uid: string): boolean {
  return uid.length <= maxUidLength && uidPattern.test(uid);
}

/** At most 40 characters of `s`, with anything unprintable as '?'. */
function printableExcerpt(s: string): string {
  return s.length > 40 ? `${printable(s.slice(0, 40))}…` : printable(s);
}

/**
 * Decides whether a parsed file is an image the import indexes, and reads its header.
 *
 * Skipped (the file is not indexed; the reason is shown to the user): DICOMDIR index files,
 * objects without pixel data (reports, plans, presentation states), files missing a UID the
 * index needs or holding one that is not a DICOM UID, pixel data cut short by the end of the
 * file, and values the index cannot store
 * soundly (Series Number, Instance Number or Number of Frames that is not an integer within the
 * IS range: "1e999", "-Infinity", 25 digits).
 *
 * Indexed with `problems` (its series is then not loadable, naming this file): every defect that
 * keeps a well-formed image out of a volume and shows in the header: zero or absurd dimensions
 * (`getPixelInfo`'s limits: over 16,384 a side, over 2 GiB decoded), unsupported or inconsistent Bits Allocated / Bits
 * Stored / High Bit / Pixel Representation / Samples per Pixel / Photometric Interpretation,
 * colour images, a transfer syntax without a decoder, pixel data encapsulated or not against its
 * transfer syntax, native pixel data of the wrong length, missing or non-finite or
 * non-orthonormal position, orientation or pixel spacing, an unparseable rescale or a slope
 * with |slope| < 1e-6, and a CT image without its rescale (`readSliceHeader`). The import adds
 * one more from the first pixel bytes it holds: a first fragment that does not begin as its
 * transfer syntax's codestream (`codestreamStartProblem`). Indexing such a file rather than
 * skipping it keeps the series honest: a series that silently lost a slice would still look
 * whole. DICOM SEG objects are checked as pixel data only (their geometry is the mask loader's).
 * @param fileSize the file's size in bytes, to detect half-copied files whose pixel data is cut
 */
export function classifyDicomFile(parsed: ParsedDicom, fileSize: number, options: ClassifyOptions = {}): FileVerdict {
  const ds = parsed.dataset;
  const sopClassUid = getString(ds, T.SOPClassUID) ?? getString(parsed.meta, T.MediaStorageSOPClassUID) ?? '';
  if (sopClassUid === dicomdirClass || getString(parsed.meta, T.MediaStorageSOPClassUID) === dicomdirClass) {
    return { kind: 'skip', reason: 'DICOMDIR index file (the images it lists are imported from the folder itself)' };
  }
  const pixel =
    ds.elements.get(T.PixelData) ?? ds.elements.get(T.FloatPixelData) ?? ds.elements.get(T.DoubleFloatPixelData);
  if (!pixel) {
    const name =
      sopClassNames[sopClassUid] ??
      (getString(ds, T.Modality) ? `modality ${getString(ds, T.Modality)}` : `SOP class ${sopClassUid || 'unknown'}`);
    return { kind: 'skip', reason: `Not an image: ${name} (no pixel data)` };
  }
  const sopInstanceUid = getString(ds, T.SOPInstanceUID) ?? getString(parsed.meta, T.MediaStorageSOPInstanceUID);
  const studyInstanceUid = getString(ds, T.StudyInstanceUID);
  const seriesInstanceUid = getString(ds, T.SeriesInstanceUID);
  const missing = [
    !sopInstanceUid && 'SOP Instance UID',
    !studyInstanceUid && 'Study Instance UID',
    !seriesInstanceUid && 'Series Instance UID',
  ].filter(Boolean);
  if (missing.length > 0) return { kind: 'skip', reason: `Missing ${missing.join(', ')}` };
  // A UID is digits and dots, at most 64 characters (PS3.5 §9.1): anything else could not name
  // its series or instance anywhere else in Concord (the contract refuses it), so it is not indexed.
  for (const [name, uid] of [
    ['SOP Instance UID', sopInstanceUid!],
    ['Study Instance UID', studyInstanceUid!],
    ['Series Instance UID', seriesInstanceUid!],
  ] as const) {
    if (!isDicomUid(uid))
      return {
        kind: 'skip',
        reason: `${name} "${printableExcerpt(uid)}" is not a DICOM UID (digits and dots, at most 64 characters), so it cannot be indexed`,
      };
  }
  const member = (reason: string): FileVerdict => ({ kind: 'skip', reason, seriesInstanceUid: seriesInstanceUid! });

  // Offsets of a deflated data set refer to the inflated bytes, not the file: no size check there.
  if (
    parsed.stoppedAtPixelData &&
    !parsed.transferSyntax.deflatedDataset &&
    pixel.length !== 0xffffffff &&
    pixel.offset + pixel.length > fileSize
  ) {
    return member(
      `Incomplete file: pixel data declares ${pixel.length} bytes but the file ends after ${Math.max(0, fileSize - pixel.offset)}`,
    );
  }

  const storable = (t: number, name: string, min: number): { value: number | null } | { reason: string } => {
    if (!ds.elements.has(t)) return { value: null };
    const values = getNumbers(ds, t) ?? [];
    if (values.length === 0) return { value: null };
    const v = values[0]!;
    if (Number.isInteger(v) && v >= min && v <= isMax) return { value: v };
    const raw = (getString(ds, t) ?? '').slice(0, 40);
    return {
      reason: `${name} "${raw}" is not an integer from ${min === isMin ? '−2147483648' : min} to 2147483647, so it cannot be indexed`,
    };
  };
  const seriesNumber = storable(T.SeriesNumber, 'Series Number', isMin);
  if ('reason' in seriesNumber) return member(seriesNumber.reason);
  const instanceNumber = storable(T.InstanceNumber, 'Instance Number', isMin);
  if ('reason' in instanceNumber) return member(instanceNumber.reason);
  const frames = storable(T.NumberOfFrames, 'Number of Frames', 1);
  if ('reason' in frames) return member(frames.reason);
  const numberOfFrames = frames.value ?? 1;

  const modality = getString(ds, T.Modality) ?? '';
  const problems: string[] = [];
  const { framePositions, info, geometry } = checkImage(parsed, pixel, modality, numberOfFrames, options, problems);
  // What the checks already read is reused (one frame: its geometry is the top level's).
  const single = numberOfFrames === 1 ? geometry?.frames[0] : undefined;

  const numbers = (t: number) => {
    const v = getNumbers(ds, t);
    return v && v.length > 0 && v.every(Number.isFinite) ? v : null;
  };
  /** A binary US value, or null: the index stores only safe integers (problems name bad ones). */
  const int = (t: number) => {
    const v = getNumber(ds, t);
    return v !== undefined && Number.isSafeInteger(v) ? v : null;
  };
  const real = (t: number) => {
    const v = getNumber(ds, t);
    return v !== undefined && Number.isFinite(v) ? v : null;
  };
  const str = (t: number) => getString(ds, t) ?? '';
  const contrastAgent =
    str(T.ContrastBolusAgent) ||
    (getItems(ds, T.ContrastBolusAgentSequence).length > 0 ? 'contrast agent (coded)' : '');
  const shared = getItems(ds, T.SharedFunctionalGroupsSequence)[0];
  const perFrame = getItems(ds, T.PerFrameFunctionalGroupsSequence)[0];
  /** Top level, else the first frame's functional group, else the shared one (enhanced objects). */
  const enhanced = (macro: number, t: number) => {
    const top = numbers(t);
    if (top) return top;
    for (const g of [perFrame, shared]) {
      const item = g ? getItems(g, macro)[0] : undefined;
      const v = item ? getNumbers(item, t) : undefined;
      if (v && v.length > 0 && v.every(Number.isFinite)) return v;
    }
    return null;
  };
  return {
    kind: 'image',
    header: {
      sopInstanceUid: sopInstanceUid!,
      sopClassUid,
      studyInstanceUid: studyInstanceUid!,
      seriesInstanceUid: seriesInstanceUid!,
      transferSyntaxUid: parsed.transferSyntax.uid,
      patientId: str(T.PatientID),
      patientName: str(T.PatientName),
      patientBirthDate: str(T.PatientBirthDate),
      patientSex: str(T.PatientSex),
      studyDate: str(T.StudyDate),
      studyTime: str(T.StudyTime),
      studyDescription: str(T.StudyDescription),
      accessionNumber: str(T.AccessionNumber),
      institutionName: str(T.InstitutionName),
      modality,
      seriesDescription: str(T.SeriesDescription),
      seriesNumber: seriesNumber.value,
      seriesDate: str(T.SeriesDate),
      seriesTime: str(T.SeriesTime),
      manufacturer: str(T.Manufacturer),
      frameOfReferenceUid: str(T.FrameOfReferenceUID),
      imageType: getStrings(ds, T.ImageType) ?? [],
      instanceNumber: instanceNumber.value,
      acquisitionDate: str(T.AcquisitionDate),
      acquisitionTime: str(T.AcquisitionTime),
      contentTime: str(T.ContentTime),
      contrastAgent,
      contrastStartTime: str(T.ContrastBolusStartTime),
      imagePositionPatient: single ? [...single.positionMm] : numbers(T.ImagePositionPatient),
      imageOrientationPatient: single
        ? [...single.rowCosines, ...single.columnCosines]
        : enhanced(T.PlaneOrientationSequence, T.ImageOrientationPatient),
      pixelSpacingMm: single ? [...single.pixelSpacingMm] : enhanced(T.PixelMeasuresSequence, T.PixelSpacing),
      sliceThicknessMm: real(T.SliceThickness),
      rows: info ? info.rows : int(T.Rows),
      columns: info ? info.columns : int(T.Columns),
      bitsAllocated: info ? info.bitsAllocated : int(T.BitsAllocated),
      pixelRepresentation: info ? info.pixelRepresentation : int(T.PixelRepresentation),
      rescaleSlope: single ? (ds.elements.has(T.RescaleSlope) ? single.rescaleSlope : null) : real(T.RescaleSlope),
      rescaleIntercept: single
        ? ds.elements.has(T.RescaleIntercept)
          ? single.rescaleIntercept
          : null
        : real(T.RescaleIntercept),
      numberOfFrames,
      framePositions,
      problems,
    },
  };
}

const segClass = '1.2.840.10008.5.1.4.1.1.66.4';
const monochrome = new Set(['MONOCHROME1', 'MONOCHROME2']);
const threeSamples = /^(RGB|YBR_)/;

/**
 * The header-visible defects of one image (appended to `problems`), mirroring what decoding
 * (`getPixelInfo`, `getEncodedFrames`) and volume assembly (`readSliceHeader`, `buildVolume`)
 * would refuse later.
 * @returns every frame's position for a multi-frame object whose geometry reads (else null),
 *   and the pixel module and geometry when they read
 */
function checkImage(
  parsed: ParsedDicom,
  pixel: DicomElement,
  modality: string,
  numberOfFrames: number,
  options: ClassifyOptions,
  problems: string[],
): { framePositions: number[][] | null; info?: PixelInfo; geometry?: SliceHeader } {
  const ts = parsed.transferSyntax;
  const isSeg = modality === 'SEG' || getString(parsed.dataset, T.SOPClassUID) === segClass;
  if (options.canDecode && !options.canDecode(ts.uid))
    problems.push(`Transfer syntax ${ts.name} (${ts.uid}) cannot be decoded by Concord.`);
  const undefinedLength = pixel.length === 0xffffffff || pixel.fragments !== undefined;
  if (ts.encapsulated && !undefinedLength && pixel.tag === T.PixelData) {
    problems.push(
      `Pixel Data is stored native (${pixel.length} bytes) but the transfer syntax ${ts.name} says encapsulated.`,
    );
  } else if (!ts.encapsulated && undefinedLength) {
    problems.push(`Pixel Data is encapsulated but the transfer syntax ${ts.name} says native.`);
  }

  let info: PixelInfo | undefined;
  try {
    info = getPixelInfo(parsed);
  } catch (err) {
    if (!(err instanceof DicomDataError)) throw err;
    problems.push(err.message);
  }
  if (info) {
    const pi = info.photometricInterpretation;
    if (monochrome.has(pi) || pi === 'PALETTE COLOR') {
      if (info.samplesPerPixel !== 1)
        problems.push(`Photometric Interpretation ${pi} needs 1 sample per pixel, not ${info.samplesPerPixel}.`);
    } else if (threeSamples.test(pi)) {
      if (info.samplesPerPixel !== 3)
        problems.push(`Photometric Interpretation ${pi} needs 3 samples per pixel, not ${info.samplesPerPixel}.`);
    } else {
      problems.push(`Photometric Interpretation "${pi.slice(0, 20)}" is not supported.`);
    }
    if (!isSeg && (info.samplesPerPixel !== 1 || !monochrome.has(pi))) {
      problems.push(`A ${pi} image (${info.samplesPerPixel} samples per pixel) does not form a grey-scale volume.`);
    }
    if (!ts.encapsulated && !undefinedLength) {
      const needed = Math.ceil(
        (info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated * numberOfFrames) / 8,
      );
      // One padding byte keeps an odd length even (PS3.5 §7.1.1).
      if (pixel.length < needed || pixel.length > needed + (needed % 2)) {
        problems.push(
          `Pixel Data holds ${pixel.length} bytes but ${numberOfFrames} frame(s) of ${info.columns}x${info.rows}x${info.samplesPerPixel} at ${info.bitsAllocated} bits take ${needed}.`,
        );
      }
    }
  }
  if (isSeg) return { framePositions: null, info };
  try {
    const geometry = readSliceHeader(parsed);
    return {
      framePositions: numberOfFrames > 1 ? geometry.frames.map((f) => [...f.positionMm]) : null,
      info,
      geometry,
    };
  } catch (err) {
    if (!(err instanceof DicomDataError)) throw err;
    problems.push(err.message);
    return { framePositions: null, info };
  }
}
