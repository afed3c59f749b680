/**
 * Field offsets of the NIfTI-1 header (348 bytes; nifti1.h), for editing a mask's header in
 * place. Independent of core/nifti (the code under test).
 */
export const Nifti = {
  sizeofHdr: 0,
  dim: 40,
  datatype: 70,
  bitpix: 72,
  pixdim: 76,
  voxOffset: 108,
  sclSlope: 112,
  sclInter: 116,
  qformCode: 252,
  sformCode: 254,
  quaternB: 256,
  qoffsetX: 268,
  srowX: 280,
  srowY: 296,
  srowZ: 312,
  magic: 344,
} as const;

/** [offset, bytes] of every numeric field, for writing the header in the other byte order. */
const numericFields: readonly (readonly [number, number])[] = [
  [0, 4],
  [32, 4],
  [36, 2],
  ...Array.from({ length: 8 }, (_, i) => [40 + 2 * i, 2] as const),
  [56, 4],
  [60, 4],
  [64, 4],
  [68, 2],
  [70, 2],
  [72, 2],
  [74, 2],
  ...Array.from({ length: 8 }, (_, i) => [76 + 4 * i, 4] as const),
  [108, 4],
  [112, 4],
  [116, 4],
  [120, 2],
  [124, 4],
  [128, 4],
  [132, 4],
  [136, 4],
  [140, 4],
  [144, 4],
  [252, 2],
  [254, 2],
  ...Array.from({ length: 18 }, (_, i) => [256 + 4 * i, 4] as const),
];

/** A copy of a little-endian NIfTI-1 file (uint8 voxels) written big endian, as valid as before. */
export function niftiBigEndian(file: Uint8Array): Uint8Array {
  const out = file.slice();
  for (const [at, n] of numericFields) out.subarray(at, at + n).reverse();
  return out;
}

export function view(file: Uint8Array): DataView {
  return new DataView(file.buffer, file.byteOffset, file.byteLength);
}
