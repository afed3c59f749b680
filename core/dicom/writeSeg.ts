import type { Volume } from '../imaging/volume';
import { voxelCount } from '../imaging/volume';
import { T } from './tags';
import { writeDicomFile, type DicomElementInput } from './writeDicom';

/** SOP Class UID of the Segmentation Storage IOD (PS3.4 Annex B.5). */
export const segmentationStorageSopClassUid = '1.2.840.10008.5.1.4.1.1.66.4';

/** A coded concept: (0008,0100) CodeValue, (0008,0102) CodingSchemeDesignator, (0008,0104) CodeMeaning. */
export interface CodedConcept {
  value: string;
  scheme: string;
  meaning: string;
}

/** SNOMED CT codes for a liver segment (DICOM CID 7150 / CID 7166 style). */
export const liverSegmentCodes = {
  category: { value: '123037004', scheme: 'SCT', meaning: 'Anatomical Structure' },
  type: { value: '10200004', scheme: 'SCT', meaning: 'Liver' },
} as const satisfies Record<string, CodedConcept>;

/** One segment of the segmentation (this writer stores one segment, number 1). */
export interface SegSegment {
  label: string;
  algorithmType: 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL';
  /** Required unless algorithmType is MANUAL (PS3.3 C.8.20.2). */
  algorithmName?: string;
  category: CodedConcept;
  type: CodedConcept;
  /** CIELab display colour scaled to 0-65535 (PS3.3 C.10.7.1.1). */
  recommendedDisplayCieLab?: [number, number, number];
}

/** Patient and study of the source images, copied into the SEG (same patient, same study). */
export interface SegPatientStudy {
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyInstanceUid: string;
  studyDate: string;
  studyTime: string;
  studyId: string;
  accessionNumber: string;
  referringPhysicianName: string;
}

/** The image series the mask was drawn on. */
export interface SegSourceSeries {
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  sopClassUid: string;
  /** SOP Instance UID of the source image at each k of the mask grid (index k = slice k). */
  sopInstanceUidsByK: readonly string[];
}

export interface WriteSegInput {
  /** Binary mask on the source grid: voxels ≠ 0 are in the segment. Axial or oblique, any k order. */
  mask: Volume<Uint8Array>;
  segment: SegSegment;
  source: SegSourceSeries;
  patientStudy: SegPatientStudy;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  /** UID of the dimension organisation (one per SEG instance). */
  dimensionOrganizationUid: string;
  seriesNumber: number;
  seriesDescription: string;
  instanceNumber?: number;
  /** DICOM DA (YYYYMMDD) and TM (HHMMSS) of the segmentation. */
  contentDate: string;
  contentTime: string;
  /** CS, upper case, at most 16 characters. */
  contentLabel: string;
  contentDescription?: string;
  contentCreatorName?: string;
  manufacturer: string;
  manufacturerModelName: string;
  deviceSerialNumber: string;
  softwareVersions: string;
  /** Slice thickness of the source images (mm); default the k spacing. */
  sliceThicknessMm?: number;
}

/**
 * A DICOM Segmentation (BINARY, one segment) of a mask, as a Part 10 file in Explicit VR Little
 * Endian. One frame per mask slice k that holds at least one voxel (empty slices are left
 * out, as dcmqi and highdicom do), in increasing k; each frame's pixels are 1 bit, packed
 * contiguously across frames, first pixel in the least significant bit (PS3.5 §8.1.1), the
 * whole padded to even length.
 * Modules: Patient, General Study (copied from the source), General Series / Segmentation Series
 * (Modality SEG), Frame of Reference (the source's), Enhanced General Equipment, General Image,
 * Image Pixel, Segmentation Image (SegmentSequence with SNOMED category/type codes),
 * Multi-frame Dimension (segment number, then ImagePositionPatient), Shared Functional Groups
 * (PixelMeasures with PixelSpacing and SliceThickness, PlaneOrientation), Per-frame Functional
 * Groups (DerivationImage → the source slice, FrameContent with DimensionIndexValues
 * [segment, k + 1], PlanePosition, SegmentIdentification), Common Instance Reference
 * (ReferencedSeriesSequence listing every source image), SOP Common.
 * Reference: DICOM PS3.3 A.51 (Segmentation IOD), C.8.20 (Segmentation modules), C.7.6.16
 * (functional groups); PS3.5 §8.1.1 (bit packing).
 * @throws RangeError when the mask's voxel count does not match its dims, the number of source
 *   UIDs differs from dims[2], or the mask is empty
 */
