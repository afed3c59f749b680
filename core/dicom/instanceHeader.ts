import type { ParsedDicom } from './parseDicom';
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
}

export type FileVerdict = { kind: 'image'; header: InstanceHeader } | { kind: 'skip'; reason: string };

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

/**
 * Decides whether a parsed file is an image the import indexes, and reads its header.
 * Skipped (with the reason shown to the user): DICOMDIR index files, objects without pixel
 * data (reports, plans, presentation states), and files missing a UID the index needs.
 * @param fileSize the file's size in bytes, to detect half-copied files whose pixel data is cut
 */
export function classifyDicomFile(parsed: ParsedDicom, fileSize: number): FileVerdict {
  const ds = parsed.dataset;
  const sopClassUid = getString(ds, T.SOPClassUID) ?? getString(parsed.meta, T.MediaStorageSOPClassUID) ?? '';
  if (sopClassUid === dicomdirClass || getString(parsed.meta, T.MediaStorageSOPClassUID) === dicomdirClass) {
    return { kind: 'skip', reason: 'DICOMDIR index file (the images it lists are imported from the folder itself)' };
  }
  const pixel = ds.elements.get(T.PixelData) ?? ds.elements.get(T.FloatPixelData);
  if (!pixel) {
    const name = sopClassNames[sopClassUid] ?? (getString(ds, T.Modality) ? `modality ${getString(ds, T.Modality)}` : `SOP class ${sopClassUid || 'unknown'}`);
    return { kind: 'skip', reason: `Not an image: ${name} (no pixel data)` };
  }
  // Offsets of a deflated data set refer to the inflated bytes, not the file: no size check there.
  if (parsed.stoppedAtPixelData && !parsed.transferSyntax.deflatedDataset && pixel.length !== 0xffffffff && pixel.offset + pixel.length > fileSize) {
    return { kind: 'skip', reason: `Incomplete file: pixel data declares ${pixel.length} bytes but the file ends after ${Math.max(0, fileSize - pixel.offset)}` };
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

  const numbers = (t: number) => {
    const v = getNumbers(ds, t);
    return v && v.length > 0 && v.every(Number.isFinite) ? v : null;
  };
  const int = (t: number) => {
    const v = getNumber(ds, t);
    return v === undefined ? null : Math.trunc(v);
  };
  const str = (t: number) => getString(ds, t) ?? '';
  const contrastAgent = str(T.ContrastBolusAgent) || (getItems(ds, T.ContrastBolusAgentSequence).length > 0 ? 'contrast agent (coded)' : '');
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
      modality: str(T.Modality),
      seriesDescription: str(T.SeriesDescription),
      seriesNumber: int(T.SeriesNumber),
      seriesDate: str(T.SeriesDate),
      seriesTime: str(T.SeriesTime),
      manufacturer: str(T.Manufacturer),
      frameOfReferenceUid: str(T.FrameOfReferenceUID),
      imageType: getStrings(ds, T.ImageType) ?? [],
      instanceNumber: int(T.InstanceNumber),
      acquisitionDate: str(T.AcquisitionDate),
      acquisitionTime: str(T.AcquisitionTime),
      contentTime: str(T.ContentTime),
      contrastAgent,
      contrastStartTime: str(T.ContrastBolusStartTime),
      imagePositionPatient: numbers(T.ImagePositionPatient),
      imageOrientationPatient: numbers(T.ImageOrientationPatient),
      pixelSpacingMm: numbers(T.PixelSpacing),
      sliceThicknessMm: getNumber(ds, T.SliceThickness) ?? null,
      rows: int(T.Rows),
      columns: int(T.Columns),
      bitsAllocated: int(T.BitsAllocated),
      pixelRepresentation: int(T.PixelRepresentation),
      rescaleSlope: getNumber(ds, T.RescaleSlope) ?? null,
      rescaleIntercept: getNumber(ds, T.RescaleIntercept) ?? null,
      numberOfFrames: int(T.NumberOfFrames) ?? 1,
    },
  };
}
