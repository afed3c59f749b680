import { T } from './tags';
import type { DicomElementInput } from './writeDicom';

/** SOP Class UID of CT Image Storage (PS3.4 Annex B.5). */
export const ctImageStorageSopClassUid = '1.2.840.10008.5.1.4.1.1.2';

export interface CtPatient {
  name: string;
  id: string;
  /** DICOM DA, YYYYMMDD. */
  birthDate: string;
  sex: 'F' | 'M' | 'O';
  /** DICOM AS, e.g. "065Y". */
  age: string;
}

export interface CtStudy {
  instanceUid: string;
  /** DICOM DA and TM. */
  date: string;
  time: string;
  id: string;
  accessionNumber: string;
  description: string;
  referringPhysicianName: string;
  institutionName: string;
}

/** Contrast bolus of a series; absent on a precontrast series (whose agent is written empty). */
export interface CtContrast {
  agent: string;
  route: string;
  volumeMl: number;
  /** DICOM TM of the injection start. */
  startTime: string;
  ingredient: string;
}

export interface CtSeries {
  instanceUid: string;
  number: number;
  description: string;
  protocolName: string;
  /** DICOM TM of the series. */
  time: string;
  frameOfReferenceUid: string;
  contrast?: CtContrast;
}

export interface CtEquipment {
  manufacturer: string;
  modelName: string;
  stationName: string;
  kvp: number;
  tubeCurrentMa: number;
  convolutionKernel: string;
}

/** One axial slice: identity, position and pixels. */
export interface CtSlice {
  sopInstanceUid: string;
  instanceNumber: number;
  /** DICOM TM of this slice's acquisition. */
  acquisitionTime: string;
  /** ImagePositionPatient: LPS centre of the first pixel (mm). */
  positionMm: [number, number, number];
  rows: number;
  columns: number;
  /** Between rows (along j), between columns (along i), mm. */
  pixelSpacingMm: [number, number];
  sliceThicknessMm: number;
  /** Signed 16-bit stored values, rows × columns, row by row; HU = stored + rescaleInterceptHu. */
  storedValues: Int16Array;
  rescaleInterceptHu: number;
}

/**
 * The data elements of one CT Image Storage instance (axial, head-first supine, ORIGINAL\PRIMARY,
 * MONOCHROME2, 16 bits allocated and stored, signed) with the patient, study, series, frame of
 * reference, equipment, contrast and image attributes a phase recogniser and an importer read.
 * The patient's identity is deliberately realistic: later tests check it never reaches a
 * reader's screen.
 * Reference: DICOM PS3.3 A.3 (CT Image IOD), C.8.2.1 (CT Image module), C.7.6.4 (Contrast/Bolus).
 */