export function writeSeg(input: WriteSegInput): Uint8Array {
  const { mask, source } = input;
  const [nx, ny, nz] = mask.dims;
  if (mask.voxels.length !== voxelCount(mask.dims)) throw new RangeError('mask voxels do not match its dims');
  if (source.sopInstanceUidsByK.length !== nz)
    throw new RangeError(`${source.sopInstanceUidsByK.length} source UIDs for ${nz} slices`);

  const sliceSize = nx * ny;
  const frames: number[] = [];
  for (let k = 0; k < nz; k++) {
    const slice = mask.voxels.subarray(k * sliceSize, (k + 1) * sliceSize);
    if (slice.some((v) => v !== 0)) frames.push(k);
  }
  if (frames.length === 0) throw new RangeError('The mask is empty: a SEG needs at least one frame');

  const pixelData = packFrames(mask.voxels, sliceSize, frames);
  const d = mask.direction;
  const [sx, sy, sz] = mask.spacingMm;
  const positionOf = (k: number): number[] => [0, 1, 2].map((a) => mask.originMm[a]! + k * sz * d[6 + a]!);
  const code = (c: CodedConcept): DicomElementInput[] => [
    { tag: T.CodeValue, vr: 'SH', value: c.value },
    { tag: T.CodingSchemeDesignator, vr: 'SH', value: c.scheme },
    { tag: T.CodeMeaning, vr: 'LO', value: c.meaning },
  ];
  const ps = input.patientStudy;
  const seg = input.segment;

  const segmentItem: DicomElementInput[] = [
    { tag: T.SegmentNumber, vr: 'US', value: 1 },
    { tag: T.SegmentLabel, vr: 'LO', value: seg.label },
    { tag: T.SegmentAlgorithmType, vr: 'CS', value: seg.algorithmType },
    { tag: T.SegmentedPropertyCategoryCodeSequence, vr: 'SQ', value: [code(seg.category)] },
    { tag: T.SegmentedPropertyTypeCodeSequence, vr: 'SQ', value: [code(seg.type)] },
  ];
  if (seg.algorithmName !== undefined)
    segmentItem.push({ tag: T.SegmentAlgorithmName, vr: 'LO', value: seg.algorithmName });
  if (seg.recommendedDisplayCieLab)
    segmentItem.push({ tag: T.RecommendedDisplayCIELabValue, vr: 'US', value: seg.recommendedDisplayCieLab });

  const perFrame: DicomElementInput[][] = frames.map((k) => [
    {
      tag: T.DerivationImageSequence,
      vr: 'SQ',
      value: [
        [
          {
            tag: T.DerivationCodeSequence,
            vr: 'SQ',
            value: [code({ value: '113076', scheme: 'DCM', meaning: 'Segmentation' })],
          },
          {
            tag: T.SourceImageSequence,
            vr: 'SQ',
            value: [
              [
                { tag: T.ReferencedSOPClassUID, vr: 'UI', value: source.sopClassUid },
                { tag: T.ReferencedSOPInstanceUID, vr: 'UI', value: source.sopInstanceUidsByK[k]! },
                {
                  tag: T.PurposeOfReferenceCodeSequence,
                  vr: 'SQ',
                  value: [
                    code({ value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' }),
                  ],
                },
              ],
            ],
          },
        ],
      ],
    },
    { tag: T.FrameContentSequence, vr: 'SQ', value: [[{ tag: T.DimensionIndexValues, vr: 'UL', value: [1, k + 1] }]] },
    {
      tag: T.PlanePositionSequence,
      vr: 'SQ',
      value: [[{ tag: T.ImagePositionPatient, vr: 'DS', value: positionOf(k) }]],
    },
    {
      tag: T.SegmentIdentificationSequence,
      vr: 'SQ',
      value: [[{ tag: T.ReferencedSegmentNumber, vr: 'US', value: 1 }]],
    },
  ]);

  const dataset: DicomElementInput[] = [
    { tag: T.SpecificCharacterSet, vr: 'CS', value: 'ISO_IR 192' },
    { tag: T.ImageType, vr: 'CS', value: ['DERIVED', 'PRIMARY'] },
    { tag: T.SOPClassUID, vr: 'UI', value: segmentationStorageSopClassUid },
    { tag: T.SOPInstanceUID, vr: 'UI', value: input.sopInstanceUid },
    { tag: T.StudyDate, vr: 'DA', value: ps.studyDate },
    { tag: T.SeriesDate, vr: 'DA', value: input.contentDate },
    { tag: T.ContentDate, vr: 'DA', value: input.contentDate },
    { tag: T.StudyTime, vr: 'TM', value: ps.studyTime },
    { tag: T.SeriesTime, vr: 'TM', value: input.contentTime },
    { tag: T.ContentTime, vr: 'TM', value: input.contentTime },
    { tag: T.AccessionNumber, vr: 'SH', value: ps.accessionNumber },
    { tag: T.Modality, vr: 'CS', value: 'SEG' },
    { tag: T.Manufacturer, vr: 'LO', value: input.manufacturer },
    { tag: T.ReferringPhysicianName, vr: 'PN', value: ps.referringPhysicianName },
    { tag: T.SeriesDescription, vr: 'LO', value: input.seriesDescription },
    { tag: T.ManufacturerModelName, vr: 'LO', value: input.manufacturerModelName },
    {
      tag: T.ReferencedSeriesSequence,
      vr: 'SQ',
      value: [
        [
          {
            tag: T.ReferencedInstanceSequence,
            vr: 'SQ',
            value: source.sopInstanceUidsByK.map((uid) => [
              { tag: T.ReferencedSOPClassUID, vr: 'UI', value: source.sopClassUid },
              { tag: T.ReferencedSOPInstanceUID, vr: 'UI', value: uid },
            ]),
          },
          { tag: T.SeriesInstanceUID, vr: 'UI', value: source.seriesInstanceUid },
        ],
      ],
    },
    { tag: T.PatientName, vr: 'PN', value: ps.patientName },
    { tag: T.PatientID, vr: 'LO', value: ps.patientId },
    { tag: T.PatientBirthDate, vr: 'DA', value: ps.patientBirthDate },
    { tag: T.PatientSex, vr: 'CS', value: ps.patientSex },
    { tag: T.DeviceSerialNumber, vr: 'LO', value: input.deviceSerialNumber },
    { tag: T.SoftwareVersions, vr: 'LO', value: input.softwareVersions },
    { tag: T.StudyInstanceUID, vr: 'UI', value: ps.studyInstanceUid },
    { tag: T.SeriesInstanceUID, vr: 'UI', value: input.seriesInstanceUid },
    { tag: T.StudyID, vr: 'SH', value: ps.studyId },
    { tag: T.SeriesNumber, vr: 'IS', value: input.seriesNumber },
    { tag: T.InstanceNumber, vr: 'IS', value: input.instanceNumber ?? 1 },
    { tag: T.FrameOfReferenceUID, vr: 'UI', value: source.frameOfReferenceUid },
    { tag: T.PositionReferenceIndicator, vr: 'LO', value: '' },
    {
      tag: T.DimensionOrganizationSequence,
      vr: 'SQ',
      value: [[{ tag: T.DimensionOrganizationUID, vr: 'UI', value: input.dimensionOrganizationUid }]],
    },
    {
      tag: T.DimensionIndexSequence,
      vr: 'SQ',
      value: [
        [
          { tag: T.DimensionOrganizationUID, vr: 'UI', value: input.dimensionOrganizationUid },
          { tag: T.DimensionIndexPointer, vr: 'AT', value: T.ReferencedSegmentNumber },
          { tag: T.FunctionalGroupPointer, vr: 'AT', value: T.SegmentIdentificationSequence },
          { tag: T.DimensionDescriptionLabel, vr: 'LO', value: 'ReferencedSegmentNumber' },
        ],
        [
          { tag: T.DimensionOrganizationUID, vr: 'UI', value: input.dimensionOrganizationUid },
          { tag: T.DimensionIndexPointer, vr: 'AT', value: T.ImagePositionPatient },
          { tag: T.FunctionalGroupPointer, vr: 'AT', value: T.PlanePositionSequence },
          { tag: T.DimensionDescriptionLabel, vr: 'LO', value: 'ImagePositionPatient' },
        ],
      ],
    },
    { tag: T.SamplesPerPixel, vr: 'US', value: 1 },
    { tag: T.PhotometricInterpretation, vr: 'CS', value: 'MONOCHROME2' },
    { tag: T.NumberOfFrames, vr: 'IS', value: frames.length },
    { tag: T.Rows, vr: 'US', value: ny },
    { tag: T.Columns, vr: 'US', value: nx },
    { tag: T.BitsAllocated, vr: 'US', value: 1 },
    { tag: T.BitsStored, vr: 'US', value: 1 },
    { tag: T.HighBit, vr: 'US', value: 0 },
    { tag: T.PixelRepresentation, vr: 'US', value: 0 },
    { tag: T.LossyImageCompression, vr: 'CS', value: '00' },
    { tag: T.SegmentationType, vr: 'CS', value: 'BINARY' },
    { tag: T.SegmentSequence, vr: 'SQ', value: [segmentItem] },
    { tag: T.SegmentsOverlap, vr: 'CS', value: 'NO' },
    { tag: T.ContentLabel, vr: 'CS', value: input.contentLabel },
    { tag: T.ContentDescription, vr: 'LO', value: input.contentDescription ?? '' },
    { tag: T.ContentCreatorName, vr: 'PN', value: input.contentCreatorName ?? '' },
    {
      tag: T.SharedFunctionalGroupsSequence,
      vr: 'SQ',
      value: [
        [
          {
            tag: T.PixelMeasuresSequence,
            vr: 'SQ',
            value: [
              [
                // PixelSpacing is row spacing (between rows, along j) \ column spacing (along i).
                { tag: T.PixelSpacing, vr: 'DS', value: [sy, sx] },
                { tag: T.SliceThickness, vr: 'DS', value: input.sliceThicknessMm ?? sz },
                { tag: T.SpacingBetweenSlices, vr: 'DS', value: sz },
              ],
            ],
          },
          {
            tag: T.PlaneOrientationSequence,
            vr: 'SQ',
            value: [[{ tag: T.ImageOrientationPatient, vr: 'DS', value: [d[0], d[1], d[2], d[3], d[4], d[5]] }]],
          },
        ],
      ],
    },
    { tag: T.PerFrameFunctionalGroupsSequence, vr: 'SQ', value: perFrame },
    { tag: T.PixelData, vr: 'OB', value: pixelData },
  ];
  return writeDicomFile(dataset);
}

/**
 * Packs the chosen slices of a mask into one bit stream: bit b of the stream is pixel
 * (b mod frameSize) of frame ⌊b / frameSize⌋; byte ⌊b / 8⌋, bit b mod 8 (LSB first).
 */
function packFrames(voxels: Uint8Array, sliceSize: number, frames: readonly number[]): Uint8Array {
  const bits = frames.length * sliceSize;
  const out = new Uint8Array(Math.ceil(bits / 8));
  let b = 0;
  for (const k of frames) {
    const base = k * sliceSize;
    for (let p = 0; p < sliceSize; p++, b++) {
      if (voxels[base + p] !== 0) out[b >>> 3]! |= 1 << (b & 7);
    }
  }
  return out;
}
