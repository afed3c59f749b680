import { DicomDataError } from './dicomDataError';
import type { DicomDataset, ParsedDicom } from './parseDicom';
import { T } from './tags';
import { getItems, getNumber, getNumbers, getString } from './values';

export type Vec3 = [number, number, number];

/** Where one frame lies in patient space and how its stored values map to output units. */
export interface FrameGeometry {
  /** Image Position (Patient): centre of the frame's first pixel, LPS, mm. */
  positionMm: Vec3;
  /** Direction of increasing column index (first triplet of Image Orientation), unit length. */
  rowCosines: Vec3;
  /** Direction of increasing row index (second triplet of Image Orientation), unit length. */
  columnCosines: Vec3;
  /** Pixel Spacing as stored: [between rows (along columnCosines), between columns (along rowCosines)], mm. */
  pixelSpacingMm: [number, number];
  /**
   * Output = stored × rescaleSlope + rescaleIntercept (1 and 0 when absent, except in a CT image, where they
   * are required; never a default for a bad value).
   */
  rescaleSlope: number;
  rescaleIntercept: number;
}

/** What volume assembly needs from one image object, keyed by camelCase names. */
export interface SliceHeader {
  sopInstanceUid: string | undefined;
  instanceNumber: number | undefined;
  rows: number;
  columns: number;
  /** Slice Thickness, mm: not the distance between slices (that comes from positions). */
  sliceThicknessMm: number | undefined;
  spacingBetweenSlicesMm: number | undefined;
  /** One entry per frame, in frame order. */
  frames: FrameGeometry[];
}

/**
 * Reads the geometry of a single-frame image (Image Plane module, PS3.3 §C.7.6.2) or of every
 * frame of an enhanced multi-frame image (PS3.3 §C.7.6.16): each functional group is taken from
 * the frame's Per-Frame Functional Groups item, else from the Shared Functional Groups, else
 * from the top level: Plane Position → Image Position (Patient), Plane Orientation → Image
 * Orientation (Patient), Pixel Measures → Pixel Spacing, Pixel Value Transformation → Rescale
 * Slope/Intercept. Direction cosines are normalised to unit length.
 * @throws DicomDataError('missing-attribute') when a frame lacks position, orientation or spacing,
 *   a CT Image Storage object lacks Rescale Intercept or Slope (Type 1), or a multi-frame object
 *   has no per-frame positions
 * @throws DicomDataError('invalid-attribute') for malformed values (wrong count, non-finite,
 *   non-orthogonal cosines, non-positive spacing), a Rescale Slope or Intercept that is present
 *   but not one finite decimal number, or |Rescale Slope| < 1e-6
 */