export function ctImageDataset(
  patient: CtPatient,
  study: CtStudy,
  series: CtSeries,
  equipment: CtEquipment,
  slice: CtSlice,
): DicomElementInput[] {
  const elements: DicomElementInput[] = [
    { tag: T.SpecificCharacterSet, vr: 'CS', value: 'ISO_IR 100' },
    { tag: T.ImageType, vr: 'CS', value: ['ORIGINAL', 'PRIMARY', 'AXIAL'] },
    { tag: T.SOPClassUID, vr: 'UI', value: ctImageStorageSopClassUid },
    { tag: T.SOPInstanceUID, vr: 'UI', value: slice.sopInstanceUid },
    { tag: T.StudyDate, vr: 'DA', value: study.date },
    { tag: T.SeriesDate, vr: 'DA', value: study.date },
    { tag: T.AcquisitionDate, vr: 'DA', value: study.date },
    { tag: T.ContentDate, vr: 'DA', value: study.date },
    { tag: T.StudyTime, vr: 'TM', value: study.time },
    { tag: T.SeriesTime, vr: 'TM', value: series.time },
    { tag: T.AcquisitionTime, vr: 'TM', value: slice.acquisitionTime },
    { tag: T.ContentTime, vr: 'TM', value: slice.acquisitionTime },
    { tag: T.AccessionNumber, vr: 'SH', value: study.accessionNumber },
    { tag: T.Modality, vr: 'CS', value: 'CT' },
    { tag: T.Manufacturer, vr: 'LO', value: equipment.manufacturer },
    { tag: T.InstitutionName, vr: 'LO', value: study.institutionName },
    { tag: T.ReferringPhysicianName, vr: 'PN', value: study.referringPhysicianName },
    { tag: T.StationName, vr: 'SH', value: equipment.stationName },
    { tag: T.StudyDescription, vr: 'LO', value: study.description },
    { tag: T.SeriesDescription, vr: 'LO', value: series.description },
    { tag: T.ManufacturerModelName, vr: 'LO', value: equipment.modelName },
    { tag: T.PatientName, vr: 'PN', value: patient.name },
    { tag: T.PatientID, vr: 'LO', value: patient.id },
    { tag: T.PatientBirthDate, vr: 'DA', value: patient.birthDate },
    { tag: T.PatientSex, vr: 'CS', value: patient.sex },
    { tag: T.PatientAge, vr: 'AS', value: patient.age },
    { tag: T.ContrastBolusAgent, vr: 'LO', value: series.contrast?.agent ?? '' },
    { tag: T.BodyPartExamined, vr: 'CS', value: 'ABDOMEN' },
    { tag: T.SliceThickness, vr: 'DS', value: slice.sliceThicknessMm },
    { tag: T.KVP, vr: 'DS', value: equipment.kvp },
    { tag: T.ProtocolName, vr: 'LO', value: series.protocolName },
    { tag: T.ReconstructionDiameter, vr: 'DS', value: slice.columns * slice.pixelSpacingMm[1] },
    { tag: T.GantryDetectorTilt, vr: 'DS', value: 0 },
    { tag: T.XRayTubeCurrent, vr: 'IS', value: equipment.tubeCurrentMa },
    { tag: T.ConvolutionKernel, vr: 'SH', value: equipment.convolutionKernel },
    { tag: T.PatientPosition, vr: 'CS', value: 'HFS' },
    { tag: T.StudyInstanceUID, vr: 'UI', value: study.instanceUid },
    { tag: T.SeriesInstanceUID, vr: 'UI', value: series.instanceUid },
    { tag: T.StudyID, vr: 'SH', value: study.id },
    { tag: T.SeriesNumber, vr: 'IS', value: series.number },
    { tag: T.AcquisitionNumber, vr: 'IS', value: 1 },
    { tag: T.InstanceNumber, vr: 'IS', value: slice.instanceNumber },
    { tag: T.ImagePositionPatient, vr: 'DS', value: slice.positionMm },
    { tag: T.ImageOrientationPatient, vr: 'DS', value: [1, 0, 0, 0, 1, 0] },
    { tag: T.FrameOfReferenceUID, vr: 'UI', value: series.frameOfReferenceUid },
    { tag: T.PositionReferenceIndicator, vr: 'LO', value: '' },
    { tag: T.SliceLocation, vr: 'DS', value: slice.positionMm[2] },
    { tag: T.SamplesPerPixel, vr: 'US', value: 1 },
    { tag: T.PhotometricInterpretation, vr: 'CS', value: 'MONOCHROME2' },
    { tag: T.Rows, vr: 'US', value: slice.rows },
    { tag: T.Columns, vr: 'US', value: slice.columns },
    { tag: T.PixelSpacing, vr: 'DS', value: slice.pixelSpacingMm },
    { tag: T.BitsAllocated, vr: 'US', value: 16 },
    { tag: T.BitsStored, vr: 'US', value: 16 },
    { tag: T.HighBit, vr: 'US', value: 15 },
    { tag: T.PixelRepresentation, vr: 'US', value: 1 },
    { tag: T.WindowCenter, vr: 'DS', value: [50, 40] },
    { tag: T.WindowWidth, vr: 'DS', value: [350, 400] },
    { tag: T.RescaleIntercept, vr: 'DS', value: slice.rescaleInterceptHu },
    { tag: T.RescaleSlope, vr: 'DS', value: 1 },
    { tag: T.RescaleType, vr: 'LO', value: 'HU' },
    { tag: T.PixelData, vr: 'OW', value: slice.storedValues },
  ];
  if (series.contrast) {
    elements.push(
      { tag: T.ContrastBolusRoute, vr: 'LO', value: series.contrast.route },
      { tag: T.ContrastBolusVolume, vr: 'DS', value: series.contrast.volumeMl },
      { tag: T.ContrastBolusStartTime, vr: 'TM', value: series.contrast.startTime },
      { tag: T.ContrastBolusIngredient, vr: 'CS', value: series.contrast.ingredient },
    );
  }
  return elements;
}
