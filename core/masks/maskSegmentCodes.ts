import { liverSegmentCodes, type CodedConcept } from '../dicom/writeSeg';

/**
 * Segmented Property Category and Type codes of the masks Concord exports (SNOMED CT, as DICOM
 * CID 7150 "Segmentation Property Categories" and CID 7151 / 7166 suggest): the whole liver, and
 * liver tumour (category Morphologically Altered Structure, type Neoplasm).
 * Reference: DICOM PS3.16 CID 7150, CID 7151, CID 7166.
 */
export const maskSegmentCodes = {
  liver: liverSegmentCodes,
  tumour: {
    category: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' },
    type: { value: '108369006', scheme: 'SCT', meaning: 'Neoplasm' },
  },
} as const satisfies Record<string, { category: CodedConcept; type: CodedConcept }>;

export type MaskKind = keyof typeof maskSegmentCodes;
