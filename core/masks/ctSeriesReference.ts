import type { ParsedDicom } from '../dicom/parseDicom';
import { readSliceHeader } from '../dicom/sliceHeader';
import { orientationTolerance, pixelSpacingToleranceMm } from '../dicom/stackSlices';
import { T } from '../dicom/tags';
import { getString } from '../dicom/values';
import type { SegPatientStudy, SegSourceSeries } from '../dicom/writeSeg';
import { lpsToIjk } from '../imaging/coordinates';
import { describeGrid, type Grid } from '../imaging/grid';
import { MaskGridError } from './maskGridError';
import { MaskReadError } from './maskReadError';

/** What a SEG needs to say about the CT series its mask was drawn on. */
export interface CtSeriesReference {
  source: SegSourceSeries;
  patientStudy: SegPatientStudy;
  /** Slice Thickness of the images (mm), when they state it. */
  sliceThicknessMm?: number;
}

/**
 * A slice is on the grid when its position is within this many voxels of a grid point (in i, j: of the origin
 * row and column).
 */
const onGridVoxels = 0.05;

/**
 * The series, Frame of Reference, patient and study of CT slices, and the SOP Instance UID of
 * the slice at every k of the mask grid, found by position: k = the grid index of the slice's
 * Image Position (Patient) (`lpsToIjk`), never the instance number or file order.
 * Header-only parses (untilPixelData) are enough; absent patient/study attributes give "".
 * Reference: DICOM PS3.3 §C.7.6.2 (Image Plane), §C.12.2 (Common Instance Reference).
 * @throws MaskGridError('slices-mismatch') when a slice is a multi-frame object, differs from the
 *   grid in orientation or pixel spacing, lies off the grid, two slices share a k, a k has no
 *   slice, or the slices belong to several series
 * @throws MaskReadError('malformed') without SOP Class, SOP Instance, Series Instance or Frame of Reference UIDs
 * @throws DicomDataError from `readSliceHeader` for slices without usable geometry
 */
export function ctSeriesReference(headers: readonly ParsedDicom[], grid: Grid): CtSeriesReference {
  const first = headers[0];
  const mismatch = (what: string) =>
    new MaskGridError(
      'slices-mismatch',
      `The CT slices do not match the mask grid: ${what} (grid ${describeGrid(grid)}).`,
    );
  if (!first) throw mismatch('no slices were given');
  const need = (p: ParsedDicom, t: number, name: string) => {
    const v = getString(p.dataset, t);
    if (!v) throw new MaskReadError('malformed', `A CT slice has no ${name}.`);
    return v;
  };
  const seriesInstanceUid = need(first, T.SeriesInstanceUID, 'Series Instance UID');
  const frameOfReferenceUid = need(first, T.FrameOfReferenceUID, 'Frame of Reference UID');
  const sopClassUid = need(first, T.SOPClassUID, 'SOP Class UID');
  const byK = new Array<string | undefined>(grid.dims[2]).fill(undefined);
  const d = grid.direction;
  for (const parsed of headers) {
    const sop = need(parsed, T.SOPInstanceUID, 'SOP Instance UID');
    if (need(parsed, T.SeriesInstanceUID, 'Series Instance UID') !== seriesInstanceUid)
      throw mismatch(`slice ${sop} belongs to another series`);
    const header = readSliceHeader(parsed);
    if (header.frames.length !== 1)
      throw mismatch(`${sop} is a ${header.frames.length}-frame object; only single-frame slices can be referenced`);
    if (header.rows !== grid.dims[1] || header.columns !== grid.dims[0])
      throw mismatch(`slice ${sop} is ${header.columns}x${header.rows} pixels`);
    const f = header.frames[0]!;
    const oriented = [0, 1, 2].every(
      (a) =>
        Math.abs(f.rowCosines[a]! - d[a]!) <= orientationTolerance &&
        Math.abs(f.columnCosines[a]! - d[3 + a]!) <= orientationTolerance,
    );
    const spaced =
      Math.abs(f.pixelSpacingMm[0] - grid.spacingMm[1]) <= pixelSpacingToleranceMm &&
      Math.abs(f.pixelSpacingMm[1] - grid.spacingMm[0]) <= pixelSpacingToleranceMm;
    if (!oriented || !spaced) throw mismatch(`slice ${sop} has another orientation or pixel spacing`);
    const [i, j, kExact] = lpsToIjk(grid, f.positionMm);
    const k = Math.round(kExact);
    if (
      Math.abs(i) > onGridVoxels ||
      Math.abs(j) > onGridVoxels ||
      Math.abs(kExact - k) > onGridVoxels ||
      k < 0 ||
      k >= grid.dims[2]
    ) {
      throw mismatch(
        `slice ${sop} at (${f.positionMm.map((v) => Number(v.toFixed(3))).join(', ')}) mm is not on a grid slice (index ${[i, j, kExact].map((v) => Number(v.toFixed(3))).join(', ')})`,
      );
    }
    if (byK[k] !== undefined) throw mismatch(`slices ${byK[k]} and ${sop} are both at k = ${k}`);
    byK[k] = sop;
  }
  const missing = byK.findIndex((v) => v === undefined);
  if (missing >= 0) throw mismatch(`no slice lies at k = ${missing}`);

  const ds = first.dataset;
  const text = (t: number) => getString(ds, t) ?? '';
  const thickness = readSliceHeader(first).sliceThicknessMm;
  const reference: CtSeriesReference = {
    source: { seriesInstanceUid, frameOfReferenceUid, sopClassUid, sopInstanceUidsByK: byK as string[] },
    patientStudy: {
      patientName: text(T.PatientName),
      patientId: text(T.PatientID),
      patientBirthDate: text(T.PatientBirthDate),
      patientSex: text(T.PatientSex),
      studyInstanceUid: need(first, T.StudyInstanceUID, 'Study Instance UID'),
      studyDate: text(T.StudyDate),
      studyTime: text(T.StudyTime),
      studyId: text(T.StudyID),
      accessionNumber: text(T.AccessionNumber),
      referringPhysicianName: text(T.ReferringPhysicianName),
    },
  };
  if (thickness !== undefined && thickness > 0) reference.sliceThicknessMm = thickness;
  return reference;
}
