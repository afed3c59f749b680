import { gzipSync } from 'fflate';
import type { Volume } from '../imaging/volume';
import { voxelCount } from '../imaging/volume';
import {
  niftiDatatype,
  niftiHeaderOffset as H,
  niftiHeaderSize,
  niftiIntent,
  niftiSingleFileVoxOffset,
  niftiXform,
  type NiftiDatatypeName,
  type NiftiXformCode,
} from './niftiDatatypes';
import { rotationToNiftiQuaternion, type Matrix3 } from './niftiQuaternion';

/** Voxel arrays NIfTI-1 can hold as they are. */
export type NiftiWritableArray = Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array;

export interface WriteNiftiOptions {
  /** gzip the file (.nii.gz); default false (.nii). The gzip header carries no time stamp. */
  gzip?: boolean;
  /** Header `descrip`, ASCII, at most 79 characters. */
  description?: string;
  /** 'label' sets intent_code NIFTI_INTENT_LABEL (1002), for masks and labelmaps; default 'none'. */
  intent?: 'none' | 'label';
  /** qform_code; default 1 (NIFTI_XFORM_SCANNER_ANAT). */
  qformCode?: NiftiXformCode;
  /** sform_code; default 1 (NIFTI_XFORM_SCANNER_ANAT). */
  sformCode?: NiftiXformCode;
}

/**
 * A single-file NIfTI-1 image (.nii, or .nii.gz with `gzip`) of a Volume, little endian:
 * 348-byte header, 4-byte empty extension flag, voxels from byte 352 in the Volume's order
 * (i fastest, as NIfTI stores them). uint8, int16, uint16, int32 and float32 voxels are written
 * as they are (scl_slope 1, scl_inter 0, units mm).
 * Geometry: NIfTI maps voxel (i, j, k) to RAS+ millimetres; the Volume maps it to LPS, so
 * the affine's x and y rows are the LPS affine's rows negated:
 * sform = diag(−1, −1, 1) · [direction · diag(spacingMm) | originMm]. The qform carries the
 * same mapping as a quaternion, qfac (pixdim[0] = −1 for a left-handed grid), pixdim[1..3] =
 * spacingMm and qoffset = RAS origin; for a non-orthogonal direction only the sform is exact.
 * Reference: NIfTI-1 header, nifti1.h (NIfTI DFWG, 2004), METHODS 2 and 3.
 * @throws RangeError for a voxel array that does not match dims, non-positive spacing,
 *   or a description that is not ASCII or over 79 characters
 */
export function writeNifti(volume: Volume<NiftiWritableArray>, options: WriteNiftiOptions = {}): Uint8Array {
  const count = voxelCount(volume.dims);
  if (volume.voxels.length !== count)
    throw new RangeError(`voxels has ${volume.voxels.length} values, dims ${volume.dims.join('x')} need ${count}`);
  for (const s of volume.spacingMm)
    if (!(s > 0) || !Number.isFinite(s))
      throw new RangeError(`spacingMm must be positive, got ${volume.spacingMm.join(', ')}`);
  const description = options.description ?? '';
  if (description.length > 79 || !/^[\x20-\x7e]*$/.test(description))
    throw new RangeError('description must be printable ASCII, at most 79 characters');
  const type = datatypeOf(volume.voxels);
  const bitpix = volume.voxels.BYTES_PER_ELEMENT * 8;

  const out = new Uint8Array(niftiSingleFileVoxOffset + volume.voxels.byteLength);
  const view = new DataView(out.buffer);
  view.setInt32(H.sizeofHdr, niftiHeaderSize, true);
  out[H.regular] = 0x72; // 'r'
  const dim = [3, volume.dims[0], volume.dims[1], volume.dims[2], 1, 1, 1, 1];
  dim.forEach((v, n) => view.setInt16(H.dim + 2 * n, v, true));
  view.setInt16(H.intentCode, options.intent === 'label' ? niftiIntent.label : niftiIntent.none, true);
  view.setInt16(H.datatype, niftiDatatype[type], true);
  view.setInt16(H.bitpix, bitpix, true);

  const d = volume.direction;
  // RAS direction columns: LPS columns with x and y negated (0 − x, so that 0 stays +0).
  const ras: Matrix3 = [
    [0 - d[0], 0 - d[3], 0 - d[6]],
    [0 - d[1], 0 - d[4], 0 - d[7]],
    [d[2], d[5], d[8]],
  ];
  const q = rotationToNiftiQuaternion(ras);
  const pixdim = [q.qfac, volume.spacingMm[0], volume.spacingMm[1], volume.spacingMm[2], 0, 0, 0, 0];
  pixdim.forEach((v, n) => view.setFloat32(H.pixdim + 4 * n, v, true));
  view.setFloat32(H.voxOffset, niftiSingleFileVoxOffset, true);
  view.setFloat32(H.sclSlope, 1, true);
  view.setFloat32(H.sclInter, 0, true);
  out[H.xyztUnits] = 2; // NIFTI_UNITS_MM, no time units
  for (let n = 0; n < description.length; n++) out[H.descrip + n] = description.charCodeAt(n);

  const originRas = [0 - volume.originMm[0], 0 - volume.originMm[1], volume.originMm[2]];
  view.setInt16(H.qformCode, options.qformCode ?? niftiXform.scannerAnat, true);
  view.setInt16(H.sformCode, options.sformCode ?? niftiXform.scannerAnat, true);
  view.setFloat32(H.quaternB, q.b, true);
  view.setFloat32(H.quaternC, q.c, true);
  view.setFloat32(H.quaternD, q.d, true);
  view.setFloat32(H.qoffsetX, originRas[0]!, true);
  view.setFloat32(H.qoffsetY, originRas[1]!, true);
  view.setFloat32(H.qoffsetZ, originRas[2]!, true);
  const rows = [H.srowX, H.srowY, H.srowZ];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) view.setFloat32(rows[r]! + 4 * c, ras[r]![c]! * volume.spacingMm[c]!, true);
    view.setFloat32(rows[r]! + 12, originRas[r]!, true);
  }
  out.set([0x6e, 0x2b, 0x31, 0x00], H.magic); // "n+1\0": header and voxels in one file

  writeVoxelsLittleEndian(volume.voxels, out, niftiSingleFileVoxOffset);
  return options.gzip ? gzipSync(out, { mtime: 0 }) : out;
}

function datatypeOf(voxels: NiftiWritableArray): NiftiDatatypeName {
  if (voxels instanceof Uint8Array) return 'uint8';
  if (voxels instanceof Int16Array) return 'int16';
  if (voxels instanceof Uint16Array) return 'uint16';
  if (voxels instanceof Int32Array) return 'int32';
  if (voxels instanceof Float32Array) return 'float32';
  throw new RangeError('Unsupported voxel array type for NIfTI');
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeVoxelsLittleEndian(voxels: NiftiWritableArray, out: Uint8Array, offset: number): void {
  const bytes = new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength);
  out.set(bytes, offset);
  const size = voxels.BYTES_PER_ELEMENT;
  if (hostLittleEndian || size === 1) return;
  for (let p = offset; p < offset + bytes.length; p += size) out.subarray(p, p + size).reverse();
}
