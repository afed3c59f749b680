/** NIfTI-1 datatype codes Concord reads or writes (nifti1.h, DT_*). */
export const niftiDatatype = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
} as const;

export type NiftiDatatypeName = keyof typeof niftiDatatype;

/** Bytes per voxel of each datatype. */
export const niftiBytesPerVoxel: Record<NiftiDatatypeName, number> = {
  uint8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
  int8: 1,
  uint16: 2,
};

/** NIfTI-1 xform codes (nifti1.h, NIFTI_XFORM_*): what space the qform / sform maps into. */
export type NiftiXformCode = 0 | 1 | 2 | 3 | 4 | 5;
export const niftiXform = {
  unknown: 0,
  scannerAnat: 1,
  alignedAnat: 2,
  talairach: 3,
  mni152: 4,
  templateOther: 5,
} as const;

/** NIfTI-1 intent codes used here (nifti1.h). */
export const niftiIntent = { none: 0, label: 1002 } as const;

/** Byte offsets of the NIfTI-1 header fields (nifti1.h, struct nifti_1_header, 348 bytes). */
export const niftiHeaderOffset = {
  sizeofHdr: 0,
  regular: 38,
  dimInfo: 39,
  dim: 40,
  intentP1: 56,
  intentCode: 68,
  datatype: 70,
  bitpix: 72,
  sliceStart: 74,
  pixdim: 76,
  voxOffset: 108,
  sclSlope: 112,
  sclInter: 116,
  sliceEnd: 120,
  sliceCode: 122,
  xyztUnits: 123,
  calMax: 124,
  calMin: 128,
  descrip: 148,
  auxFile: 228,
  qformCode: 252,
  sformCode: 254,
  quaternB: 256,
  quaternC: 260,
  quaternD: 264,
  qoffsetX: 268,
  qoffsetY: 272,
  qoffsetZ: 276,
  srowX: 280,
  srowY: 296,
  srowZ: 312,
  intentName: 328,
  magic: 344,
} as const;

export const niftiHeaderSize = 348;
/** Header plus the 4-byte extension flag: where a single-file (.nii) image's voxels start. */
export const niftiSingleFileVoxOffset = 352;
