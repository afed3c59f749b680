import type { ParsedDicom } from '../dicom/parseDicom';
import { T } from '../dicom/tags';
import { getItems, getNumber, getString } from '../dicom/values';
import { MaskReadError } from './maskReadError';

/** SOP Class UIDs of the segmentation objects Concord reads (PS3.4 Annex B.5). */
export const segmentationSopClassUids = {
  segmentation: '1.2.840.10008.5.1.4.1.1.66.4',
  labelMapSegmentation: '1.2.840.10008.5.1.4.1.1.66.7',
} as const;

/** Segmentation Type (0062,0001). */
export type SegmentationType = 'BINARY' | 'FRACTIONAL' | 'LABELMAP';

/** One segment as the SEG describes it. */
export interface SegSegmentInfo {
  segmentNumber: number;
  label: string;
  /** Meaning of the Segmented Property Type code, e.g. "Liver". */
  propertyType?: string;
  /** Meaning of the Segmented Property Category code, e.g. "Tissue". */
  propertyCategory?: string;
  algorithmType?: string;
}

/** What a SEG holds, read from its header (no pixel data needed). */
export interface SegContents {
  segmentationType: SegmentationType;
  /** For FRACTIONAL: 'PROBABILITY' or 'OCCUPANCY'. */
  fractionalType?: string;
  /** For FRACTIONAL: the stored value meaning 100 % (default 2^BitsStored − 1 when absent). */
  maximumFractionalValue?: number;
  /** Segments in Segment Sequence order; for LABELMAP, segment 0 (background) is left out. */
  segments: SegSegmentInfo[];
  /** Series Instance UID of the first Referenced Series item: the images the SEG was drawn on. */
  referencedSeriesInstanceUid?: string;
  /** Series Instance UIDs of every Referenced Series item, in order (empty when none is named). */
  referencedSeriesInstanceUids: string[];
  frameOfReferenceUid?: string;
  /** Patient ID (0010,0020) of the SEG, when not empty. */
  patientId?: string;
}

/**
 * Reads the Segmentation Image module (PS3.3 §C.8.20.2) of a DICOM SEG: its type, fractional
 * scale and segments (number, label, property type and category meanings, algorithm type),
 * plus the referenced series (Common Instance Reference, §C.12.2), Frame of Reference and
 * Patient ID.
 * A header-only parse (untilPixelData) is enough.
 * Reference: DICOM PS3.3 A.51 (Segmentation IOD), A.51.x Label Map Segmentation (Sup 243).
 * @throws MaskReadError('not-a-mask') when the object is not a Segmentation (SOP Class or Modality)
 * @throws MaskReadError('unsupported') for an unknown Segmentation Type
 * @throws MaskReadError('malformed') when segments are missing, numbered twice or not integers
 */
export function readSegContents(parsed: ParsedDicom): SegContents {
  const ds = parsed.dataset;
  const sopClass = getString(ds, T.SOPClassUID) ?? getString(parsed.meta, T.MediaStorageSOPClassUID);
  const modality = getString(ds, T.Modality);
  const isSeg =
    sopClass === segmentationSopClassUids.segmentation ||
    sopClass === segmentationSopClassUids.labelMapSegmentation ||
    modality === 'SEG';
  if (!isSeg) {
    throw new MaskReadError(
      'not-a-mask',
      `The DICOM file is ${modality ? `a ${modality} object` : 'not a segmentation'} (SOP Class ${sopClass ?? 'absent'}), not a segmentation (SEG).`,
    );
  }
  const type = getString(ds, T.SegmentationType);
  if (type !== 'BINARY' && type !== 'FRACTIONAL' && type !== 'LABELMAP') {
    throw new MaskReadError(
      type === undefined ? 'malformed' : 'unsupported',
      type === undefined
        ? 'The SEG has no Segmentation Type.'
        : `Segmentation Type ${type} is not supported (only BINARY, FRACTIONAL and LABELMAP).`,
    );
  }

  const segments: SegSegmentInfo[] = [];
  const seen = new Set<number>();
  for (const item of getItems(ds, T.SegmentSequence)) {
    const segmentNumber = getNumber(item, T.SegmentNumber);
    if (segmentNumber === undefined || !Number.isInteger(segmentNumber) || segmentNumber < 0)
      throw new MaskReadError('malformed', 'A Segment Sequence item has no valid Segment Number.');
    if (seen.has(segmentNumber)) throw new MaskReadError('malformed', `Segment ${segmentNumber} is described twice.`);
    seen.add(segmentNumber);
    if (type === 'LABELMAP' && segmentNumber === 0) continue;
    const meaning = (sequence: number) => {
      const code = getItems(item, sequence)[0];
      return code ? getString(code, T.CodeMeaning) : undefined;
    };
    const info: SegSegmentInfo = { segmentNumber, label: getString(item, T.SegmentLabel) ?? '' };
    const propertyType = meaning(T.SegmentedPropertyTypeCodeSequence);
    const propertyCategory = meaning(T.SegmentedPropertyCategoryCodeSequence);
    const algorithmType = getString(item, T.SegmentAlgorithmType);
    if (propertyType) info.propertyType = propertyType;
    if (propertyCategory) info.propertyCategory = propertyCategory;
    if (algorithmType) info.algorithmType = algorithmType;
    segments.push(info);
  }
  if (segments.length === 0)
    throw new MaskReadError('malformed', 'The SEG describes no segments (empty Segment Sequence).');

  const contents: SegContents = { segmentationType: type, segments, referencedSeriesInstanceUids: [] };
  if (type === 'FRACTIONAL') {
    const fractionalType = getString(ds, T.SegmentationFractionalType);
    if (fractionalType) contents.fractionalType = fractionalType;
    const bitsStored = getNumber(ds, T.BitsStored) ?? getNumber(ds, T.BitsAllocated) ?? 8;
    const max = getNumber(ds, T.MaximumFractionalValue) ?? 2 ** bitsStored - 1;
    if (!(max > 0)) throw new MaskReadError('malformed', `Maximum Fractional Value ${max} is not positive.`);
    contents.maximumFractionalValue = max;
  }
  for (const item of getItems(ds, T.ReferencedSeriesSequence)) {
    const uid = getString(item, T.SeriesInstanceUID);
    if (uid) contents.referencedSeriesInstanceUids.push(uid);
  }
  const referencedSeriesInstanceUid = contents.referencedSeriesInstanceUids[0];
  if (referencedSeriesInstanceUid) contents.referencedSeriesInstanceUid = referencedSeriesInstanceUid;
  const frameOfReferenceUid = getString(ds, T.FrameOfReferenceUID);
  if (frameOfReferenceUid) contents.frameOfReferenceUid = frameOfReferenceUid;
  const patientId = getString(ds, T.PatientID)?.trim();
  if (patientId) contents.patientId = patientId;
  return contents;
}