export function readSliceHeader(parsed: ParsedDicom): SliceHeader {
  const ds = parsed.dataset;
  const rows = getNumber(ds, T.Rows);
  const columns = getNumber(ds, T.Columns);
  if (rows === undefined || columns === undefined)
    throw new DicomDataError('missing-attribute', 'Rows or Columns is missing.');
  const numberOfFrames = getNumber(ds, T.NumberOfFrames) ?? 1;
  const shared = getItems(ds, T.SharedFunctionalGroupsSequence)[0];
  const perFrame = getItems(ds, T.PerFrameFunctionalGroupsSequence);
  if (perFrame.length > 0 && perFrame.length !== numberOfFrames) {
    throw new DicomDataError(
      'invalid-attribute',
      `Per-Frame Functional Groups Sequence has ${perFrame.length} items for ${numberOfFrames} frames.`,
    );
  }
  if (numberOfFrames > 1 && perFrame.length === 0) {
    throw new DicomDataError(
      'missing-attribute',
      `A ${numberOfFrames}-frame object without Per-Frame Functional Groups gives no position per frame.`,
    );
  }

  // CT Image Storage (not the enhanced objects, whose rescale may sit in functional groups).
  const ctImage =
    (getString(ds, T.SOPClassUID) ?? getString(parsed.meta, T.MediaStorageSOPClassUID)) === ctImageStorage;
  const frames: FrameGeometry[] = [];
  for (let f = 0; f < numberOfFrames; f++) {
    const groups = [perFrame[f], shared].filter((g): g is DicomDataset => g !== undefined);
    const where = numberOfFrames > 1 ? ` (frame ${f + 1})` : '';
    /** The first of: the macro's item in the per-frame group, in the shared group, the top level. */
    const source = (macro: number, attribute: number): DicomDataset => {
      for (const g of groups) {
        const item = getItems(g, macro)[0];
        if (item?.elements.has(attribute)) return item;
      }
      return ds;
    };
    const position = numbers(
      source(T.PlanePositionSequence, T.ImagePositionPatient),
      T.ImagePositionPatient,
      3,
      `Image Position (Patient)${where}`,
    );
    const orientation = numbers(
      source(T.PlaneOrientationSequence, T.ImageOrientationPatient),
      T.ImageOrientationPatient,
      6,
      `Image Orientation (Patient)${where}`,
    );
    const spacing = numbers(
      source(T.PixelMeasuresSequence, T.PixelSpacing),
      T.PixelSpacing,
      2,
      `Pixel Spacing${where}`,
    );
    const slopeFrom = source(T.PixelValueTransformationSequence, T.RescaleSlope);
    const interceptFrom = source(T.PixelValueTransformationSequence, T.RescaleIntercept);
    if (ctImage) {
      // Type 1 in the CT Image module: a slice without them would be read as intercept 0, slope 1
      // (a CT slice shifted by +1024 HU beside its neighbours), so it is refused instead.
      for (const [from, t, name] of [
        [interceptFrom, T.RescaleIntercept, 'Rescale Intercept'],
        [slopeFrom, T.RescaleSlope, 'Rescale Slope'],
      ] as const) {
        if (!from.elements.has(t))
          throw new DicomDataError(
            'missing-attribute',
            `${name}${where} is missing; a CT image must carry it, else its values are not Hounsfield units.`,
          );
      }
    }
    const rescaleSlope = rescaleValue(slopeFrom, T.RescaleSlope, `Rescale Slope${where}`, 1);
    const rescaleIntercept = rescaleValue(interceptFrom, T.RescaleIntercept, `Rescale Intercept${where}`, 0);

    const rowCosines = unit(orientation.slice(0, 3) as Vec3, where);
    const columnCosines = unit(orientation.slice(3, 6) as Vec3, where);
    const dot = rowCosines[0] * columnCosines[0] + rowCosines[1] * columnCosines[1] + rowCosines[2] * columnCosines[2];
    if (Math.abs(dot) > 0.01)
      throw new DicomDataError(
        'invalid-attribute',
        `Image Orientation (Patient)${where} is not orthogonal (row·column = ${dot.toFixed(4)}).`,
      );
    if (!(spacing[0]! > 0 && spacing[1]! > 0))
      throw new DicomDataError(
        'invalid-attribute',
        `Pixel Spacing${where} must be positive, got ${spacing.join('\\')}.`,
      );
    if (Math.abs(rescaleSlope) < minRescaleSlope) {
      throw new DicomDataError(
        'invalid-attribute',
        `Rescale Slope${where} ${rescaleSlope} is too close to 0 (|slope| must be at least ${minRescaleSlope}).`,
      );
    }
    frames.push({
      positionMm: position as Vec3,
      rowCosines,
      columnCosines,
      pixelSpacingMm: [spacing[0]!, spacing[1]!],
      rescaleSlope,
      rescaleIntercept,
    });
  }

  return {
    sopInstanceUid: getString(ds, T.SOPInstanceUID),
    instanceNumber: getNumber(ds, T.InstanceNumber),
    rows,
    columns,
    sliceThicknessMm: getNumber(source0(ds, shared, T.PixelMeasuresSequence, T.SliceThickness), T.SliceThickness),
    spacingBetweenSlicesMm: getNumber(
      source0(ds, shared, T.PixelMeasuresSequence, T.SpacingBetweenSlices),
      T.SpacingBetweenSlices,
    ),
    frames,
  };
}

const ctImageStorage = '1.2.840.10008.5.1.4.1.1.2';

/** Smallest |Rescale Slope| accepted: below it stored values collapse onto one output value. */
export const minRescaleSlope = 1e-6;

/**
 * Rescale Slope or Intercept: `absent` when the element is not there, else its one decimal
 * value. An unparseable, empty, multi-valued or non-finite value is an error, never a default:
 * reading "1.2.3" as 0 would shift a slice by the intercept it lost.
 */
function rescaleValue(ds: DicomDataset, t: number, name: string, absent: number): number {
  if (!ds.elements.has(t)) return absent;
  const values = getNumbers(ds, t) ?? [];
  const v = values[0];
  if (values.length !== 1 || v === undefined || !Number.isFinite(v)) {
    const raw = (getString(ds, t) ?? '').slice(0, 40);
    throw new DicomDataError('invalid-attribute', `${name} "${raw}" is not a number.`);
  }
  return v;
}

function source0(ds: DicomDataset, shared: DicomDataset | undefined, macro: number, attribute: number): DicomDataset {
  const item = shared ? getItems(shared, macro)[0] : undefined;
  return item?.elements.has(attribute) ? item : ds;
}

function numbers(ds: DicomDataset, t: number, count: number, name: string): number[] {
  const values = getNumbers(ds, t);
  if (values === undefined || values.length === 0) throw new DicomDataError('missing-attribute', `${name} is missing.`);
  if (values.length !== count || values.some((v) => !Number.isFinite(v))) {
    throw new DicomDataError('invalid-attribute', `${name} should be ${count} numbers, got "${values.join('\\')}".`);
  }
  return values;
}

function unit(v: Vec3, where: string): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (Math.abs(n - 1) > 0.01)
    throw new DicomDataError(
      'invalid-attribute',
      `Image Orientation (Patient)${where} has a direction of length ${n.toFixed(4)}, not 1.`,
    );
  return [v[0] / n, v[1] / n, v[2] / n];
}
