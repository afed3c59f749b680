import { writeSeg, type SegSegment } from '../dicom/writeSeg';
import type { Volume } from '../imaging/volume';
import { productName } from '../version';
import type { CtSeriesReference } from './ctSeriesReference';
import { maskSegmentCodes, type MaskKind } from './maskSegmentCodes';

export interface MaskToSegInput {
  /** The mask on the CT grid (non-zero = inside), e.g. from `maskOnGrid`. */
  mask: Volume<Uint8Array>;
  /** The CT series the grid belongs to (`ctSeriesReference`). */
  ct: CtSeriesReference;
  /** 'liver' or 'tumour' (label and SNOMED codes of `maskSegmentCodes`), or a full description; default 'liver'. */
  segment?: MaskKind | SegSegment;
  /** New UIDs for the SEG series, instance and dimension organisation. */
  uids: { seriesInstanceUid: string; sopInstanceUid: string; dimensionOrganizationUid: string };
  /** DICOM DA (YYYYMMDD) and TM (HHMMSS) of the export. */
  contentDate: string;
  contentTime: string;
  /** Software Versions (0018,1020), e.g. the app version. */
  softwareVersions: string;
  /** Default 900. */
  seriesNumber?: number;
  /** Default "<label> mask". */
  seriesDescription?: string;
  contentCreatorName?: string;
}

const labels: Readonly<Record<MaskKind, string>> = { liver: 'Liver', tumour: 'Tumour' };

/**
 * A DICOM Segmentation (BINARY, one segment) of a mask on a CT grid, referencing that CT series
 * slice by slice (`writeSeg`: one frame per slice with voxels, Derivation Image → the CT slice at
 * that k, Frame of Reference and study of the CT). Equipment: Manufacturer and model "Concord".
 * Content Label: the segment label in upper case, other characters as "_", at most 16.
 * Reference: DICOM PS3.3 A.51 (Segmentation IOD); see `writeSeg`.
 * @throws RangeError from `writeSeg`: an empty mask, a mask whose dims[2] differs from the
 *   number of referenced slices, or voxels that do not match dims
 */
export function maskToSeg(input: MaskToSegInput): Uint8Array {
  const chosen = input.segment ?? 'liver';
  const segment: SegSegment =
    typeof chosen === 'string'
      ? {
          label: labels[chosen],
          algorithmType: 'SEMIAUTOMATIC',
          algorithmName: productName,
          ...maskSegmentCodes[chosen],
        }
      : chosen;
  const writeInput: Parameters<typeof writeSeg>[0] = {
    mask: input.mask,
    segment,
    source: input.ct.source,
    patientStudy: input.ct.patientStudy,
    seriesInstanceUid: input.uids.seriesInstanceUid,
    sopInstanceUid: input.uids.sopInstanceUid,
    dimensionOrganizationUid: input.uids.dimensionOrganizationUid,
    seriesNumber: input.seriesNumber ?? 900,
    seriesDescription: input.seriesDescription ?? `${segment.label} mask`,
    contentDate: input.contentDate,
    contentTime: input.contentTime,
    contentLabel: contentLabel(segment.label),
    contentDescription: `${segment.label} mask exported by ${productName}`,
    manufacturer: productName,
    manufacturerModelName: productName,
    deviceSerialNumber: '0',
    softwareVersions: input.softwareVersions,
  };
  if (input.contentCreatorName !== undefined) writeInput.contentCreatorName = input.contentCreatorName;
  if (input.ct.sliceThicknessMm !== undefined) writeInput.sliceThicknessMm = input.ct.sliceThicknessMm;
  return writeSeg(writeInput);
}

/** CS value: upper case A-Z, 0-9, space and "_", at most 16 characters (PS3.5 Table 6.2-1). */
function contentLabel(label: string): string {
  const cs = label
    .toUpperCase()
    .replace(/[^A-Z0-9 _]/g, '_')
    .slice(0, 16)
    .trim();
  return cs === '' ? 'MASK' : cs;
}
